"""What a person is to the head of the household they join (与户主关系), worked out from what
the settlement knows: what the applicant is to the host or to the holder of the home, what each
accompanying member is to the applicant, and the sexes the ID numbers give. Where the register
cannot tell, the relation is 其他 (other): an officer sees it on the 户口簿 page and corrects it
by a case, never by editing."""

from hukou_portal.people.id_numbers import Sex
from hukou_portal.people.models import HouseholdRelation as R


def _by_sex(sex: str, male: str, female: str) -> str:
    return male if sex == Sex.MALE else female


def applicant_to_host(host_relation: str, *, applicant_sex: str, host_sex: str) -> str:
    """The applicant joins the family household whose head is the host (S2): ``host_relation``
    is what the applicant is to the host (ELIGIBILITY.md ``host.relation``)."""
    if host_relation == "spouse":
        return R.SPOUSE
    if host_relation in ("child", "spouse_child"):
        return _by_sex(applicant_sex, R.SON, R.DAUGHTER)
    if host_relation in ("grandchild", "spouse_grandchild"):
        return _by_sex(applicant_sex, R.GRANDSON, R.GRANDDAUGHTER)
    if host_relation == "parent":
        return _by_sex(applicant_sex, R.FATHER, R.MOTHER)
    if host_relation == "grandparent":
        return _by_sex(applicant_sex, R.GRANDFATHER, R.GRANDMOTHER)
    if host_relation == "spouse_parent":
        # The host's spouse's parent: a male head's wife's parent, a female head's husband's.
        if host_sex == Sex.MALE:
            return _by_sex(applicant_sex, R.WIFES_FATHER, R.WIFES_MOTHER)
        return _by_sex(applicant_sex, R.HUSBANDS_FATHER, R.HUSBANDS_MOTHER)
    if host_relation == "child_spouse":
        return _by_sex(applicant_sex, R.SON_IN_LAW, R.DAUGHTER_IN_LAW)
    if host_relation == "sibling":
        return _by_sex(applicant_sex, R.BROTHER, R.SISTER)
    return R.OTHER


def applicant_to_home_holder(holder: str, *, applicant_sex: str) -> str:
    """The applicant joins the family household already registered at the home of the S1.1
    fact ``homes[].holder``, taken to be its head: the holder's spouse, child, parent..."""
    return {
        "spouse": R.SPOUSE,
        "parent": _by_sex(applicant_sex, R.SON, R.DAUGHTER),
        "grandparent": _by_sex(applicant_sex, R.GRANDSON, R.GRANDDAUGHTER),
        "child": _by_sex(applicant_sex, R.FATHER, R.MOTHER),
        "grandchild": _by_sex(applicant_sex, R.GRANDFATHER, R.GRANDMOTHER),
    }.get(holder, R.OTHER)


def member_to_head(applicant_relation: str, member_relation: str, *, member_sex: str, head_sex: str) -> str:
    """An accompanying member (随迁) joins with the applicant: ``applicant_relation`` is what the
    applicant is to the head, ``member_relation`` what the member is to the applicant (the
    intake's family relations: spouse, child, parent, sibling, grandchild, other)."""
    if applicant_relation == R.HEAD:
        return {
            "spouse": R.SPOUSE,
            "child": _by_sex(member_sex, R.SON, R.DAUGHTER),
            "parent": _by_sex(member_sex, R.FATHER, R.MOTHER),
            "sibling": _by_sex(member_sex, R.BROTHER, R.SISTER),
            "grandchild": _by_sex(member_sex, R.GRANDSON, R.GRANDDAUGHTER),
        }.get(member_relation, R.OTHER)
    if applicant_relation == R.SPOUSE:
        if member_relation == "child":
            return _by_sex(member_sex, R.SON, R.DAUGHTER)
        if member_relation == "parent":
            if head_sex == Sex.MALE:
                return _by_sex(member_sex, R.WIFES_FATHER, R.WIFES_MOTHER)
            return _by_sex(member_sex, R.HUSBANDS_FATHER, R.HUSBANDS_MOTHER)
        return R.OTHER
    if applicant_relation in (R.SON, R.DAUGHTER):
        return {
            "spouse": _by_sex(member_sex, R.SON_IN_LAW, R.DAUGHTER_IN_LAW),
            "child": _by_sex(member_sex, R.GRANDSON, R.GRANDDAUGHTER),
        }.get(member_relation, R.OTHER)
    if applicant_relation in (R.FATHER, R.MOTHER):
        return {
            "spouse": _by_sex(member_sex, R.FATHER, R.MOTHER),
            "child": _by_sex(member_sex, R.BROTHER, R.SISTER),
        }.get(member_relation, R.OTHER)
    return R.OTHER
