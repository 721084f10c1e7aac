"""Building the daily rollups (E1) from the base tables.

A day is the Asia/Shanghai calendar day: a decision at 23:30 Beijing time on 31 March (15:30
UTC) belongs to March. ``day_rows`` aggregates one day with set-based queries (GROUP BY); the
same function gives the selector today's live part, so rolled-up and live numbers agree by
construction. ``rollup_day`` replaces one day's rows inside one transaction: a rerun, a retry
or a second worker never doubles a count.

Every count is of a dated move (accepted, decided, completed, registered, issued, endorsed,
joined a household), and the stock per town is read as it stood at the end of the day from
dated records (registration periods, the day a permit ended, the endorsement history), so a
day rebuilt later from the base tables gives what the nightly run gave — barring the
corrections docs/statistics.md names (a handover, a town given to another station).
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from hukou_portal.accounts.models import Office
from hukou_portal.casework.models import Case, Decision
from hukou_portal.people.models import HouseholdMember, JoinReason, Town
from hukou_portal.people.selectors import town_offices
from hukou_portal.rules.calendar import CalendarMissing, WorkCalendar
from permits.kinds import PERMIT_CONVERSION
from permits.models import PermitEndorsement, ResidencePermit
from registration.models import ResidenceRegistration
from settlement.kinds import SETTLEMENT

from .models import (
    CaseDay,
    CaseDecisionTime,
    PermitDay,
    RegistrationDay,
    RollupState,
    SettlementDay,
    TownStockDay,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = dt.timedelta(days=1)
STATE_NAME = "daily"
# The first nightly run, with no state yet, starts this many days back; older history is
# rolled up once with ``manage.py stats_rollup --from``.
INITIAL_LOOKBACK_DAYS = 7

CaseKey = tuple[int, str, str]  # office, kind, category
SettlementKey = tuple[int, str, str]  # office, category, household type
TownKey = tuple[int, int | None]  # office, town (None: a permit holder with no local registration)
# Joining a household by a settlement case: the settlers, now or when their 迁出 is confirmed —
# not a host recorded as registered there already.
SETTLED_REASONS = (JoinReason.SETTLED, JoinReason.MOVED_IN_FROM_ELSEWHERE)


@dataclass
class DayRows:
    """One day's aggregates, keyed as the rollup tables are.

    - ``cases``: CaseDay's counts by name (received, decided_approved, decided_rejected,
      decided_within_deadline, decided_after_supplement, completed);
    - ``permits``: permits issued per office (PermitDay.issued); ``permit_counts`` has all of
      PermitDay's counts per office (issued, converted, endorsed, lapsed);
    - ``settlements``: people settled per (office, category, household type);
    - ``town_stock``: the snapshot at the end of the day per (office, town): residents,
      permits_valid; empty when ``day_rows`` was asked for no stock.
    """

    cases: dict[CaseKey, Counter[str]] = field(default_factory=dict)
    decision_times: Counter[tuple[int, str, str, int]] = field(default_factory=Counter)
    registrations: dict[tuple[int, int | None], Counter[str]] = field(default_factory=dict)
    permits: Counter[int] = field(default_factory=Counter)
    permit_counts: dict[int, Counter[str]] = field(default_factory=dict)
    settlements: Counter[SettlementKey] = field(default_factory=Counter)
    town_stock: dict[TownKey, Counter[str]] = field(default_factory=dict)


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


def town_office_ids() -> dict[int, int]:
    """The office answering for each town, by town id (``people.selectors.town_offices``: its
    open police station, else its county-level bureau), and the city bureau for a town with
    neither, so every town's stock is counted somewhere. Three small queries."""
    towns = list(Town.objects.select_related("station", "area"))
    found = {pk: office.pk for pk, office in town_offices(towns).items()}
    if len(found) < len(towns):
        city = Office.objects.filter(level=Office.Level.CITY, is_active=True).order_by("path").first()
        if city is not None:
            found.update({town.pk: city.pk for town in towns if town.pk not in found})
    return found


def in_force_q(day: dt.date, prefix: str = "") -> Q:
    """A permit in force at the end of ``day``: begun (issued on or before it; a replacement —
    which keeps the issue day of the permit it replaces — from the day it was made, the day that
    one ended) and not ended on or before it (still active, or cancelled, replaced or converted
    on a later day). ``prefix`` reaches the permit through a relation (``"permit__"``)."""
    _start, end = day_bounds(day)
    return (
        Q(**{f"{prefix}replaces__isnull": True, f"{prefix}issued_on__lte": day})
        | Q(**{f"{prefix}replaces__isnull": False, f"{prefix}created_at__lt": end})
    ) & (Q(**{f"{prefix}status": ResidencePermit.Status.ACTIVE}) | Q(**{f"{prefix}ended_on__gt": day}))


def permits_in_force(permits: QuerySet[ResidencePermit], day: dt.date) -> QuerySet[ResidencePermit]:
    """The permits in force at the end of ``day`` (``in_force_q``)."""
    return permits.filter(in_force_q(day))


def permits_valid(permits: QuerySet[ResidencePermit], day: dt.date) -> QuerySet[ResidencePermit]:
    """The permits valid at the end of ``day``: in force and endorsed until ``day`` or later as
    the endorsements stood then. The endorsed-until day only grows, so it was before ``day``
    exactly when it is before ``day`` now or an endorsement made after ``day`` found it so."""
    restored_later = PermitEndorsement.objects.filter(
        permit_id=OuterRef("pk"), endorsed_on__gt=day, previous_until__lt=day
    )
    return permits_in_force(permits, day).filter(endorsed_until__gte=day).exclude(Exists(restored_later))


def registrations_in_force(day: dt.date) -> QuerySet[ResidenceRegistration]:
    """Local residence registrations (with their town) in force at the end of ``day``."""
    return ResidenceRegistration.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day),
        source=ResidenceRegistration.Source.LOCAL,
        town__isnull=False,
        started_on__lte=day,
    )


def _count(rows: DayRows, key: TownKey, name: str, n: int) -> None:
    rows.town_stock.setdefault(key, Counter())[name] += n


def town_stock(
    *, rows: DayRows, day: dt.date, office_ids: list[int] | None, town_office: dict[int, int] | None
) -> None:
    """The snapshot of ``day`` into ``rows.town_stock``: three GROUP BYs (registrations per town;
    those whose holder has a valid permit; valid permits whose holder has no registration)."""
    town_office = town_office_ids() if town_office is None else town_office
    registrations = registrations_in_force(day)
    scoped = registrations
    unregistered_permits = ResidencePermit.objects.all()
    if office_ids is not None:
        scoped = registrations.filter(town_id__in=[t for t, office in town_office.items() if office in office_ids])
        unregistered_permits = unregistered_permits.filter(office_id__in=office_ids)
    valid_holders = permits_valid(ResidencePermit.objects.all(), day).values("holder_id")
    for name, queryset in (("residents", scoped), ("permits_valid", scoped.filter(person_id__in=valid_holders))):
        for town_id, n in queryset.values("town_id").annotate(n=Count("id")).values_list("town_id", "n").order_by():
            if town_id in town_office:
                _count(rows, (town_office[town_id], town_id), name, n)
    without = permits_valid(unregistered_permits, day).exclude(
        Exists(registrations.filter(person_id=OuterRef("holder_id")))
    )
    for office_id, n in without.values("office_id").annotate(n=Count("id")).values_list("office_id", "n").order_by():
        _count(rows, (office_id, None), "permits_valid", n)


def day_rows(
    *,
    day: dt.date,
    office_ids: list[int] | None = None,
    calendar: WorkCalendar | None = None,
    stock: bool = True,
    town_office: dict[int, int] | None = None,
) -> DayRows:
    """The aggregates of ``day`` from the base tables (a handful of GROUP BY queries), for every
    office or only ``office_ids``; with ``stock``, the snapshot per town at the end of the day
    too (``town_office``: ``town_office_ids()``, read when not given)."""
    rows = DayRows()
    start, end = day_bounds(day)

    cases = Case.objects.all()
    permits = ResidencePermit.objects.all()
    endorsements = PermitEndorsement.objects.all()
    registrations = ResidenceRegistration.objects.filter(source=ResidenceRegistration.Source.LOCAL, case__isnull=False)
    settlers = HouseholdMember.objects.filter(
        join_case__isnull=False, join_case__kind=SETTLEMENT.code, join_reason__in=SETTLED_REASONS
    )
    if office_ids is not None:
        cases = cases.filter(office_id__in=office_ids)
        permits = permits.filter(office_id__in=office_ids)
        endorsements = endorsements.filter(office_id__in=office_ids)
        registrations = registrations.filter(case__office_id__in=office_ids)
        settlers = settlers.filter(join_case__office_id__in=office_ids)

    for row in (
        cases.filter(clock_started_on=day).values("office_id", "kind", "category").annotate(n=Count("id")).order_by()
    ):
        key = (row["office_id"], row["kind"], row["category"])
        rows.cases.setdefault(key, Counter())["received"] += row["n"]

    # Decisions of the day, one row per case (a day's decisions are few); the working days to
    # decision need the holiday calendar, so they are counted here rather than in SQL.
    decided = cases.filter(decided_at__gte=start, decided_at__lt=end).exclude(decision="")
    for office_id, kind, category, decision, accepted_on, paused, deadline, supplements in decided.values_list(
        "office_id",
        "kind",
        "category",
        "decision",
        "clock_started_on",
        "paused_working_days",
        "deadline",
        "supplement_requests",
    ):
        key = (office_id, kind, category)
        counts = rows.cases.setdefault(key, Counter())
        counts["decided_approved" if decision == Decision.APPROVED else "decided_rejected"] += 1
        if deadline is not None and day <= deadline:
            counts["decided_within_deadline"] += 1
        if supplements:
            counts["decided_after_supplement"] += 1
        if accepted_on is not None:
            if calendar is None:
                calendar = WorkCalendar.load()
            working_days = working_days_to_decision(
                calendar=calendar, accepted_on=accepted_on, decided_on=day, paused_working_days=paused
            )
            if working_days is not None:
                rows.decision_times[(office_id, kind, category, working_days)] += 1

    for row in (
        cases.filter(completed_at__gte=start, completed_at__lt=end)
        .values("office_id", "kind", "category")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = (row["office_id"], row["kind"], row["category"])
        rows.cases.setdefault(key, Counter())["completed"] += row["n"]

    for column, date_field in (("started", "started_on"), ("ended", "ended_on")):
        for office_id, town_id, n in (
            registrations.filter(**{date_field: day})
            .values("case__office_id", "town_id")
            .annotate(n=Count("id"))
            .values_list("case__office_id", "town_id", "n")
            .order_by()
        ):
            rows.registrations.setdefault((office_id, town_id), Counter())[column] += n

    # Issued by a case (a replacement after a loss keeps the issue day of the permit it replaces:
    # it is not a new permit), and of those the conversions (R3.1).
    for office_id, kind, n in (
        permits.filter(issued_on=day, replaces__isnull=True)
        .values("office_id", "case__kind")
        .annotate(n=Count("id"))
        .values_list("office_id", "case__kind", "n")
        .order_by()
    ):
        rows.permits[office_id] += n
        counts = rows.permit_counts.setdefault(office_id, Counter())
        counts["issued"] += n
        if kind == PERMIT_CONVERSION.code:
            counts["converted"] += n
    for office_id, n in (
        endorsements.filter(endorsed_on=day)
        .values("office_id")
        .annotate(n=Count("id"))
        .values_list("office_id", "n")
        .order_by()
    ):
        rows.permit_counts.setdefault(office_id, Counter())["endorsed"] += n
    # Lapsed today: endorsed until yesterday as things stood at the end of yesterday, and in force
    # then. Either the period is still the permit's (endorsed_until = yesterday) or a late
    # endorsement has since found it ended yesterday (read from the endorsements, a handful: the
    # permits by their key); never both, as an endorsement moves the period on.
    yesterday = day - ONE_DAY
    still_ended = permits_in_force(permits, yesterday).filter(endorsed_until=yesterday)
    ended_late = PermitEndorsement.objects.filter(
        in_force_q(yesterday, "permit__"), previous_until=yesterday, endorsed_on__gt=yesterday
    )
    if office_ids is not None:
        ended_late = ended_late.filter(permit__office_id__in=office_ids)
    for lapsed, office in ((still_ended, "office_id"), (ended_late, "permit__office_id")):
        for office_id, n in lapsed.values(office).annotate(n=Count("pk")).values_list(office, "n").order_by():
            rows.permit_counts.setdefault(office_id, Counter())["lapsed"] += n

    for office_id, category, household_type, n in (
        settlers.filter(joined_on=day)
        .values("join_case__office_id", "join_case__category", "household__type")
        .annotate(n=Count("id"))
        .values_list("join_case__office_id", "join_case__category", "household__type", "n")
        .order_by()
    ):
        rows.settlements[(office_id, category, household_type)] += n

    if stock:
        town_stock(rows=rows, day=day, office_ids=office_ids, town_office=town_office)
    return rows


@transaction.atomic
def rollup_day(
    *, day: dt.date, calendar: WorkCalendar | None = None, town_office: dict[int, int] | None = None
) -> DayRows:
    """Replace the rollup rows of ``day`` with its aggregates from the base tables. Idempotent."""
    rows = day_rows(day=day, calendar=calendar, town_office=town_office)
    for model in (CaseDay, CaseDecisionTime, RegistrationDay, PermitDay, SettlementDay, TownStockDay):
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
        PermitDay(day=day, office_id=office_id, **counts) for office_id, counts in rows.permit_counts.items()
    )
    SettlementDay.objects.bulk_create(
        SettlementDay(day=day, office_id=office_id, category=category, household_type=household_type, people=n)
        for (office_id, category, household_type), n in rows.settlements.items()
    )
    TownStockDay.objects.bulk_create(
        TownStockDay(day=day, office_id=office_id, town_id=town_id, **counts)
        for (office_id, town_id), counts in rows.town_stock.items()
    )
    from .inflow import rollup_inflow_day  # inflow.py reads this module's helpers

    rollup_inflow_day(day=day)
    return rows


@transaction.atomic
def rollup_rebuild(*, from_day: dt.date, to_day: dt.date) -> int:
    """Recompute every day in [from_day, to_day]; returns the number of days. Does not move
    ``RollupState`` (a rebuild of old days leaves the nightly job where it was)."""
    calendar, town_office = WorkCalendar.load(), town_office_ids()
    day, days = from_day, 0
    while day <= to_day:
        rollup_day(day=day, calendar=calendar, town_office=town_office)
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
