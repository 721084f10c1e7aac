"""Issue 11, "Wrong reminders": N4 goes to the assigned officer and the supervisors of the case's
office and above (RULES.md N4), and "close to the deadline" counts working days."""

import datetime as dt

import pytest
import time_machine

from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.services import user_update
from hukou_portal.casework.kinds import register, unregister
from hukou_portal.notifications.models import Notification
from hukou_portal.notifications.services import sweep
from tests.casework.factories import TEST_KIND, drive, open_case
from tests.helpers import make_user
from tests.notifications.conftest import at

D = dt.date


@pytest.fixture(autouse=True)
def test_kind():
    register(TEST_KIND)  # five working days by default
    yield TEST_KIND
    unregister(TEST_KIND.code)


def accepted_on(day: dt.date, officer, supervisor):  # type: ignore[no-untyped-def]
    with time_machine.travel(at(day), tick=False):
        return drive(open_case(officer, sequence=900), "submitted", officer=officer, supervisor=supervisor)


def n4(stage: str) -> set[str]:
    return set(
        Notification.objects.filter(kind="N4", milestone__startswith=f"{stage}:", channel="inbox").values_list(
            "recipient", flat=True
        )
    )


def test_n4_goes_to_the_assigned_officer_and_the_supervisors_of_the_office_and_above(world):
    """The case that showed it: every counter officer of 月河派出所 was told of a case assigned to
    one of them, and the supervisors of 吴兴分局 and of the city bureau, who answer for it too,
    were not."""
    offices, assigned = world
    colleague = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="colleague")
    station_supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="station_supervisor")
    bureau_supervisor = make_user(offices.wuxing, Role.SUPERVISOR, username="bureau_supervisor")
    city_supervisor = make_user(offices.city, Role.SUPERVISOR, username="city_supervisor")
    sibling_supervisor = make_user(offices.zhili, Role.SUPERVISOR, username="zhili_supervisor")
    other_county_supervisor = make_user(offices.nanxun, Role.SUPERVISOR, username="nanxun_supervisor")
    gone = make_user(offices.yuehe, Role.SUPERVISOR, username="gone")
    user_update(
        actor=make_user(offices.city, Role.ADMINISTRATOR, username="city_admin"),
        user_id=gone.pk,
        full_name=gone.full_name,
        email="",
        office=offices.yuehe,
        roles={Role.SUPERVISOR},
        is_active=False,
    )
    case = accepted_on(D(2026, 11, 2), assigned, station_supervisor)  # Mon + 5: deadline Mon 11-09
    assert case.deadline == D(2026, 11, 9) and case.assigned_officer == assigned
    with time_machine.travel(at(D(2026, 11, 10)), tick=False):
        sweep(as_of=D(2026, 11, 1))
        sweep(as_of=D(2026, 11, 5))  # Thu: Fri and Mon left
        sweep(as_of=D(2026, 11, 10))  # the day after the deadline
    expected = {f"user:{user.pk}" for user in (assigned, station_supervisor, bureau_supervisor, city_supervisor)}
    assert n4("near") == expected
    assert n4("overdue") == expected
    told = {f"user:{user.pk}" for user in (colleague, sibling_supervisor, other_county_supervisor, gone)}
    assert not told & (n4("near") | n4("overdue"))


def test_near_counts_working_days_so_a_deadline_after_national_day_is_warned_before_the_holiday(world):
    """Accepted Thu 2026-09-24, five working days: 09-28, 09-29, 09-30, (National Day 10-01…10-07),
    10-08, 10-09 — deadline Fri 10-09. Two calendar days before it is 10-07, in the holiday, with
    nobody at the counter; two working days before it (10-08 and 10-09 left) is Wed 09-30."""
    offices, officer = world
    supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor")
    case = accepted_on(D(2026, 9, 24), officer, supervisor)
    assert case.deadline == D(2026, 10, 9)
    nights = {}
    day = D(2026, 9, 25)
    with time_machine.travel(at(D(2026, 9, 24)), tick=False):
        sweep(as_of=D(2026, 9, 24))
    while day <= D(2026, 10, 12):
        with time_machine.travel(at(day), tick=False):
            before = set(Notification.objects.filter(kind="N4").values_list("milestone", flat=True))
            sweep(as_of=day)
            for milestone in set(Notification.objects.filter(kind="N4").values_list("milestone", flat=True)) - before:
                nights[milestone] = day
        day += dt.timedelta(days=1)
    assert nights == {"near:2026-10-09": D(2026, 9, 30), "overdue:2026-10-09": D(2026, 10, 10)}


def test_a_week_down_over_the_near_day_and_the_deadline_warns_once_that_it_is_overdue(world):
    offices, officer = world
    supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor")
    accepted_on(D(2026, 11, 2), officer, supervisor)  # deadline Mon 11-09, near on Thu 11-05
    with time_machine.travel(at(D(2026, 11, 12)), tick=False):
        sweep(as_of=D(2026, 11, 3))
        sweep(as_of=D(2026, 11, 12))
        sweep(as_of=D(2026, 11, 12))
    assert set(Notification.objects.filter(kind="N4").values_list("milestone", flat=True)) == {"overdue:2026-11-09"}
    assert Notification.objects.filter(kind="N4").count() == 2  # the officer and the supervisor, once
