"""Where a completed settlement puts its people (S7.1): the household of the route's
``household``, found in the register or created there, with each person's relation to its head.

- own_home, rental_home, relative_family_household: the family household at the registration
  address, created with the applicant as head when there is none;
- host_household, host_family_household (S2): the host's household (the host's active
  membership); with none, a new family household at the registration address with the host
  recorded as a person and its head;
- employer_collective: the employer's collective household in the town of settlement (one per
  employer and town);
- talent_market_collective: the talent market's collective household of the county-level area
  (one per area);
- community_collective: the public collective household of the community of the registration
  address (one per community).

People whose hukou is outside Huzhou (the applicant's ID number is not from 3305xx, or the
officer said so at intake) do not join yet: the case issues a 准迁证, and they join when the
origin's 迁出 confirmation is recorded (``people.households.services.move_in_permit_confirm``).
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hukou_portal.accounts.models import User
from hukou_portal.casework.models import Case
from hukou_portal.people.households import relations
from hukou_portal.people.households.services import (
    active_membership,
    household_collective,
    household_family_at,
    household_family_create,
    household_join,
    move_in_permit_issue,
)
from hukou_portal.people.models import Household, HouseholdRelation, HouseholdType, JoinReason, Person

from .models import SettlementApplication

HUZHOU_AREA_PREFIX = "3305"
FAMILY_ROUTES = frozenset({"own_home", "rental_home", "relative_family_household"})
HOST_ROUTES = frozenset({"host_household", "host_family_household"})


def from_outside_huzhou(application: SettlementApplication, applicant: Person) -> bool:
    """The applicant's hukou is outside Huzhou: the officer said so at intake, or the ID number's
    area code is not one of Huzhou's (3305xx)."""
    return application.origin_outside_huzhou or not applicant.id_number.startswith(HUZHOU_AREA_PREFIX)


@dataclass(frozen=True)
class Settler:
    person: Person
    family_relation: str | None  # what the person is to the applicant (None: the applicant)


def _home_holder(application: SettlementApplication) -> str:
    facts: dict[str, Any] = application.decision_facts or application.facts or {}
    homes = (facts.get("person") or {}).get("homes") or []
    return str(homes[0].get("holder", "")) if homes else ""


def _host_facts(application: SettlementApplication) -> dict[str, Any]:
    facts: dict[str, Any] = application.decision_facts or application.facts or {}
    return (facts.get("person") or {}).get("host") or {}


def _host_household(case: Case, actor: User, application: SettlementApplication) -> tuple[Household, Person]:
    """The host's household: the host's active membership, else a new family household at the
    registration address with the host — recorded as a person if the register has none — as its
    head and first member (recorded as registered here, by this case)."""
    host_row = application.host
    host, _created = Person.objects.get_or_create_by_id_number(
        host_row.id_number, defaults={"name": host_row.name, "office": case.office}
    )
    membership = active_membership(host)
    if membership is not None:
        return membership.household, host
    household = household_family_create(
        town=application.town, address=application.address, head=host, case=case, actor=actor,
        fallback_office=case.office,
    )  # fmt: skip
    household_join(
        household=household,
        person=host,
        relation=HouseholdRelation.HEAD,
        joined_on=timezone.localdate(),
        reason=JoinReason.RECORDED,
        case=case,
        actor=actor,
    )
    return household, host


def _community_name(application: SettlementApplication) -> str:
    """The community of the registration address; an application taken in before the intake
    asked for it settles in the sub-district's (town's) public collective household."""
    return application.community or application.town.name


def household_for_route(
    *, case: Case, actor: User, application: SettlementApplication, route_household: str, applicant: Person
) -> tuple[Household, str]:
    """(the household of ``route_household``, the applicant's relation to its head)."""
    town = application.town
    if route_household in HOST_ROUTES and hasattr(application, "host"):
        household, host = _host_household(case, actor, application)
        if not household.is_family:
            return household, HouseholdRelation.COLLECTIVE_MEMBER
        if household.head_id == host.pk:
            relation = relations.applicant_to_host(
                str(_host_facts(application).get("relation", "")), applicant_sex=applicant.sex, host_sex=host.sex
            )
            return household, relation
        return household, HouseholdRelation.OTHER
    if route_household in FAMILY_ROUTES or route_household in HOST_ROUTES:
        household, created = household_family_at(
            town=town, address=application.address, head=applicant, case=case, actor=actor,
            fallback_office=case.office,
        )  # fmt: skip
        if created or household.head_id == applicant.pk:
            return household, HouseholdRelation.HEAD
        if route_household == "own_home":
            return household, relations.applicant_to_home_holder(_home_holder(application), applicant_sex=applicant.sex)
        return household, HouseholdRelation.OTHER
    if route_household == "employer_collective" and application.employer_name:
        household, _created = household_collective(
            type=HouseholdType.EMPLOYER_COLLECTIVE, town=town, unit_name=application.employer_name, case=case,
            actor=actor, fallback_office=case.office,
        )  # fmt: skip
    elif route_household == "talent_market_collective":
        household, _created = household_collective(
            type=HouseholdType.TALENT_MARKET_COLLECTIVE, town=town, case=case, actor=actor,
            fallback_office=case.office,
        )  # fmt: skip
    else:  # community_collective, and an employer never named (an application from before)
        household, _created = household_collective(
            type=HouseholdType.COMMUNITY_COLLECTIVE, town=town, unit_name=_community_name(application), case=case,
            actor=actor, fallback_office=case.office,
        )  # fmt: skip
    return household, HouseholdRelation.COLLECTIVE_MEMBER


def settle_into_household(
    *, case: Case, actor: User, application: SettlementApplication, route_household: str, settlers: list[Settler]
) -> Household:
    """Put the settlers (the applicant first) in the route's household: members from today, or —
    from outside Huzhou — named on a 准迁证 that lets them join once the origin confirms."""
    applicant = settlers[0].person
    household, applicant_relation = household_for_route(
        case=case, actor=actor, application=application, route_household=route_household, applicant=applicant
    )
    head_sex = household.head.sex if household.head is not None else applicant.sex
    people: list[tuple[Person, str]] = [(applicant, applicant_relation)]
    for settler in settlers[1:]:
        relation = (
            relations.member_to_head(
                applicant_relation, settler.family_relation or "", member_sex=settler.person.sex, head_sex=head_sex
            )
            if household.is_family
            else HouseholdRelation.COLLECTIVE_MEMBER
        )
        people.append((settler.person, relation))
    if from_outside_huzhou(application, applicant):
        with translation.override(settings.LANGUAGE_CODE):
            origin = application.origin_address or _("not recorded at intake")
        move_in_permit_issue(case=case, household=household, people=people, origin_address=origin, actor=actor)
        return household
    today = timezone.localdate()
    for person, relation in people:
        household_join(
            household=household,
            person=person,
            relation=relation,
            joined_on=today,
            reason=JoinReason.SETTLED,
            case=case,
            actor=actor,
        )
    return household
