"""The figures of the dashboard (E1), read from the daily rollups, scoped to the user's offices.

Days up to the last rolled-up one come from the rollup tables (a few small aggregates whatever
the size of the base tables); the days after it — today, and any night the job has not caught
up yet — are aggregated live from the base tables by the same code that builds the rollups.
"""

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from hukou_portal.accounts.models import User
from hukou_portal.accounts.selectors import office_visible_ids

from .models import CaseDay, CaseDecisionTime, PermitDay, RegistrationDay
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
    *, user: User, period_from: dt.date, period_to: dt.date, kind: str | None = None, today: dt.date | None = None
) -> Figures:
    """The figures of [period_from, period_to] for the user's office and those below it,
    optionally for one case kind (the registration and permit figures do not depend on it)."""
    today = today or timezone.localdate()
    office_ids = office_visible_ids(user=user)
    period_to = min(period_to, today)
    complete_to = min(period_to, rolled_to() or period_from - ONE_DAY)

    case_counts: Counter[str] = Counter()
    times: Counter[int] = Counter()
    registrations: Counter[str] = Counter()
    permits = 0

    if period_from <= complete_to:
        stored = {"day__gte": period_from, "day__lte": complete_to, "office_id__in": office_ids}
        case_filter = {**stored, **({"kind": kind} if kind else {})}
        sums = CaseDay.objects.filter(**case_filter).aggregate(
            received=Sum("received"),
            decided_approved=Sum("decided_approved"),
            decided_rejected=Sum("decided_rejected"),
            decided_within_deadline=Sum("decided_within_deadline"),
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
        permits += PermitDay.objects.filter(**stored).aggregate(issued=Sum("issued"))["issued"] or 0

    day = max(period_from, complete_to + ONE_DAY)
    while day <= period_to:  # today, and any day the nightly job has not rolled up yet
        live = day_rows(day=day, office_ids=office_ids)
        for (_, case_kind, _), counts in live.cases.items():
            if not kind or case_kind == kind:
                case_counts.update(counts)
        for (_, case_kind, _, working_days), cases in live.decision_times.items():
            if not kind or case_kind == kind:
                times[working_days] += cases
        for counts in live.registrations.values():
            registrations.update(counts)
        permits += sum(live.permits.values())
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
        permits_issued=permits,
    )
