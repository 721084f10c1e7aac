"""Households (户, issue 12 part 2): a completed settlement lands its people in the household S7.1
chose — the home's family household, the host's, the employer's, the talent market's or the
community's public collective household, created once and reused — with their history; moves
within Huzhou and out of it end one membership and start another, both kept; the database
holds one active membership per person and one collective household per unit."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client

from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework import services as case_services
from hukou_portal.casework.models import Case
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people.households import relations
from hukou_portal.people.households import services as household_services
from hukou_portal.people.id_numbers import Sex
from hukou_portal.people.models import (
    Household,
    HouseholdMember,
    HouseholdRelation,
    HouseholdType,
    JoinReason,
    LeaveReason,
    MoveOut,
    Person,
    Town,
)
from hukou_portal.people.services import person_create
from settlement.models import HukouEntry
from tests.casework.factories import fresh
from tests.helpers import sign_in, valid_id_number, zh
from tests.settlement.test_policy_to_the_letter import HOST, forward, open_case

D = dt.date
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
TODAY = D(2026, 12, 1)
WIFE = valid_id_number(birth_date=D(1987, 4, 4), sequence=442)  # even: female
SON = valid_id_number(birth_date=D(2015, 6, 1), sequence=221)  # odd: male
DAUGHTER = valid_id_number(birth_date=D(2017, 6, 1), sequence=224)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def yuehe_answers_for_its_town(offices):
    """月河街道 lies in the 月河 station's jurisdiction: its households are that station's."""
    Town.objects.filter(area__code="330502", name="月河街道").update(station=offices.yuehe)


def town(name: str = "月河街道", area: str = "330502") -> Town:
    return Town.objects.get(area__code=area, name=name)


def applicant_of(staff, sequence: int, name: str = "王小明", area: str = "330502", born: D | None = None) -> Person:  # type: ignore[no-untyped-def]
    number = valid_id_number(address_code=area, birth_date=born or D(1985, 3, 3), sequence=sequence)
    return person_create(actor=staff.officer, id_number=number, name=name)


def settle(staff, applicant, **intake) -> Case:  # type: ignore[no-untyped-def]
    """Intake, review, approval and completion, through the services."""
    case = forward(open_case(staff, applicant, **intake), staff)
    case_services.case_approve(case_id=case.pk, actor=staff.supervisor, expected_version=None)
    case_services.case_complete(case_id=case.pk, actor=staff.officer, expected_version=None)
    return fresh(case)


TALENT = {"category": "talent", "education_level": "bachelor", "education_full_time": "on"}
OWN_HOME = {"category": "own_home", "home_holder": "self", "home_right": "ownership"}


def own_home(**more: str) -> dict[str, str]:
    return {**OWN_HOME, "home_town": str(town().pk), **more}


def active(person: Person) -> HouseholdMember:
    return HouseholdMember.objects.select_related("household").get(person=person, left_on__isnull=True)


# --- each S7.1 outcome ------------------------------------------------------------------------


def test_own_home_creates_the_family_household_with_the_applicant_as_head(staff):
    applicant = applicant_of(staff, 501)
    family = [("李芳", WIFE, "spouse", "married"), ("王小宝", SON, "child", "unmarried")]
    case = settle(staff, applicant, family=family, **own_home(address="人民路 66 号"))

    household = Household.objects.get()
    assert household.type == HouseholdType.FAMILY and household.head == applicant
    assert household.address == "人民路 66 号" and household.town == town() and household.created_by_case == case
    assert household.number.startswith("330502") and len(household.number) == 12
    assert household.office.name == "月河派出所"  # the station of its town
    members = {m.person.name: m for m in HouseholdMember.objects.filter(household=household).select_related("person")}
    assert {name: m.relation for name, m in members.items()} == {
        "王小明": HouseholdRelation.HEAD,
        "李芳": HouseholdRelation.SPOUSE,
        "王小宝": HouseholdRelation.SON,
    }
    for member in members.values():
        assert member.joined_on == TODAY and member.join_reason == JoinReason.SETTLED
        assert member.join_case == case and member.left_on is None
    # Each hukou entry points at the household; the trail says who joined where.
    assert set(HukouEntry.objects.filter(case=case).values_list("household", flat=True)) == {household.pk}
    assert AuditEvent.objects.filter(action="household.created", case=case).count() == 1
    assert AuditEvent.objects.filter(action="household.member_joined", case=case).count() == 3


def test_own_home_joins_the_family_household_already_at_that_home(staff):
    """The second settler at the same home (written differently) joins the household the first
    created, with the relation the home's holder gives: here the holder is the applicant's
    parent, taken to be the head."""
    father = applicant_of(staff, 503, name="王大山", born=D(1960, 1, 1))
    settle(staff, father, **own_home(address="人民路 66 号"))
    daughter = applicant_of(staff, 504, name="王小丽", born=D(1990, 2, 2))
    settle(
        staff,
        daughter,
        marital_status="unmarried",
        **{**own_home(address="人民路66号"), "home_holder": "parent"},
    )
    assert Household.objects.count() == 1
    assert active(daughter).household == active(father).household
    assert active(daughter).relation == HouseholdRelation.DAUGHTER


def test_host_family_household_records_the_host_as_head_when_the_register_has_none(staff):
    """S2.2: the applicant is the host's parent. The host, named by the ID number the intake
    asks for, is recorded as a person and the head of a new family household at the address;
    the applicant joins as the head's father."""
    parent = applicant_of(staff, 505, name="王老汉", born=D(1955, 5, 5))
    case = settle(
        staff,
        parent,
        category="relatives",
        host_relation="parent",
        host_area="330502",
        host_has_urban_stable_residence="on",
        address="凤凰路 3 号",
    )
    host = Person.objects.with_id_number(HOST).get()
    assert host.name == "王被投靠"
    household = active(parent).household
    assert household.head == host and household.address == "凤凰路 3 号"
    assert active(host).relation == HouseholdRelation.HEAD and active(host).join_reason == JoinReason.RECORDED
    assert active(parent).relation == HouseholdRelation.FATHER and active(parent).join_case == case
    assert HukouEntry.objects.get(person=parent).household == household
    assert not HukouEntry.objects.filter(person=host).exists()  # the host's hukou is not this case's


def test_host_family_household_is_the_host_s_active_household_when_there_is_one(staff):
    host = person_create(actor=staff.officer, id_number=HOST, name="王被投靠")
    settle(staff, host, **own_home(address="凤凰路 3 号"))
    wife = applicant_of(staff, 506, name="李红", born=D(1962, 6, 6))
    settle(
        staff,
        wife,
        category="relatives",
        host_relation="spouse",
        host_area="330502",
        host_lives_with_host="on",
        address="另一个地址 9 号",  # the host's household is where the host is, not this address
    )
    assert Household.objects.count() == 1
    assert active(wife).household == active(host).household
    assert active(wife).relation == HouseholdRelation.SPOUSE


def test_employer_collective_household_is_one_per_employer_and_town_and_reused(staff):
    first = applicant_of(staff, 507)
    second = applicant_of(staff, 508, name="赵强")
    employer = {**TALENT, "option_employer_collective_household": "on", "employer_name": "湖州织造有限公司"}
    settle(staff, first, **employer)
    settle(staff, second, **{**employer, "employer_name": " 湖州织造有限公司 "})
    household = Household.objects.get()
    assert household.type == HouseholdType.EMPLOYER_COLLECTIVE and household.unit_name == "湖州织造有限公司"
    assert household.head is None
    assert active(first).household == active(second).household == household
    assert active(first).relation == HouseholdRelation.COLLECTIVE_MEMBER
    third = applicant_of(staff, 509, name="钱多")
    settle(staff, third, **{**employer, "employer_name": "另一家公司"})
    assert Household.objects.filter(type=HouseholdType.EMPLOYER_COLLECTIVE).count() == 2


def test_talent_market_collective_household_is_one_per_county_level_area(staff):
    first = applicant_of(staff, 510)
    second = applicant_of(staff, 511, name="孙丽")
    market = {**TALENT, "option_talent_market_collective_household": "on"}
    settle(staff, first, **market)
    settle(staff, second, **{**market, "settle_in": "朝阳街道"})  # another town of 吴兴
    household = Household.objects.get()
    assert household.type == HouseholdType.TALENT_MARKET_COLLECTIVE
    assert household.unit_name == "吴兴区人才市场" and household.area.code == "330502"
    assert active(first).household == active(second).household == household


def test_a_second_settlement_into_the_same_community_reuses_its_public_collective_household(staff):
    first = applicant_of(staff, 512)
    family = [("王小宝", SON, "child", "unmarried")]
    settle(staff, first, family=family, community="红旗社区", **TALENT)
    second = applicant_of(staff, 513, name="周杰")
    settle(staff, second, community=" 红旗社区", **TALENT)
    household = Household.objects.get()
    assert household.type == HouseholdType.COMMUNITY_COLLECTIVE and household.unit_name == "红旗社区"
    son = Person.objects.with_id_number(SON).get()
    assert {active(p).household for p in (first, second, son)} == {household}
    assert {active(p).relation for p in (first, second, son)} == {HouseholdRelation.COLLECTIVE_MEMBER}
    assert AuditEvent.objects.filter(action="household.created").count() == 1
    # Another community of the same town has its own.
    third = applicant_of(staff, 514, name="吴霞")
    settle(staff, third, community="飞英社区", **TALENT)
    assert Household.objects.filter(type=HouseholdType.COMMUNITY_COLLECTIVE).count() == 2


def test_a_rental_without_the_owner_s_consent_lands_in_its_community_s_household(staff):
    tenant = applicant_of(staff, 515)
    settle(
        staff,
        tenant,
        category="rental",
        lease_private_housing="on",
        lease_town=str(town().pk),
        lease_filed_on="2026-01-10",
        community="红旗社区",
    )
    household = active(tenant).household
    assert household.type == HouseholdType.COMMUNITY_COLLECTIVE and household.unit_name == "红旗社区"


def test_the_community_is_required_where_the_route_can_end_in_its_household(staff):
    applicant = applicant_of(staff, 516)
    with pytest.raises(AssertionError):  # open_case asserts the intake is valid
        open_case(staff, applicant, community="", **TALENT)
    from settlement.forms import SettlementIntake
    from tests.settlement.test_policy_to_the_letter import intake_post

    intake = SettlementIntake(intake_post(applicant, community="", **TALENT))
    assert not intake.is_valid()
    assert intake.facts.errors["community"] == [zh("Enter the community (社区) of the registration address.")]
    # S1.1 settles at the home: no community needed.
    assert SettlementIntake(intake_post(applicant, community="", **own_home())).is_valid()


def test_the_host_s_number_is_required_for_s2_and_sealed(staff):
    from settlement.forms import SettlementIntake
    from settlement.models import ApplicationHost
    from tests.settlement.test_policy_to_the_letter import intake_post

    applicant = applicant_of(staff, 517)
    relatives = {"category": "relatives", "host_relation": "parent", "host_area": "330502"}
    intake = SettlementIntake(intake_post(applicant, host_id_number="", **relatives))
    assert not intake.is_valid()
    assert intake.facts.errors["host_id_number"] == [zh("Enter the host's citizen ID number.")]
    bad = SettlementIntake(intake_post(applicant, host_id_number=HOST[:-1] + "0", **relatives))
    assert not bad.is_valid() and "host_id_number" in bad.facts.errors
    case = open_case(staff, applicant, **relatives)
    host = ApplicationHost.objects.get(application__case=case)
    assert host.id_number == HOST and bytes(host.id_number_sealed) and HOST.encode() not in bytes(host.id_number_sealed)
    assert HOST not in str(case.settlement.facts)  # the facts document never holds the number
    # The host is someone else than the applicant.
    with pytest.raises(ApplicationError), transaction.atomic():
        open_case(staff, applicant, host_id_number=applicant.id_number, **relatives)


# --- moves (迁移, 迁出) -----------------------------------------------------------------------------


def _family(staff) -> tuple[Person, Person, Household]:  # type: ignore[no-untyped-def]
    head = applicant_of(staff, 520)
    settle(staff, head, family=[("王小宝", SON, "child", "unmarried")], **own_home(address="人民路 66 号"))
    son = Person.objects.with_id_number(SON).get()
    return head, son, active(head).household


def test_moving_a_member_to_another_household_keeps_both_histories(staff, _now):
    _head, son, home = _family(staff)
    grandma = applicant_of(staff, 521, name="张奶奶", born=D(1950, 1, 1))
    settle(staff, grandma, **own_home(address="衣裳街 1 号"))
    other = active(grandma).household
    _now.move_to(dt.datetime(2026, 12, 5, 10, 0, tzinfo=NOW.tzinfo))
    joined = household_services.household_member_move(
        actor=staff.officer,
        member_id=active(son).pk,
        moved_on=D(2026, 12, 4),
        relation=HouseholdRelation.GRANDSON,
        to_household_id=other.pk,
        note="随祖母生活",
    )
    old = HouseholdMember.objects.get(household=home, person=son)
    assert old.left_on == D(2026, 12, 4) and old.leave_reason == LeaveReason.MOVED_TO_HOUSEHOLD
    assert joined.household == other and joined.join_reason == JoinReason.MOVED_IN
    assert joined.relation == HouseholdRelation.GRANDSON and joined.moved_in_from == home.place
    assert HouseholdMember.objects.filter(person=son).count() == 2  # both rows kept
    left = AuditEvent.objects.get(action="household.member_left", object_id=str(old.pk))
    assert left.note == "随祖母生活" and left.new_values["leave_reason"] == "moved_to_household"
    # The household page shows both, the person's file the whole history.
    client = sign_in(Client(), staff.officer)
    page = client.get(f"/people/households/{home.pk}/").content.decode()
    assert page.count('data-testid="history-row"') == 2 and 'data-state="left"' in page
    assert zh("Moved to another household in Huzhou") in page and "moved_to_household" not in page
    file = client.get(f"/people/{son.pk}/").content.decode()
    assert home.number in file and other.number in file
    assert zh("Moved in from another household in Huzhou") in file


def test_moving_to_a_new_home_creates_a_family_household_with_the_member_as_head(staff):
    _head, son, _home = _family(staff)
    joined = household_services.household_member_move(
        actor=staff.officer,
        member_id=active(son).pk,
        moved_on=TODAY,
        new_home=household_services.NewHome(town=town(), address="新家路 1 号"),
        note="分户",
    )
    assert joined.household.head == son and joined.relation == HouseholdRelation.HEAD
    assert joined.household.created_by_case is None and Household.objects.count() == 2


def test_the_head_moves_out_last(staff):
    head, _son, home = _family(staff)
    with pytest.raises(ApplicationError) as refused:
        household_services.household_member_move_out_of_huzhou(
            actor=staff.officer, member_id=active(head).pk, moved_out_on=TODAY, destination_address="上海市"
        )
    assert home.number in refused.value.message
    assert active(head).household == home


def test_moving_out_of_huzhou_ends_the_membership_with_a_move_out_record(staff):
    head, son, home = _family(staff)
    move = household_services.household_member_move_out_of_huzhou(
        actor=staff.officer,
        member_id=active(son).pk,
        moved_out_on=TODAY,
        destination_address="江苏省南京市玄武区北京东路 1 号",
        destination_reference="苏公（玄武）准迁字〔2026〕第000009号",
        note="随母迁往南京",
    )
    assert move.membership.left_on == TODAY and move.membership.leave_reason == LeaveReason.MOVED_OUT_OF_HUZHOU
    assert not HouseholdMember.objects.filter(person=son, left_on__isnull=True).exists()
    assert MoveOut.objects.get(person=son).destination_address.startswith("江苏省南京市")
    event = AuditEvent.objects.get(action="household.moved_out_of_huzhou")
    assert event.new_values["number"] == home.number and event.note == "随母迁往南京"
    # Nothing to move any more: a second move out is refused.
    with pytest.raises(ApplicationError):
        household_services.household_member_move_out_of_huzhou(
            actor=staff.officer, member_id=move.membership.pk, moved_out_on=TODAY, destination_address="x"
        )
    # The head may go now: the last member.
    household_services.household_member_move_out_of_huzhou(
        actor=staff.officer, member_id=active(head).pk, moved_out_on=TODAY, destination_address="上海市"
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"moved_on": D(2026, 12, 2)}, "moved_on"),  # in the future
        ({"moved_on": D(2026, 11, 1)}, "moved_on"),  # before joining
        ({"to_household_id": None, "new_home": None}, "to_household"),
    ],
)
def test_a_bad_move_is_refused_and_writes_nothing(staff, change, field):
    _head, son, home = _family(staff)
    events = AuditEvent.objects.count()
    arguments = {
        "actor": staff.officer,
        "member_id": active(son).pk,
        "moved_on": TODAY,
        "new_home": household_services.NewHome(town=town(), address="新家路 1 号"),
        **change,
    }
    with pytest.raises(ApplicationError) as refused:
        household_services.household_member_move(**arguments)
    assert refused.value.field == field
    assert active(son).household == home and Household.objects.count() == 1
    assert AuditEvent.objects.count() == events


# --- what the database holds ---------------------------------------------------------------------


def test_the_database_holds_one_active_membership_per_person(staff):
    _head, son, home = _family(staff)
    other = Household.objects.create(
        number="330502999999", type="family", area=home.area, town=home.town, address="x", address_key="x",
        head=son, office=home.office,
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdMember.objects.create(
            household=other, person=son, relation="head", joined_on=TODAY, join_reason="moved_in"
        )
    with pytest.raises(ApplicationError):
        household_services.household_join(
            household=other, person=son, relation="head", joined_on=TODAY, reason="moved_in", case=None,
            actor=staff.officer,
        )  # fmt: skip


def test_the_database_holds_one_public_collective_household_per_community(staff):
    first = applicant_of(staff, 530)
    settle(staff, first, community="红旗社区", **TALENT)
    household = Household.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.create(
            number="330502888888", type="community_collective", area=household.area, town=household.town,
            unit_name="红旗社区", office=household.office,
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():  # a family household has a head
        Household.objects.create(
            number="330502777777", type="family", area=household.area, town=household.town, address="x",
            address_key="x", office=household.office,
        )  # fmt: skip


def test_a_person_registered_in_a_household_cannot_settle_again(staff):
    # The host recorded by an S2 settlement has no hukou entry, but is registered: refused.
    parent = applicant_of(staff, 531, name="王老汉", born=D(1955, 5, 5))
    settle(staff, parent, category="relatives", host_relation="parent", host_area="330502",
           host_has_urban_stable_residence="on")  # fmt: skip
    host = Person.objects.with_id_number(HOST).get()
    with pytest.raises(ApplicationError) as refused:
        open_case(staff, host, **TALENT)
    assert active(host).household.number in refused.value.message


# --- relations ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host_relation", "applicant_sex", "host_sex", "expected"),
    [
        ("spouse", Sex.FEMALE, Sex.MALE, HouseholdRelation.SPOUSE),
        ("child", Sex.FEMALE, Sex.MALE, HouseholdRelation.DAUGHTER),
        ("spouse_child", Sex.MALE, Sex.FEMALE, HouseholdRelation.SON),
        ("parent", Sex.FEMALE, Sex.MALE, HouseholdRelation.MOTHER),
        ("spouse_parent", Sex.MALE, Sex.MALE, HouseholdRelation.WIFES_FATHER),
        ("spouse_parent", Sex.FEMALE, Sex.FEMALE, HouseholdRelation.HUSBANDS_MOTHER),
        ("child_spouse", Sex.FEMALE, Sex.MALE, HouseholdRelation.DAUGHTER_IN_LAW),
        ("grandchild", Sex.MALE, Sex.MALE, HouseholdRelation.GRANDSON),
        ("sibling", Sex.FEMALE, Sex.MALE, HouseholdRelation.SISTER),
        ("spouse_grandparent", Sex.MALE, Sex.MALE, HouseholdRelation.OTHER),
    ],
)
def test_what_the_applicant_is_to_the_host_as_head(host_relation, applicant_sex, host_sex, expected):
    assert relations.applicant_to_host(host_relation, applicant_sex=applicant_sex, host_sex=host_sex) == expected


@pytest.mark.parametrize(
    ("applicant_relation", "member_relation", "member_sex", "expected"),
    [
        (HouseholdRelation.HEAD, "spouse", Sex.FEMALE, HouseholdRelation.SPOUSE),
        (HouseholdRelation.HEAD, "child", Sex.FEMALE, HouseholdRelation.DAUGHTER),
        (HouseholdRelation.SON, "spouse", Sex.FEMALE, HouseholdRelation.DAUGHTER_IN_LAW),
        (HouseholdRelation.DAUGHTER, "child", Sex.MALE, HouseholdRelation.GRANDSON),
        (HouseholdRelation.FATHER, "spouse", Sex.FEMALE, HouseholdRelation.MOTHER),
        (HouseholdRelation.SPOUSE, "child", Sex.MALE, HouseholdRelation.SON),
        (HouseholdRelation.OTHER, "child", Sex.MALE, HouseholdRelation.OTHER),
    ],
)
def test_what_an_accompanying_member_is_to_the_head(applicant_relation, member_relation, member_sex, expected):
    assert (
        relations.member_to_head(applicant_relation, member_relation, member_sex=member_sex, head_sex=Sex.MALE)
        == expected
    )
