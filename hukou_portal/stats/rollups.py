"""Building the daily rollups (E1) from the base tables.

A day is the Asia/Shanghai calendar day: a decision at 23:30 Beijing time on 31 March (15:30
UTC) belongs to March. ``day_rows`` aggregates one day with set-based queries (GROUP BY); the
same function gives the selector today's live part, so rolled-up and live numbers agree by
construction. ``rollup_day`` replaces one day's rows inside one transaction: a rerun, a retry
or a second worker never doubles a count.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count

from hukou_portal.casework.models import Case, Decision
from hukou_portal.rules.calendar import CalendarMissing, WorkCalendar
from permits.models import ResidencePermit
from registration.models import ResidenceRegistration

from .models import CaseDay, CaseDecisionTime, PermitDay, RegistrationDay, RollupState

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = dt.timedelta(days=1)
STATE_NAME = "daily"
# The first nightly run, with no state yet, starts this many days back; older history is
# rolled up once with ``manage.py stats_rollup --from``.
INITIAL_LOOKBACK_DAYS = 7

CaseKey = tuple[int, str, str]  # office, kind, category


@dataclass
class DayRows:
    """One day's aggregates, keyed as the rollup tables are."""

    cases: dict[CaseKey, Counter[str]] = field(default_factory=dict)
    decision_times: Counter[tuple[int, str, str, int]] = field(default_factory=Counter)
    registrations: dict[tuple[int, int | None], Counter[str]] = field(default_factory=dict)
    permits: Counter[int] = field(default_factory=Counter)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of an Asia/Shanghai calendar day, as aware datetimes."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=SHANGHAI)
    return start, dt.datetime.combine(day + ONE_DAY, dt.time.min, tzinfo=SHANGHAI)


def working_days_to_decision(
    *, calendar: WorkCalendar, accepted_on: dt.date, decided_on: dt.date, paused_working_days: int
) -> int | None:
    """Working days in (accepted_on, decided_on] less those spent waiting for 补正; None when
    the calendar of a year in between is not published (never guessed)."""
    try:
        return max(0, calendar.working_days_between(accepted_on, decided_on) - paused_working_days)
    except CalendarMissing:
        return None


def day_rows(*, day: dt.date, office_ids: list[int] | None = None, calendar: WorkCalendar | None = None) -> DayRows:
    """The aggregates of ``day`` from the base tables (a handful of GROUP BY queries), for every
    office or only ``office_ids``."""
    rows = DayRows()
    start, end = day_bounds(day)

    cases = Case.objects.all()
    permits = ResidencePermit.objects.all()
    registrations = ResidenceRegistration.objects.filter(source=ResidenceRegistration.Source.LOCAL, case__isnull=False)
    if office_ids is not None:
        cases = cases.filter(office_id__in=office_ids)
        permits = permits.filter(office_id__in=office_ids)
        registrations = registrations.filter(case__office_id__in=office_ids)

    for row in (
        cases.filter(clock_started_on=day).values("office_id", "kind", "category").annotate(n=Count("id")).order_by()
    ):
        key = (row["office_id"], row["kind"], row["category"])
        rows.cases.setdefault(key, Counter())["received"] += row["n"]

    # Decisions of the day, one row per case (a day's decisions are few); the working days to
    # decision need the holiday calendar, so they are counted here rather than in SQL.
    decided = cases.filter(decided_at__gte=start, decided_at__lt=end).exclude(decision="")
    for office_id, kind, category, decision, accepted_on, paused, deadline in decided.values_list(
        "office_id", "kind", "category", "decision", "clock_started_on", "paused_working_days", "deadline"
    ):
        key = (office_id, kind, category)
        counts = rows.cases.setdefault(key, Counter())
        counts["decided_approved" if decision == Decision.APPROVED else "decided_rejected"] += 1
        if deadline is not None and day <= deadline:
            counts["decided_within_deadline"] += 1
        if accepted_on is not None:
            if calendar is None:
                calendar = WorkCalendar.load()
            working_days = working_days_to_decision(
                calendar=calendar, accepted_on=accepted_on, decided_on=day, paused_working_days=paused
            )
            if working_days is not None:
                rows.decision_times[(office_id, kind, category, working_days)] += 1

    for column, date_field in (("started", "started_on"), ("ended", "ended_on")):
        for office_id, town_id, n in (
            registrations.filter(**{date_field: day})
            .values("case__office_id", "town_id")
            .annotate(n=Count("id"))
            .values_list("case__office_id", "town_id", "n")
            .order_by()
        ):
            rows.registrations.setdefault((office_id, town_id), Counter())[column] += n

    for office_id, n in (
        permits.filter(issued_on=day)
        .values("office_id")
        .annotate(n=Count("id"))
        .values_list("office_id", "n")
        .order_by()
    ):
        rows.permits[office_id] += n
    return rows


@transaction.atomic
def rollup_day(*, day: dt.date, calendar: WorkCalendar | None = None) -> DayRows:
    """Replace the rollup rows of ``day`` with its aggregates from the base tables. Idempotent."""
    rows = day_rows(day=day, calendar=calendar)
    for model in (CaseDay, CaseDecisionTime, RegistrationDay, PermitDay):
        model.objects.filter(day=day).delete()
    CaseDay.objects.bulk_create(
        CaseDay(day=day, office_id=office_id, kind=kind, category=category, **counts)
        for (office_id, kind, category), counts in rows.cases.items()
    )
    CaseDecisionTime.objects.bulk_create(
        CaseDecisionTime(day=day, office_id=office_id, kind=kind, category=category, working_days=working_days, cases=n)
        for (office_id, kind, category, working_days), n in rows.decision_times.items()
    )
    RegistrationDay.objects.bulk_create(
        RegistrationDay(day=day, office_id=office_id, town_id=town_id, **counts)
        for (office_id, town_id), counts in rows.registrations.items()
    )
    PermitDay.objects.bulk_create(
        PermitDay(day=day, office_id=office_id, issued=n) for office_id, n in rows.permits.items()
    )
    return rows


@transaction.atomic
def rollup_rebuild(*, from_day: dt.date, to_day: dt.date) -> int:
    """Recompute every day in [from_day, to_day]; returns the number of days. Does not move
    ``RollupState`` (a rebuild of old days leaves the nightly job where it was)."""
    calendar = WorkCalendar.load()
    day, days = from_day, 0
    while day <= to_day:
        rollup_day(day=day, calendar=calendar)
        day += ONE_DAY
        days += 1
    return days


def rolled_to() -> dt.date | None:
    """The last day whose rollup is complete (None before the first run)."""
    return RollupState.objects.filter(name=STATE_NAME).values_list("rolled_to", flat=True).first()


@transaction.atomic
def rollup_catch_up(*, through: dt.date) -> int:
    """Roll up every day after the last rolled-up one through ``through`` (yesterday, at
    night); a night the job missed is caught up by the next. Returns the number of days."""
    state, _ = RollupState.objects.get_or_create(
        name=STATE_NAME, defaults={"rolled_to": through - dt.timedelta(days=INITIAL_LOOKBACK_DAYS)}
    )
    state = RollupState.objects.select_for_update().get(pk=state.pk)  # one catch-up at a time
    if through <= state.rolled_to:
        return 0
    days = rollup_rebuild(from_day=state.rolled_to + ONE_DAY, to_day=through)
    state.rolled_to = through
    state.save(update_fields=["rolled_to"])
    return days


@transaction.atomic
def rollup_history(*, from_day: dt.date, through: dt.date) -> int:
    """First installation, or after a long stop: roll up every day from ``from_day`` through
    ``through`` and count them complete. ``RollupState`` moves to ``through`` when the days
    rolled up join those already complete (no state yet, or none missing in between), so the
    nightly job goes on from there; otherwise it stays (a gap is never called complete)."""
    state = RollupState.objects.select_for_update().filter(name=STATE_NAME).first()
    days = rollup_rebuild(from_day=from_day, to_day=through)
    if state is None:
        RollupState.objects.create(name=STATE_NAME, rolled_to=through)
    elif state.rolled_to + ONE_DAY >= from_day and through > state.rolled_to:
        state.rolled_to = through
        state.save(update_fields=["rolled_to"])
    return days
