"""The figures of the dashboard (E1), read from the daily rollups, scoped to the user's offices.

Days up to the last rolled-up one come from the rollup tables (a few small aggregates whatever
the size of the base tables); the days after it — today, and any night the job has not caught
up yet — are aggregated live from the base tables by the same code that builds the rollups.
The stock per town is a snapshot: a period reads its last day's, from the rollups when that day
is rolled up, else live.
"""

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone

from hukou_portal.accounts.models import User
from hukou_portal.accounts.selectors import office_visible_ids

from .models import CaseDay, CaseDecisionTime, PermitDay, RegistrationDay, SettlementDay, TownStockDay
from .rollups import ONE_DAY, day_rows, rolled_to


@dataclass(frozen=True)
class Figures:
    received: int
    decided_approved: int
    decided_rejected: int
    decided_within_deadline: int
    # Working days from acceptance to decision (补正 waits excluded); None with no decision.
    median_working_days: int | None
    p90_working_days: int | None
    registrations_started: int
    registrations_ended: int
    permits_issued: int
    # Added with issue 13's second step; defaults keep the older positional construction valid.
    completed: int = 0  # 办结
    decided_after_supplement: int = 0  # decisions on cases that had a 补正
    permits_converted: int = 0  # of permits_issued, by a conversion (R3.1)
    permits_endorsed: int = 0  # 签注 made
    permits_lapsed: int = 0
    settled: int = 0  # people placed in a household by a settlement case
    settled_by_household_type: dict[str, int] = field(default_factory=dict)  # HouseholdType value → people
    # 实有人口 at the end of the period's last day (today at most): a snapshot, not a sum. None
    # when ``figures`` was asked for no stock.
    residents_at_end: int | None = None
    permits_valid_at_end: int | None = None

    @property
    def decided(self) -> int:
        return self.decided_approved + self.decided_rejected


def percentile(histogram: Counter[int], fraction: float) -> int | None:
    """The nearest-rank percentile of a histogram {value: count}: the smallest value with at
    least ``ceil(fraction × total)`` of the counts at or below it."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank, seen = max(1, math.ceil(fraction * total)), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable")


def figures(
    *,
    user: User,
    period_from: dt.date,
    period_to: dt.date,
    kind: str | None = None,
    today: dt.date | None = None,
    stock: bool = True,
) -> Figures:
    """The figures of [period_from, period_to] for the user's office and those below it,
    optionally for one case kind (the case counts; the registration, permit, settlement and
    stock figures do not depend on it). The stock is as of the end of ``period_to`` (or today):
    read from the rollups when that day is rolled up, else computed live — a snapshot whose cost
    grows with the registrations and permits in force; ``stock=False`` leaves it out (None)."""
    today = today or timezone.localdate()
    office_ids = office_visible_ids(user=user)
    period_to = min(period_to, today)
    complete_to = min(period_to, rolled_to() or period_from - ONE_DAY)

    case_counts: Counter[str] = Counter()
    times: Counter[int] = Counter()
    registrations: Counter[str] = Counter()
    permits: Counter[str] = Counter()
    settled: Counter[str] = Counter()
    in_force: Counter[str] = Counter()

    if period_from <= complete_to:
        stored = {"day__gte": period_from, "day__lte": complete_to, "office_id__in": office_ids}
        case_filter = {**stored, **({"kind": kind} if kind else {})}
        sums = CaseDay.objects.filter(**case_filter).aggregate(
            received=Sum("received"),
            decided_approved=Sum("decided_approved"),
            decided_rejected=Sum("decided_rejected"),
            decided_within_deadline=Sum("decided_within_deadline"),
            decided_after_supplement=Sum("decided_after_supplement"),
            completed=Sum("completed"),
        )
        case_counts.update({name: value or 0 for name, value in sums.items()})
        for working_days, cases in (
            CaseDecisionTime.objects.filter(**case_filter)
            .values("working_days")
            .annotate(cases=Sum("cases"))
            .values_list("working_days", "cases")
            .order_by()
        ):
            times[working_days] += cases
        sums = RegistrationDay.objects.filter(**stored).aggregate(started=Sum("started"), ended=Sum("ended"))
        registrations.update({name: value or 0 for name, value in sums.items()})
        sums = PermitDay.objects.filter(**stored).aggregate(
            issued=Sum("issued"), converted=Sum("converted"), endorsed=Sum("endorsed"), lapsed=Sum("lapsed")
        )
        permits.update({name: value or 0 for name, value in sums.items()})
        for household_type, people in (
            SettlementDay.objects.filter(**stored)
            .values("household_type")
            .annotate(people=Sum("people"))
            .values_list("household_type", "people")
            .order_by()
        ):
            settled[household_type] += people
    if stock and period_from <= period_to <= complete_to:
        sums = TownStockDay.objects.filter(day=period_to, office_id__in=office_ids).aggregate(
            residents=Sum("residents"), permits_valid=Sum("permits_valid")
        )
        in_force.update({name: value or 0 for name, value in sums.items()})

    day = max(period_from, complete_to + ONE_DAY)
    while day <= period_to:  # today, and any day the nightly job has not rolled up yet
        live = day_rows(day=day, office_ids=office_ids, stock=stock and day == period_to)
        for (_, case_kind, _), counts in live.cases.items():
            if not kind or case_kind == kind:
                case_counts.update(counts)
        for (_, case_kind, _, working_days), cases in live.decision_times.items():
            if not kind or case_kind == kind:
                times[working_days] += cases
        for counts in live.registrations.values():
            registrations.update(counts)
        for counts in live.permit_counts.values():
            permits.update(counts)
        for (_, _, household_type), people in live.settlements.items():
            settled[household_type] += people
        for counts in live.town_stock.values():
            in_force.update(counts)
        day += ONE_DAY

    return Figures(
        received=case_counts["received"],
        decided_approved=case_counts["decided_approved"],
        decided_rejected=case_counts["decided_rejected"],
        decided_within_deadline=case_counts["decided_within_deadline"],
        median_working_days=percentile(times, 0.5),
        p90_working_days=percentile(times, 0.9),
        registrations_started=registrations["started"],
        registrations_ended=registrations["ended"],
        permits_issued=permits["issued"],
        completed=case_counts["completed"],
        decided_after_supplement=case_counts["decided_after_supplement"],
        permits_converted=permits["converted"],
        permits_endorsed=permits["endorsed"],
        permits_lapsed=permits["lapsed"],
        settled=sum(settled.values()),
        settled_by_household_type={name: n for name, n in sorted(settled.items()) if n},
        residents_at_end=in_force["residents"] if stock and period_from <= period_to else None,
        permits_valid_at_end=in_force["permits_valid"] if stock and period_from <= period_to else None,
    )
