"""The daily rollups (E1): each figure against hand-counted rows, Asia/Shanghai days, working
days across a holiday, idempotent reruns, rebuild = incremental (on fixed rows, and while the
history moves on through the services), catch-up, office scoping."""

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command

from hukou_portal.casework.models import Case, Decision
from hukou_portal.people.models import HouseholdType
from hukou_portal.rules.calendar import WorkCalendar
from hukou_portal.schedules import BY_NAME
from hukou_portal.stats.models import (
    CaseDay,
    CaseDecisionTime,
    PermitDay,
    RegistrationDay,
    RollupState,
    SettlementDay,
    TownStockDay,
)
from hukou_portal.stats.rollups import day_rows, rollup_catch_up, rollup_day, rollup_rebuild
from hukou_portal.stats.selectors import Figures, figures, percentile
from hukou_portal.stats.tasks import rollup_days_task
from registration.models import ResidenceRegistration
from tests.core.list_data import people
from tests.stats.data import APRIL_1, MARCH_31, UTC, at, make_case, make_household, register_locally, settle

ROLLUP_MODELS = (CaseDay, CaseDecisionTime, RegistrationDay, PermitDay, SettlementDay, TownStockDay)


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
                "decided_after_supplement",
                "completed",
            )
        ),
        "times": sorted(
            CaseDecisionTime.objects.values_list("day", "office_id", "kind", "category", "working_days", "cases")
        ),
        "registrations": sorted(
            RegistrationDay.objects.values_list("day", "office_id", "town_id", "started", "ended"),
            key=lambda row: (row[0], row[1], row[2] or 0),
        ),
        "permits": sorted(
            PermitDay.objects.values_list("day", "office_id", "issued", "converted", "endorsed", "lapsed")
        ),
        "settlements": sorted(
            SettlementDay.objects.values_list("day", "office_id", "category", "household_type", "people")
        ),
        "stock": sorted(
            TownStockDay.objects.values_list("day", "office_id", "town_id", "residents", "permits_valid"),
            key=lambda row: (row[0], row[1], row[2] or 0),
        ),
    }


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
    assert (yuehe.completed, yuehe.decided_after_supplement) == (1, 1)  # the approved one, at 23:30/23:45
    # (24 Mar, 31 Mar] = 5 working days; (3 Mar, 20 Mar] = 13: nearest-rank median 5, p90 13.
    assert (yuehe.median_working_days, yuehe.p90_working_days) == (5, 13)
    assert (yuehe.registrations_started, yuehe.registrations_ended) == (2, 1)
    assert yuehe.permits_issued == 2

    wuxing = march(users["wuxing"])  # 月河 + 织里
    assert (wuxing.received, wuxing.decided, wuxing.permits_issued) == (5, 2, 3)

    city = march(users["city"])  # everyone
    assert (city.received, city.decided, city.registrations_started, city.permits_issued) == (6, 3, 3, 4)
    assert (city.completed, city.decided_after_supplement) == (2, 2)

    april = figures(user=users["yuehe"], period_from=APRIL_1, period_to=dt.date(2025, 4, 30), today=dt.date(2025, 6, 1))
    assert (april.received, april.decided_approved, april.registrations_started, april.permits_issued) == (
        0,
        1,
        1,
        1,
    )
    # The rejected case completed at 00:10 on 1 April; the April decision had two 补正.
    assert (april.completed, april.decided_after_supplement) == (1, 1)

    only_changes = march(users["yuehe"], kind="residence_change")
    assert (only_changes.received, only_changes.decided_rejected, only_changes.decided_approved) == (1, 1, 0)


def test_a_decision_at_2330_beijing_time_is_rolled_up_on_that_day(march_data, offices):
    rollup_day(day=MARCH_31)
    rollup_day(day=APRIL_1)
    march_31 = CaseDay.objects.get(day=MARCH_31, office=offices.yuehe, kind="residence_declaration")
    assert (march_31.received, march_31.decided_approved, march_31.decided_within_deadline) == (1, 1, 1)
    assert (march_31.completed, march_31.decided_after_supplement) == (1, 1)
    april_1 = {row.kind: row for row in CaseDay.objects.filter(day=APRIL_1, office=offices.yuehe)}
    assert (april_1["residence_declaration"].received, april_1["residence_declaration"].decided_approved) == (0, 1)
    assert april_1["residence_declaration"].decided_after_supplement == 1
    # Completed at 00:10 on 1 April Beijing time (16:10 UTC on 31 March): an April completion.
    assert march_data["rejected"].completed_at.astimezone(UTC).date() == MARCH_31
    assert (april_1["residence_change"].completed, april_1["residence_change"].decided_rejected) == (1, 0)


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


def test_a_rebuild_from_scratch_equals_the_day_by_day_rollup(march_data, permit_data, settlement_data):
    first, last = dt.date(2025, 2, 27), dt.date(2025, 4, 3)
    RollupState.objects.create(rolled_to=first - dt.timedelta(days=1))
    day = first
    while day <= last:  # the nightly job, one night at a time
        assert rollup_catch_up(through=day) == 1
        day += dt.timedelta(days=1)
    incremental = snapshot()
    assert len(incremental["cases"]) >= 6 and incremental["permits"] and incremental["registrations"]
    assert incremental["settlements"] and incremental["stock"]

    for model in ROLLUP_MODELS:
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
    assert march(user) == Figures(0, 0, 0, 0, None, None, 0, 0, 0, residents_at_end=0, permits_valid_at_end=0)


def test_a_years_figures_take_a_fixed_number_of_queries(march_data, offices, users, django_assert_max_num_queries):
    # Today's decision makes the live part read the holiday calendar too (the worst case).
    make_case(
        offices.yuehe, accepted_on=dt.date(2025, 12, 29), decided_at=at(dt.date(2025, 12, 31), 10), decision="approved"
    )
    rollup_rebuild(from_day=dt.date(2025, 1, 1), to_day=dt.date(2025, 12, 30))
    RollupState.objects.create(rolled_to=dt.date(2025, 12, 30))
    # The user's offices (1), how far the rollups reach (1), five sums over the rollups, and
    # today's live part: ten small GROUP BYs over one day, the calendar (2), and the stock per town
    # at the end of today (the towns' offices 3, three GROUP BYs): the same for a week or a year.
    with django_assert_max_num_queries(25):
        year = figures(
            user=users["wuxing"],
            period_from=dt.date(2025, 1, 1),
            period_to=dt.date(2025, 12, 31),
            today=dt.date(2025, 12, 31),
        )
    assert (year.received, year.decided, year.permits_issued) == (6, 4, 4)
    with django_assert_max_num_queries(19):  # without the stock: six fewer
        figures(
            user=users["wuxing"],
            period_from=dt.date(2025, 1, 1),
            period_to=dt.date(2025, 12, 31),
            today=dt.date(2025, 12, 31),
            stock=False,
        )


def test_the_command_recomputes_a_range_and_refuses_a_reversed_one(march_data, capsys):
    call_command("stats_rollup", "--from", "2025-03-30", "--to", "2025-04-01")
    assert set(CaseDay.objects.values_list("day", flat=True)) == {MARCH_31, APRIL_1}
    assert "3" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("stats_rollup", "--from", "2025-04-02", "--to", "2025-04-01")


@pytest.mark.parametrize("rolled_up", [False, True], ids=["live", "rolled-up"])
def test_permit_counts_match_the_hand_count(users, permit_data, rolled_up):
    if rolled_up:
        rollup_rebuild(from_day=dt.date(2025, 2, 1), to_day=dt.date(2025, 4, 5))
        RollupState.objects.create(rolled_to=dt.date(2025, 4, 5))
    yuehe = march(users["yuehe"])
    assert (yuehe.permits_issued, yuehe.permits_converted) == (1, 1)  # the replacement is no new permit
    assert yuehe.permits_endorsed == 1  # the late one; the on-time one was endorsed at 织里
    assert yuehe.permits_lapsed == 3  # 13 (then cancelled), 21 (endorsed late) and 31 March
    wuxing = march(users["wuxing"])
    assert (wuxing.permits_endorsed, wuxing.permits_lapsed) == (2, 3)
    april = figures(user=users["yuehe"], period_from=APRIL_1, period_to=APRIL_1, today=dt.date(2025, 6, 1))
    assert (april.permits_issued, april.permits_endorsed, april.permits_lapsed) == (0, 0, 1)
    february = figures(
        user=users["yuehe"], period_from=dt.date(2025, 2, 1), period_to=dt.date(2025, 2, 28), today=dt.date(2025, 6, 1)
    )
    assert february.permits_issued == 1  # the permit lost later, not its replacement too


def test_a_permit_lapses_the_day_after_its_endorsement_ends(offices, permit_data):
    def lapsed_on(day: dt.date) -> int:
        return day_rows(day=day, stock=False).permit_counts.get(offices.yuehe.pk, {}).get("lapsed", 0)

    assert [lapsed_on(dt.date(2025, 3, d)) for d in (10, 11, 13, 20, 21, 22, 29, 31)] == [0, 0, 1, 0, 1, 0, 0, 1]
    assert lapsed_on(APRIL_1) == 1


@pytest.mark.parametrize("rolled_up", [False, True], ids=["live", "rolled-up"])
def test_the_stock_per_town_is_the_end_of_the_periods_last_day(users, offices, permit_data, rolled_up):
    if rolled_up:
        rollup_rebuild(from_day=dt.date(2025, 3, 1), to_day=APRIL_1)
        RollupState.objects.create(rolled_to=APRIL_1)
    end_of_march = march(users["yuehe"])
    # 月河街道 at the end of 31 March: the registrations of lapses_31, lapses_april, late, cancelled,
    # on_time and one without a permit (not the one ended on 31 March, nor the one from 1 April).
    assert end_of_march.residents_at_end == 6
    # Valid then: lapses_april (until 31 March), late (restored 25 March), on_time in 月河街道; the
    # conversion's and the replacement (no registration) at the issuing office. Not lapses_31
    # (lapsed that day), nor the cancelled ones, nor the permit replaced on 20 March.
    assert end_of_march.permits_valid_at_end == 5
    rows = {
        (row.town_id, row.residents, row.permits_valid)
        for row in TownStockDay.objects.filter(day=MARCH_31, office=offices.yuehe)
    }
    if rolled_up:
        assert rows == {(permit_data["lapses_31"].holder.residence_registrations.get().town_id, 6, 3), (None, 0, 2)}

    # The end of 22 March, as the endorsements stood then: late had lapsed on the 21st (endorsed
    # again only on the 25th), lapses_31 was valid, the conversion not issued yet, the
    # replacement in force since the lost permit ended on 20 March. The registration ended on
    # 31 March was still in force.
    march_22 = figures(
        user=users["yuehe"], period_from=dt.date(2025, 3, 1), period_to=dt.date(2025, 3, 22), today=dt.date(2025, 6, 1)
    )
    assert (march_22.residents_at_end, march_22.permits_valid_at_end) == (7, 3 + 1)
    # …and 19 March: the lost permit was still in force, its replacement not yet; late still valid.
    march_19 = figures(
        user=users["yuehe"], period_from=dt.date(2025, 3, 1), period_to=dt.date(2025, 3, 19), today=dt.date(2025, 6, 1)
    )
    assert march_19.permits_valid_at_end == 4 + 1

    without_stock = march(users["yuehe"], stock=False)
    assert (without_stock.residents_at_end, without_stock.permits_valid_at_end) == (None, None)
    assert without_stock.permits_lapsed == end_of_march.permits_lapsed == 3

    # 南浔镇 is answered for by the 南浔 bureau: its station's user does not see it, the city does.
    assert march(users["nanxun"]).residents_at_end == 0
    city = march(users["city"])
    assert (city.residents_at_end, city.permits_valid_at_end) == (7, 6)


@pytest.mark.parametrize("rolled_up", [False, True], ids=["live", "rolled-up"])
def test_settlements_by_household_type_match_the_hand_count(users, settlement_data, rolled_up):
    if rolled_up:
        rollup_rebuild(from_day=dt.date(2025, 3, 1), to_day=APRIL_1)
        RollupState.objects.create(rolled_to=APRIL_1)
    yuehe = march(users["yuehe"])
    assert (yuehe.settled, yuehe.settled_by_household_type) == (2, {HouseholdType.FAMILY: 2})
    city = march(users["city"])
    assert city.settled_by_household_type == {HouseholdType.FAMILY: 2, HouseholdType.COMMUNITY_COLLECTIVE: 1}
    april = figures(user=users["yuehe"], period_from=APRIL_1, period_to=APRIL_1, today=dt.date(2025, 6, 1))
    assert april.settled_by_household_type == {HouseholdType.EMPLOYER_COLLECTIVE: 1}  # the day they joined
    assert march(users["yuehe"], kind="residence_declaration").settled == 2  # not a case count
    if rolled_up:
        assert set(SettlementDay.objects.values_list("day", "category", "household_type", "people")) == {
            (MARCH_31, "own_home", HouseholdType.FAMILY, 2),
            (APRIL_1, "own_home", HouseholdType.EMPLOYER_COLLECTIVE, 1),
            (dt.date(2025, 3, 15), "rental", HouseholdType.COMMUNITY_COLLECTIVE, 1),
        }


def test_a_rebuild_equals_the_nightly_rollups_while_the_history_moves_on(offices, staff, yuehe_town):
    """The nightly job rolls up each day as the base tables stand that night; days later the
    services have endorsed late, replaced, cancelled and completed. A rebuild from the tables as
    they stand then gives the very same rows: every number is read from dated records."""
    from hukou_portal.casework import services as case_services
    from permits import services as permit_services
    from tests.casework.factories import accept_all, fresh, upload_all

    officer = staff.officer
    with time_machine.travel(at(dt.date(2025, 3, 1), 10), tick=False):
        holders = people(offices.yuehe, 5)
        until = {"A": dt.date(2025, 3, 27), "B": dt.date(2025, 3, 27), "C": dt.date(2025, 12, 31)}
        until |= {"E": dt.date(2025, 12, 31), "F": MARCH_31}
        permit = {
            name: permit_services.permit_issue(
                holder=holder,
                office=offices.yuehe,
                area_code="330502",
                issued_on=dt.date(2025, 3, 1),
                endorsed_until=until[name],
                case=None,
            )
            for name, holder in zip("ABCEF", holders, strict=True)
        }
        registration = {
            name: register_locally(p.holder, yuehe_town, started_on=dt.date(2025, 3, 1)) for name, p in permit.items()
        }
        applicant = people(offices.yuehe, 1)[0]
        family = make_household(offices.yuehe, yuehe_town, HouseholdType.FAMILY)
    declaration: dict[str, Case] = {}

    def declare_with_a_supplement() -> None:  # accepted, 补正 asked and answered the same day
        case = case_services.case_create(
            actor=officer,
            kind="residence_declaration",
            category="rented",
            applicant=applicant,
            details={"town": yuehe_town, "address": "红旗路 9 号", "lived_since": dt.date(2025, 3, 1)},
        )
        for step in ("submit", "start_review"):
            getattr(case_services, f"case_{step}")(case_id=case.pk, actor=officer, expected_version=None)
        case_services.case_request_supplement(case_id=case.pk, actor=officer, expected_version=None, comment="补")
        case_services.case_receive_supplement(case_id=case.pk, actor=officer, expected_version=None)
        upload_all(fresh(case), officer)
        accept_all(fresh(case), officer)
        declaration["case"] = fresh(case)

    def endorse_now(name: str):  # type: ignore[no-untyped-def]
        return lambda: permit_services.permit_endorse(actor=officer, permit_id=permit[name].pk)

    def cancel_e() -> None:  # the registration ends and the permit with it
        ResidenceRegistration.objects.filter(pk=registration["E"].pk).update(ended_on=MARCH_31)
        permit_services.permits_cancel(
            person=permit["E"].holder, actor=officer, case=declaration["case"], reason="registration cancelled"
        )

    def settle_today() -> None:
        settle(make_case(offices.yuehe, accepted_on=dt.date(2025, 3, 20), kind="settlement"), family, on=APRIL_1)

    events = {
        dt.date(2025, 3, 26): [(10, 0, endorse_now("A"))],  # on time
        dt.date(2025, 3, 27): [
            (10, 0, declare_with_a_supplement),
            (23, 30, lambda: case_services.case_approve_at_counter(
                case_id=declaration["case"].pk, actor=officer, expected_version=None)),
            (23, 40, lambda: case_services.case_complete(
                case_id=declaration["case"].pk, actor=officer, expected_version=None)),
        ],
        # 28 March: B lapses (endorsed until the 27th).
        dt.date(2025, 3, 29): [(23, 30, lambda: permit_services.permit_replace(
            actor=officer, permit_id=permit["C"].pk, reason="遗失"))],
        dt.date(2025, 3, 30): [(10, 0, endorse_now("B"))],  # late: B is restored
        MARCH_31: [(23, 30, cancel_e)],
        APRIL_1: [(0, 10, endorse_now("F")), (10, 0, settle_today)],  # F: late by ten minutes
    }  # fmt: skip
    RollupState.objects.create(rolled_to=dt.date(2025, 3, 24))
    day = dt.date(2025, 3, 25)
    while day <= dt.date(2025, 4, 3):
        todays = events.get(day, [])
        for hour, minute, event in [e for e in todays if e[:2] < (0, 40)]:
            with time_machine.travel(at(day, hour, minute), tick=False):
                event()
        with time_machine.travel(at(day, 0, 40), tick=False):  # the night's run: yesterday
            assert rollup_days_task() == (0 if day == dt.date(2025, 3, 25) else 1)
        for hour, minute, event in [e for e in todays if e[:2] >= (0, 40)]:
            with time_machine.travel(at(day, hour, minute), tick=False):
                event()
        day += dt.timedelta(days=1)
    nightly = snapshot()

    def permits_on(day: dt.date) -> tuple[int, int]:
        row = PermitDay.objects.filter(day=day, office=offices.yuehe).first()
        return (row.endorsed, row.lapsed) if row else (0, 0)

    assert [permits_on(dt.date(2025, 3, d)) for d in (26, 27, 28, 29, 30, 31)] == [
        (1, 0), (0, 0), (0, 1), (0, 0), (1, 0), (0, 0),
    ]  # fmt: skip
    assert permits_on(APRIL_1) == (1, 1)
    stock = {
        row.day: (row.residents, row.permits_valid)
        for row in TownStockDay.objects.filter(office=offices.yuehe, town=yuehe_town)
    }
    assert [stock[dt.date(2025, 3, d)] for d in (27, 28, 29, 30, 31)] == [(6, 5), (6, 4), (6, 4), (6, 5), (5, 4)]
    assert stock[APRIL_1] == (5, 4)  # F lapsed at midnight and was endorsed at 00:10
    declared = CaseDay.objects.get(day=dt.date(2025, 3, 27), kind="residence_declaration")
    assert (declared.received, declared.decided_after_supplement, declared.completed) == (1, 1, 1)
    assert SettlementDay.objects.get().day == APRIL_1

    for model in ROLLUP_MODELS:
        model.objects.all().delete()
    rollup_rebuild(from_day=dt.date(2025, 3, 25), to_day=dt.date(2025, 4, 2))
    assert snapshot() == nightly
