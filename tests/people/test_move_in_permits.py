"""Cross-region moves (迁移, issue 12 part 4): a settlement of someone whose hukou is outside Huzhou
issues a numbered 准予迁入证明 (准迁证) naming the origin, the destination household and its
validity; nobody joins the household until the origin's 迁出 confirmation is recorded — once,
within the validity, audited — and then everyone the permit names joins it."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from hukou_portal.audit.models import AuditEvent
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people.households import services as household_services
from hukou_portal.people.models import (
    Household,
    HouseholdMember,
    HouseholdRelation,
    JoinReason,
    MoveInConfirmation,
    MoveInPermit,
    Person,
)
from settlement.models import HukouEntry
from tests.helpers import sign_in, zh
from tests.people.test_households import NOW, SON, TALENT, applicant_of, own_home, settle, town
from tests.settlement.test_policy_to_the_letter import open_case

D = dt.date
TODAY = D(2026, 12, 1)
ORIGIN = "江苏省南京市玄武区北京东路 1 号"
CONFIRMATION = {
    "moved_out_on": "2026-12-01",
    "origin_office": "南京市公安局玄武分局",
    "origin_reference": "宁公迁〔2026〕88号",
}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def yuehe_answers_for_its_town(offices):
    from hukou_portal.people.models import Town

    Town.objects.filter(area__code="330502", name="月河街道").update(station=offices.yuehe)


def from_nanjing(staff, sequence: int = 601, name: str = "张伟"):  # type: ignore[no-untyped-def]
    return applicant_of(staff, sequence, name=name, area="320102")


def test_an_id_number_from_outside_huzhou_needs_the_origin_address_at_intake(staff):
    applicant = from_nanjing(staff)
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as refused:
        open_case(staff, applicant, community="红旗社区", **TALENT)
    assert refused.value.field == "origin_address"
    assert refused.value.message == zh(
        "The applicant's hukou is outside Huzhou (a move-in permit will be issued): enter the origin hukou address."
    )
    assert AuditEvent.objects.count() == events


def test_the_officer_s_word_that_the_origin_is_outside_huzhou_needs_its_address_too(staff):
    from settlement.forms import SettlementIntake
    from tests.settlement.test_policy_to_the_letter import intake_post

    applicant = applicant_of(staff, 602)
    intake = SettlementIntake(intake_post(applicant, origin_outside_huzhou="on", **TALENT))
    assert not intake.is_valid()
    assert intake.facts.errors["origin_address"] == [zh("Enter the origin hukou address.")]


def test_a_cross_region_settlement_is_not_in_a_household_until_the_move_out_is_confirmed(staff):
    applicant = from_nanjing(staff)
    family = [("张小宝", SON, "child", "unmarried")]
    case = settle(staff, applicant, family=family, origin_address=ORIGIN, community="红旗社区", **TALENT)
    son = Person.objects.with_id_number(SON).get()

    permit = MoveInPermit.objects.get(case=case)
    assert re.fullmatch(r"湖公（吴兴）准迁字〔2026〕第\d{6}号", permit.number)
    assert permit.origin_address == ORIGIN and permit.issued_on == TODAY
    assert permit.valid_until == TODAY + dt.timedelta(days=household_services.MOVE_IN_PERMIT_VALID_DAYS)
    household = Household.objects.get()
    assert permit.household == household and household.unit_name == "红旗社区"
    assert [row.person for row in permit.people.order_by("id")] == [applicant, son]
    # The settlement is written (one hukou per person) but nobody is a member yet.
    assert set(HukouEntry.objects.filter(case=case).values_list("household", flat=True)) == {household.pk}
    assert not HouseholdMember.objects.exists()
    issued = AuditEvent.objects.get(action="move_in_permit.issued", case=case)
    assert issued.new_values["permit_number"] == permit.number and issued.new_values["origin"] == ORIGIN

    client = sign_in(Client(), staff.officer)
    page = client.get(f"/people/households/{household.pk}/").content.decode()
    assert 'data-testid="pending-permit"' in page and permit.number in page
    assert 'data-testid="active-member"' not in page
    file = client.get(f"/people/{applicant.pk}/").content.decode()
    assert zh("Waiting to move in (准迁证)") in file and permit.number in file
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/people/move-in-permits/{permit.pk}/"' in case_page
    assert f'href="/people/move-in-permits/{permit.pk}/confirm/"' in case_page

    # The origin confirms: everyone on the permit joins, moved in from the origin.
    response = client.post(f"/people/move-in-permits/{permit.pk}/confirm/", CONFIRMATION)
    assert response.status_code == 302 and response["Location"] == f"/people/households/{household.pk}/"
    members = {m.person: m for m in HouseholdMember.objects.filter(household=household)}
    assert set(members) == {applicant, son}
    for member in members.values():
        assert member.join_reason == JoinReason.MOVED_IN_FROM_ELSEWHERE and member.moved_in_from == ORIGIN
        assert member.relation == HouseholdRelation.COLLECTIVE_MEMBER and member.join_case == case
    confirmation = MoveInConfirmation.objects.get(permit=permit)
    assert confirmation.origin_reference == "宁公迁〔2026〕88号" and confirmation.recorded_by == staff.officer
    event = AuditEvent.objects.get(action="move_in_permit.confirmed")
    assert event.case == case and event.new_values["reference"] == "宁公迁〔2026〕88号"
    assert AuditEvent.objects.filter(action="household.member_joined", case=case).count() == 2
    assert 'data-testid="pending-permit"' not in client.get(f"/people/households/{household.pk}/").content.decode()


def test_the_confirmation_is_recorded_once(staff):
    case = settle(staff, from_nanjing(staff), origin_address=ORIGIN, community="红旗社区", **TALENT)
    permit = MoveInPermit.objects.get(case=case)
    client = sign_in(Client(), staff.officer)
    client.post(f"/people/move-in-permits/{permit.pk}/confirm/", CONFIRMATION)
    again = client.post(f"/people/move-in-permits/{permit.pk}/confirm/", {**CONFIRMATION, "origin_reference": "x"})
    assert again.status_code == 200
    assert zh("The origin's confirmation of this permit is already recorded.") in again.content.decode()
    assert MoveInConfirmation.objects.get(permit=permit).origin_reference == "宁公迁〔2026〕88号"
    assert HouseholdMember.objects.count() == 1


@pytest.mark.parametrize(
    ("moved_out_on", "travel_days", "message"),
    [
        ("2026-12-02", 0, "The date cannot be in the future."),
        ("2026-11-30", 0, "The permit was issued on %(day)s: the move out cannot come before it."),
        ("2027-01-20", 60, "The permit was valid until %(day)s: a move out after that needs a new permit."),
    ],
)
def test_a_bad_confirmation_is_refused_in_chinese_and_writes_nothing(staff, _now, moved_out_on, travel_days, message):
    case = settle(staff, from_nanjing(staff), origin_address=ORIGIN, community="红旗社区", **TALENT)
    permit = MoveInPermit.objects.get(case=case)
    _now.move_to(NOW + dt.timedelta(days=travel_days))
    client = sign_in(Client(), staff.officer)
    events = AuditEvent.objects.count()
    response = client.post(
        f"/people/move-in-permits/{permit.pk}/confirm/", {**CONFIRMATION, "moved_out_on": moved_out_on}
    )
    assert response.status_code == 200
    body = response.content.decode()
    expected = zh(message)
    if "%(day)s" in expected:
        from django.utils import translation

        from hukou_portal.core.vocabulary import date_words

        with translation.override("zh-hans"):
            expected %= {"day": date_words(permit.issued_on if "issued" in message else permit.valid_until)}
    assert expected in body
    assert not MoveInConfirmation.objects.exists() and not HouseholdMember.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["move_in_permit.confirmed", "household.member_joined"]).exists()
    assert AuditEvent.objects.exclude(action="action.refused").count() == events


def test_an_officer_stated_origin_outside_huzhou_issues_a_permit_for_a_huzhou_id_number(staff):
    applicant = applicant_of(staff, 603)  # 330502…: born in Huzhou, hukou moved away since
    case = settle(
        staff, applicant, origin_outside_huzhou="on", origin_address="上海市黄浦区南京东路 8 号", **own_home()
    )
    permit = MoveInPermit.objects.get(case=case)
    household = permit.household
    # The family household is created for the applicant as its head, who joins only later.
    assert household.head == applicant and not HouseholdMember.objects.exists()
    assert permit.people.get().relation == HouseholdRelation.HEAD
    household_services.move_in_permit_confirm(
        actor=staff.officer,
        permit_id=permit.pk,
        moved_out_on=TODAY,
        origin_office="上海市公安局黄浦分局",
        origin_reference="沪公迁〔2026〕1号",
    )
    member = HouseholdMember.objects.get()
    assert member.person == applicant and member.relation == HouseholdRelation.HEAD


def test_a_huzhou_settlement_issues_no_permit(staff):
    case = settle(staff, applicant_of(staff, 604), community="红旗社区", **TALENT)
    assert not MoveInPermit.objects.filter(case=case).exists()
    assert HouseholdMember.objects.filter(join_case=case).count() == 1


def test_the_permit_prints_with_its_number_origin_household_and_validity(staff):
    applicant = from_nanjing(staff)
    case = settle(staff, applicant, origin_address=ORIGIN, **own_home(address="人民路 1 号"))
    permit = MoveInPermit.objects.get(case=case)
    client = sign_in(Client(), staff.officer)
    page = client.get(f"/people/move-in-permits/{permit.pk}/").content.decode()
    assert f'data-testid="document-number">{permit.number}<' in page
    assert ORIGIN in page and permit.household.number in page
    assert "2027年1月10日" in page  # valid until: 40 days after 2026-12-01
    assert zh("Permit to move in (准予迁入证明)") in page
    assert 'data-testid="print-button"' in page
    # The officer may see full numbers: shown, and the view of the person's record is audited.
    assert applicant.id_number in page
    assert AuditEvent.objects.filter(action="person.viewed", object_id=str(applicant.pk)).exists()
    assert town().name in page


def test_another_office_neither_sees_nor_confirms_the_permit(staff, offices):
    from hukou_portal.accounts.roles import Role
    from tests.helpers import make_user

    case = settle(staff, from_nanjing(staff), origin_address=ORIGIN, community="红旗社区", **TALENT)
    permit = MoveInPermit.objects.get(case=case)
    outsider = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer"))
    assert outsider.get(f"/people/move-in-permits/{permit.pk}/").status_code == 404
    assert outsider.post(f"/people/move-in-permits/{permit.pk}/confirm/", CONFIRMATION).status_code == 404
    supervisor = sign_in(Client(), staff.supervisor)
    assert supervisor.get(f"/people/move-in-permits/{permit.pk}/").status_code == 200
    assert supervisor.post(f"/people/move-in-permits/{permit.pk}/confirm/", CONFIRMATION).status_code == 403
    with pytest.raises(Exception) as denied:
        household_services.move_in_permit_confirm(
            actor=staff.supervisor, permit_id=permit.pk, moved_out_on=TODAY, origin_office="x", origin_reference="y"
        )
    assert type(denied.value).__name__ == "PermissionDenied"
    assert not MoveInConfirmation.objects.exists() and not HouseholdMember.objects.exists()


def test_permit_numbers_are_never_reused(staff):
    first = settle(staff, from_nanjing(staff, 611), origin_address=ORIGIN, community="红旗社区", **TALENT)
    second = settle(staff, from_nanjing(staff, 612, "李四"), origin_address=ORIGIN, community="红旗社区", **TALENT)
    numbers = [MoveInPermit.objects.get(case=case).number for case in (first, second)]
    assert numbers[0] != numbers[1] and numbers[0].endswith("第000001号") and numbers[1].endswith("第000002号")
