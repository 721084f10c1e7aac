"""Issue 11, "Wrong reminders": N3 (签注 due within ``endorsement_notice_days``) under the value in
force on each day, so raising the notice loses nobody; and nobody who has settled in Huzhou, or
whose settlement case is open, is reminded (the one rule of N1, N2 and N3)."""

import datetime as dt

import time_machine
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.casework.models import Case, Status
from hukou_portal.notifications.models import Notification
from hukou_portal.notifications.services import sweep
from hukou_portal.people.models import Person, Town
from hukou_portal.rules.services import parameter_schedule
from permits.services import permit_issue
from settlement.models import HukouEntry
from tests.helpers import make_user, sign_in, valid_id_number
from tests.notifications.conftest import at
from tests.settlement.test_settlement_cases import rental_intake

D = dt.date
CHANGE = D(2026, 9, 10)  # endorsement_notice_days 30 → 60 from this day


def permit_until(office, endorsed_until: dt.date, sequence: int):  # type: ignore[no-untyped-def]
    holder = Person.objects.create(
        id_number=valid_id_number(sequence=sequence), name=f"持证人{sequence}", mobile="13900000003", office=office
    )
    return permit_issue(
        holder=holder,
        office=office,
        area_code=office.area_code,
        issued_on=endorsed_until - dt.timedelta(days=365),
        endorsed_until=endorsed_until,
        case=None,
    )


# Endorsement due dates, and the night each is told with 30 days' notice until 09-09, 60 from 09-10.
PERMITS = {
    "old_notice": (D(2026, 10, 5), D(2026, 9, 5)),  # 30 days before, under the old value
    "passed_at_the_change": (D(2026, 11, 1), CHANGE),  # 60 before is 09-02, 30 before is 10-02
    "first_day_passed": (D(2026, 11, 8), CHANGE),  # 60 before is 09-09, the day before the change
    "new_notice": (D(2026, 11, 15), D(2026, 9, 16)),
    "later": (D(2026, 11, 25), D(2026, 9, 26)),
}


def raise_the_notice(offices) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(offices.city, Role.ADMINISTRATOR, username="city_admin")
    parameter_schedule(actor=admin, key="endorsement_notice_days", value=60, effective_from=CHANGE, reason="提前提醒")


def test_raising_the_notice_from_30_to_60_days_loses_nobody_night_by_night(world):
    """The case that showed it: with 60 days from 09-10, a permit due on 11-01 had its new notice
    day (09-02) behind it and its old one (10-02) never came: it was never reminded."""
    offices, _officer = world
    with time_machine.travel(at(D(2026, 9, 1)), tick=False):
        permits = {
            name: permit_until(offices.yuehe, due, 900 + i) for i, (name, (due, _)) in enumerate(PERMITS.items())
        }
        raise_the_notice(offices)
        sweep(as_of=D(2026, 9, 1))
    nights: dict[int, list[dt.date]] = {}
    day = D(2026, 9, 2)
    while day <= D(2026, 10, 1):
        with time_machine.travel(at(day), tick=False):
            before = set(Notification.objects.filter(kind="N3").values_list("pk", flat=True))
            sweep(as_of=day)
            for row in Notification.objects.filter(kind="N3").exclude(pk__in=before):
                nights.setdefault(row.subject_id, []).append(day)
        day += dt.timedelta(days=1)
    assert nights == {permits[name].pk: [night] for name, (_due, night) in PERMITS.items()}


def test_a_catch_up_across_the_raise_reminds_each_once(world):
    offices, _officer = world
    with time_machine.travel(at(D(2026, 9, 1)), tick=False):
        permits = {
            name: permit_until(offices.yuehe, due, 920 + i) for i, (name, (due, _)) in enumerate(PERMITS.items())
        }
        raise_the_notice(offices)
        sweep(as_of=D(2026, 9, 1))  # the last night before the sweep was down
    with time_machine.travel(at(D(2026, 9, 20)), tick=False):
        sweep(as_of=D(2026, 9, 20))
        sweep(as_of=D(2026, 9, 20))
    due = {row.subject_id: row.milestone for row in Notification.objects.filter(kind="N3", channel="sms")}
    expected = ("old_notice", "passed_at_the_change", "first_day_passed", "new_notice")
    assert due == {permits[name].pk: PERMITS[name][0].isoformat() for name in expected}


def test_lowering_the_notice_does_not_remind_anyone_twice(world):
    offices, _officer = world
    admin = make_user(offices.city, Role.ADMINISTRATOR, username="city_admin")
    with time_machine.travel(at(D(2026, 9, 1)), tick=False):
        parameter_schedule(
            actor=admin, key="endorsement_notice_days", value=60, effective_from=D(2026, 9, 1), reason="a"
        )
        permit = permit_until(offices.yuehe, D(2026, 10, 20), 940)  # 60 days' notice: due since 08-21
        sweep(as_of=D(2026, 9, 1))
        parameter_schedule(
            actor=admin, key="endorsement_notice_days", value=30, effective_from=D(2026, 9, 5), reason="b"
        )
    with time_machine.travel(at(D(2026, 10, 1)), tick=False):
        sweep(as_of=D(2026, 10, 1))  # 30 days before 10-20 is 09-20: not a second reminder
    assert list(Notification.objects.filter(kind="N3").values_list("subject_id", "milestone")) == [
        (permit.pk, "2026-10-20")
    ]


def test_nobody_with_a_hukou_in_huzhou_or_an_open_settlement_case_gets_n1_or_n3(world):
    """The case that showed it: a person who had settled in Huzhou still got 「可按规定申请在居住地
    城镇落户（S5.1）」 and 「请及时…办理签注」 for a permit they no longer need."""
    offices, officer = world
    town = Town.objects.get(area__code="330502", name="月河街道")
    with time_machine.travel(at(D(2026, 11, 30)), tick=False):
        people = {}
        for index, name in enumerate(["settled", "settling", "withdrawn", "other"]):
            # Six months held on 12-15 (N1); endorsement due 12-30, 30 days' notice: 11-30 (N3).
            permit = permit_issue(
                holder=Person.objects.create(
                    id_number=valid_id_number(sequence=950 + index),
                    name=name,
                    mobile="13900000004",
                    office=offices.yuehe,
                ),
                office=offices.yuehe,
                area_code="330502",
                issued_on=D(2026, 6, 15),
                endorsed_until=D(2026, 12, 30),
                case=None,
            )
            people[name] = permit.holder
        client = sign_in(Client(), officer)
        cases = {}
        for name in ("settled", "settling", "withdrawn"):
            assert client.post("/cases/new/settlement/", rental_intake(people[name], town)).status_code == 302
            cases[name] = Case.objects.get(kind="settlement", applicant=people[name])
        HukouEntry.objects.create(
            person=people["settled"],
            household_type="collective",
            town=town,
            address="红旗路 9 号",
            clause="S1.2",
            registered_on=D(2026, 11, 1),
            case=cases["settled"],
        )
        Case.objects.filter(pk=cases["settled"].pk).update(status=Status.COMPLETED)
        Case.objects.filter(pk=cases["withdrawn"].pk).update(status=Status.WITHDRAWN)
        sweep(as_of=D(2026, 11, 20))
    with time_machine.travel(at(D(2026, 12, 20)), tick=False):
        sweep(as_of=D(2026, 12, 20))
    for kind in ("N1", "N3"):
        told = set(Notification.objects.filter(kind=kind, channel="sms").values_list("recipient", flat=True))
        assert told == {f"person:{people['withdrawn'].pk}", f"person:{people['other'].pk}"}, kind
    subjects = set(Notification.objects.filter(kind__in=["N1", "N3"]).values_list("subject_id", flat=True))
    settled_permits = {p.pk for name in ("settled", "settling") for p in people[name].permits.all()}
    assert not subjects & settled_permits  # nor is any office told about them
