"""The daily rollups (E1): each figure against hand-counted rows, Asia/Shanghai days, working
days across a holiday, idempotent reruns, rebuild = incremental, catch-up, office scoping."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from hukou_portal.accounts.roles import Role
from hukou_portal.casework.models import Case, Decision, Status
from hukou_portal.people.models import Town
from hukou_portal.rules.calendar import WorkCalendar
from hukou_portal.schedules import BY_NAME
from hukou_portal.stats.models import CaseDay, CaseDecisionTime, PermitDay, RegistrationDay, RollupState
from hukou_portal.stats.rollups import rollup_catch_up, rollup_day, rollup_rebuild
from hukou_portal.stats.selectors import Figures, figures, percentile
from hukou_portal.stats.tasks import rollup_days_task
from permits.models import ResidencePermit
from registration.models import ResidenceRegistration
from tests.core.list_data import people
from tests.helpers import make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC
_serial = itertools.count(1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def make_case(
    office,
    *,
    accepted_on: dt.date,
    decided_at: dt.datetime | None = None,
    decision: str = "",
    deadline: dt.date | None = None,
    paused_working_days: int = 0,
    kind: str = "residence_declaration",
    category: str = "rented",
) -> Case:
    serial = next(_serial)
    status = Status.IN_REVIEW
    if decision:
        status = Status.APPROVED if decision == Decision.APPROVED else Status.REJECTED
    return Case.objects.create(
        reference=f"HZ-TEST-2025-{serial:06d}",
        kind=kind,
        category=category,
        applicant=people(office, 1)[0],
        office=office,
        status=status,
        decision=decision,
        decided_at=decided_at,
        clock_started_on=accepted_on,
        deadline=deadline,
        paused_working_days=paused_working_days,
    )


def make_registration(case: Case, town: Town, *, started_on: dt.date, ended_on: dt.date | None = None):
    return ResidenceRegistration.objects.create(
        person=case.applicant,
        source=ResidenceRegistration.Source.LOCAL,
        region_code=town.area.code,
        town=town,
        address="红旗路 1 号",
        started_on=started_on,
        ended_on=ended_on,
        case=case,
    )


def make_permit(office, *, issued_on: dt.date) -> ResidencePermit:
    serial = next(_serial)
    return ResidencePermit.objects.create(
        number=f"ZJTEST2025{serial:06d}",
        holder=people(office, 1)[0],
        office=office,
        area_code=office.area_code,
        issued_on=issued_on,
        held_since=issued_on,
        endorsed_until=issued_on + dt.timedelta(days=365),
        token="t",
        key_id="k",
    )


def snapshot() -> dict[str, list[tuple]]:
    return {
        "cases": sorted(
            CaseDay.objects.values_list(
                "day",
                "office_id",
                "kind",
                "category",
                "received",
                "decided_approved",
                "decided_rejected",
                "decided_within_deadline",
            )
        ),
        "times": sorted(
            CaseDecisionTime.objects.values_list("day", "office_id", "kind", "category", "working_days", "cases")
        ),
        "registrations": sorted(
            RegistrationDay.objects.values_list("day", "office_id", "town_id", "started", "ended"),
            key=lambda row: (row[0], row[1], row[2] or 0),
        ),
        "permits": sorted(PermitDay.objects.values_list("day", "office_id", "issued")),
    }


MARCH_31 = dt.date(2025, 3, 31)
APRIL_1 = dt.date(2025, 4, 1)


@pytest.fixture
def users(offices):
    return {
        "yuehe": make_user(offices.yuehe, Role.SUPERVISOR, username="yuehe_sup"),
        "wuxing": make_user(offices.wuxing, Role.SUPERVISOR, username="wuxing_sup"),
        "nanxun": make_user(offices.nanxun_station, Role.SUPERVISOR, username="nanxun_sup"),
        "city": make_user(offices.city, Role.SUPERVISOR, username="city_sup"),
    }


@pytest.fixture
def march_data(offices):
    """Hand-counted rows around the end of March 2025 at 月河 (wuxing), 织里 (wuxing) and 南浔."""
    yuehe_town = Town.objects.get(area__code="330502", name="月河街道")
    # 月河, March: 4 received (one on 31 March; one decided in April, below), 2 decided (approved
    # in time at 23:30 on 31 March Beijing time = 15:30 UTC; rejected after its deadline).
    approved = make_case(
        offices.yuehe,
        accepted_on=dt.date(2025, 3, 24),  # Monday
        decided_at=at(MARCH_31, 23, 30),
        decision=Decision.APPROVED,
        deadline=dt.date(2025, 4, 10),
    )
    rejected = make_case(
        offices.yuehe,
        accepted_on=dt.date(2025, 3, 3),
        decided_at=at(dt.date(2025, 3, 20), 9),
        decision=Decision.REJECTED,
        deadline=dt.date(2025, 3, 17),
        kind="residence_change",
        category="moved",
    )
    make_case(offices.yuehe, accepted_on=MARCH_31)
    # 月河, April: decided at 00:10 on 1 April Beijing time (16:10 UTC on 31 March): April's.
    april = make_case(
        offices.yuehe,
        accepted_on=dt.date(2025, 3, 28),
        decided_at=at(APRIL_1, 0, 10),
        decision=Decision.APPROVED,
        deadline=dt.date(2025, 4, 30),
    )
    # 织里 (also under 吴兴): one received in March.
    zhili = make_case(offices.zhili, accepted_on=dt.date(2025, 3, 10))
    # 南浔: a decided case and a permit in March that no 吴兴 user may ever count.
    nanxun = make_case(
        offices.nanxun_station,
        accepted_on=dt.date(2025, 3, 3),
        decided_at=at(dt.date(2025, 3, 5), 10),
        decision=Decision.APPROVED,
        deadline=dt.date(2025, 3, 31),
    )
    make_permit(offices.nanxun_station, issued_on=MARCH_31)
    # Registrations: 月河 opened two in March (one ended on 31 March), 南浔 one.
    make_registration(approved, yuehe_town, started_on=dt.date(2025, 3, 2), ended_on=MARCH_31)
    make_registration(rejected, yuehe_town, started_on=MARCH_31)
    make_registration(april, yuehe_town, started_on=APRIL_1)
    make_registration(nanxun, Town.objects.filter(area__code="330503").first(), started_on=dt.date(2025, 3, 6))
    # Permits: 月河 2 in March, 1 in April; 织里 1 in March.
    make_permit(offices.yuehe, issued_on=dt.date(2025, 3, 1))
    make_permit(offices.yuehe, issued_on=MARCH_31)
    make_permit(offices.yuehe, issued_on=APRIL_1)
    make_permit(offices.zhili, issued_on=dt.date(2025, 3, 15))
    return {"approved": approved, "rejected": rejected, "april": april, "zhili": zhili, "nanxun": nanxun}


def march(user, **kwargs) -> Figures:
    return figures(user=user, period_from=dt.date(2025, 3, 1), period_to=MARCH_31, today=dt.date(2025, 6, 1), **kwargs)


def test_the_fixture_straddles_utc_midnight(march_data):
    """The premise of the month-boundary tests: in UTC both decisions fall on 31 March."""
    assert march_data["approved"].decided_at.astimezone(UTC).date() == MARCH_31
    assert march_data["approved"].decided_at.astimezone(UTC).hour == 15
    assert march_data["april"].decided_at.astimezone(UTC).date() == MARCH_31


@pytest.mark.parametrize("rolled_up", [False, True], ids=["live", "rolled-up"])
def test_each_figure_matches_the_hand_count(users, march_data, rolled_up):
    if rolled_up:
        rollup_rebuild(from_day=dt.date(2025, 2, 25), to_day=dt.date(2025, 4, 5))
        RollupState.objects.create(rolled_to=dt.date(2025, 4, 5))
    yuehe = march(users["yuehe"])
    assert yuehe.received == 4
    assert (yuehe.decided_approved, yuehe.decided_rejected, yuehe.decided) == (1, 1, 2)
    assert yuehe.decided_within_deadline == 1
    # (24 Mar, 31 Mar] = 5 working days; (3 Mar, 20 Mar] = 13: nearest-rank median 5, p90 13.
    assert (yuehe.median_working_days, yuehe.p90_working_days) == (5, 13)
    assert (yuehe.registrations_started, yuehe.registrations_ended) == (2, 1)
    assert yuehe.permits_issued == 2

    wuxing = march(users["wuxing"])  # 月河 + 织里
    assert (wuxing.received, wuxing.decided, wuxing.permits_issued) == (5, 2, 3)

    city = march(users["city"])  # everyone
    assert (city.received, city.decided, city.registrations_started, city.permits_issued) == (6, 3, 3, 4)

    april = figures(user=users["yuehe"], period_from=APRIL_1, period_to=dt.date(2025, 4, 30), today=dt.date(2025, 6, 1))
    assert (april.received, april.decided_approved, april.registrations_started, april.permits_issued) == (
        0,
        1,
        1,
        1,
    )

    only_changes = march(users["yuehe"], kind="residence_change")
    assert (only_changes.received, only_changes.decided_rejected, only_changes.decided_approved) == (1, 1, 0)


def test_a_decision_at_2330_beijing_time_is_rolled_up_on_that_day(march_data, offices):
    rollup_day(day=MARCH_31)
    rollup_day(day=APRIL_1)
    march_31 = CaseDay.objects.get(day=MARCH_31, office=offices.yuehe, kind="residence_declaration")
    assert (march_31.received, march_31.decided_approved, march_31.decided_within_deadline) == (1, 1, 1)
    april_1 = CaseDay.objects.get(day=APRIL_1, office=offices.yuehe)
    assert (april_1.received, april_1.decided_approved) == (0, 1)


def test_working_days_to_decision_skip_the_national_day_holiday(offices, users):
    calendar = WorkCalendar.load()
    # 2025: 1–8 October are holidays; Sunday 28 September is a make-up working day.
    assert not calendar.is_working_day(dt.date(2025, 10, 3))
    assert calendar.is_working_day(dt.date(2025, 9, 28))
    decided = at(dt.date(2025, 10, 9), 10)  # Thursday, the first working day after the holiday
    # (30 Sep, 9 Oct] → 9 Oct only: 1 working day (9 calendar days).
    make_case(offices.yuehe, accepted_on=dt.date(2025, 9, 30), decided_at=decided, decision=Decision.APPROVED)
    # (26 Sep, 9 Oct] → 28, 29, 30 Sep and 9 Oct: 4; one of them waiting for 补正: 3.
    make_case(
        offices.yuehe,
        accepted_on=dt.date(2025, 9, 26),
        decided_at=decided,
        decision=Decision.APPROVED,
        paused_working_days=1,
    )
    make_case(offices.yuehe, accepted_on=dt.date(2025, 9, 26), decided_at=decided, decision=Decision.REJECTED)
    make_case(offices.yuehe, accepted_on=dt.date(2025, 9, 26), decided_at=decided, decision=Decision.APPROVED)
    # (22 Sep, 9 Oct] → 23–30 Sep (6 weekdays + Sunday 28 = 7) and 9 Oct: 8.
    make_case(offices.yuehe, accepted_on=dt.date(2025, 9, 22), decided_at=decided, decision=Decision.APPROVED)

    rollup_day(day=dt.date(2025, 10, 9))
    histogram = dict(CaseDecisionTime.objects.values_list("working_days", "cases"))
    assert histogram == {1: 1, 3: 1, 4: 2, 8: 1}

    result = figures(
        user=users["yuehe"],
        period_from=dt.date(2025, 10, 1),
        period_to=dt.date(2025, 10, 31),
        today=dt.date(2025, 11, 5),
    )
    # Five values 1, 3, 4, 4, 8: the median is the 3rd (4), the 90th percentile the 5th (8).
    assert (result.median_working_days, result.p90_working_days) == (4, 8)


def test_percentiles_of_a_histogram():
    from collections import Counter

    assert percentile(Counter(), 0.5) is None
    assert percentile(Counter({2: 1}), 0.9) == 2
    assert percentile(Counter({1: 5, 10: 5}), 0.5) == 1
    assert percentile(Counter({1: 5, 10: 6}), 0.5) == 10
    assert percentile(Counter({1: 9, 30: 1}), 0.9) == 1
    assert percentile(Counter({1: 8, 30: 2}), 0.9) == 30


def test_rerunning_a_day_does_not_double(march_data, users):
    rollup_day(day=MARCH_31)
    first = snapshot()
    assert first["cases"]
    rollup_day(day=MARCH_31)
    rollup_day(day=MARCH_31)
    assert snapshot() == first
    RollupState.objects.create(rolled_to=MARCH_31)
    once = figures(user=users["yuehe"], period_from=MARCH_31, period_to=MARCH_31, today=dt.date(2025, 6, 1))
    assert (once.received, once.decided_approved, once.permits_issued, once.registrations_ended) == (1, 1, 1, 1)


def test_a_rebuild_from_scratch_equals_the_day_by_day_rollup(march_data):
    first, last = dt.date(2025, 2, 27), dt.date(2025, 4, 3)
    RollupState.objects.create(rolled_to=first - dt.timedelta(days=1))
    day = first
    while day <= last:  # the nightly job, one night at a time
        assert rollup_catch_up(through=day) == 1
        day += dt.timedelta(days=1)
    incremental = snapshot()
    assert len(incremental["cases"]) >= 6 and incremental["permits"] and incremental["registrations"]

    for model in (CaseDay, CaseDecisionTime, RegistrationDay, PermitDay):
        model.objects.all().delete()
    assert rollup_rebuild(from_day=first, to_day=last) == (last - first).days + 1
    assert snapshot() == incremental


def test_the_nightly_task_catches_up_missed_days(march_data, offices):
    RollupState.objects.create(rolled_to=dt.date(2025, 3, 27))  # the job was down from 28 March
    with time_machine.travel(at(dt.date(2025, 4, 2), 0, 40), tick=False):
        assert rollup_days_task() == 5  # 28 March – 1 April
        assert rollup_days_task() == 0  # a second run changes nothing
    assert RollupState.objects.get().rolled_to == APRIL_1
    assert set(CaseDay.objects.values_list("day", flat=True)) == {dt.date(2025, 3, 28), MARCH_31, APRIL_1}
    assert PermitDay.objects.filter(day=MARCH_31, office=offices.yuehe).get().issued == 1


def test_the_first_nightly_run_starts_a_week_back(march_data):
    assert rollup_days_task(through="2025-04-01") == 7
    assert RollupState.objects.get().rolled_to == APRIL_1


def test_the_nightly_rollup_is_scheduled_after_midnight():
    schedule = BY_NAME["rollup-statistics"]
    assert schedule.task == "hukou_portal.stats.tasks.rollup_days_task"
    assert (schedule.hour, schedule.minute) == ("0", "40")


def test_days_not_rolled_up_yet_and_today_are_counted_live(offices, users):
    RollupState.objects.create(rolled_to=dt.date(2025, 3, 29))
    rollup_rebuild(from_day=dt.date(2025, 3, 1), to_day=dt.date(2025, 3, 29))
    make_case(offices.yuehe, accepted_on=dt.date(2025, 3, 29))  # after its day was rolled up: not counted
    make_case(offices.yuehe, accepted_on=dt.date(2025, 3, 30))  # the night missed: live
    make_case(offices.yuehe, accepted_on=MARCH_31)  # today: live
    make_case(offices.yuehe, accepted_on=APRIL_1)  # tomorrow: not in the period
    result = figures(user=users["yuehe"], period_from=dt.date(2025, 3, 1), period_to=APRIL_1, today=MARCH_31)
    assert result.received == 2


@pytest.mark.parametrize("rolled_up", [False, True], ids=["live", "rolled-up"])
def test_another_offices_rows_are_never_in_a_users_figures(march_data, users, rolled_up):
    if rolled_up:
        rollup_rebuild(from_day=dt.date(2025, 3, 1), to_day=MARCH_31)
        RollupState.objects.create(rolled_to=MARCH_31)
    nanxun = march(users["nanxun"])
    assert (nanxun.received, nanxun.decided_approved, nanxun.registrations_started, nanxun.permits_issued) == (
        1,
        1,
        1,
        1,
    )
    yuehe = march(users["yuehe"])  # a station never sees its sibling 织里 nor 南浔
    assert (yuehe.received, yuehe.decided_approved, yuehe.registrations_started, yuehe.permits_issued) == (
        4,
        1,
        2,
        2,
    )


def test_a_user_without_an_office_sees_nothing(march_data, offices, users):
    rollup_rebuild(from_day=dt.date(2025, 3, 1), to_day=MARCH_31)
    RollupState.objects.create(rolled_to=MARCH_31)
    user = users["yuehe"]
    offices.yuehe.is_active = False
    offices.yuehe.save(update_fields=["is_active"])
    user.refresh_from_db()
    assert march(user) == Figures(0, 0, 0, 0, None, None, 0, 0, 0)


def test_a_years_figures_take_a_fixed_number_of_queries(march_data, offices, users, django_assert_max_num_queries):
    # Today's decision makes the live part read the holiday calendar too (the worst case).
    make_case(
        offices.yuehe, accepted_on=dt.date(2025, 12, 29), decided_at=at(dt.date(2025, 12, 31), 10), decision="approved"
    )
    rollup_rebuild(from_day=dt.date(2025, 1, 1), to_day=dt.date(2025, 12, 30))
    RollupState.objects.create(rolled_to=dt.date(2025, 12, 30))
    # The user (1), how far the rollups reach (1), four sums over the rollups, and today's live
    # part (5 small GROUP BYs over one day, the calendar 2): the same for a week or a year.
    with django_assert_max_num_queries(13):
        year = figures(
            user=users["wuxing"],
            period_from=dt.date(2025, 1, 1),
            period_to=dt.date(2025, 12, 31),
            today=dt.date(2025, 12, 31),
        )
    assert (year.received, year.decided, year.permits_issued) == (6, 4, 4)


def test_the_command_recomputes_a_range_and_refuses_a_reversed_one(march_data, capsys):
    call_command("stats_rollup", "--from", "2025-03-30", "--to", "2025-04-01")
    assert set(CaseDay.objects.values_list("day", flat=True)) == {MARCH_31, APRIL_1}
    assert "3" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("stats_rollup", "--from", "2025-04-02", "--to", "2025-04-01")
