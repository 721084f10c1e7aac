"""The reform pipeline (E1): who becomes able to apply to settle in the next 90 days — residence
permits reaching the holding period (N1, S5.1) and lease filings reaching the filing period (N2,
S1.2) — against the settlements actually applied for under those two clauses.

Who reaches a milestone is computed by the reminders' own selectors
(``notifications.selectors.permits_reaching_holding_period``, ``filings_reaching_filing_period``:
the same people the sweep will remind, on the same days), which materialise one row per permit
or filing: at city scale 90 days hold some 100,000, too many for a page view. So the pipeline is
a nightly snapshot (``snapshot_pipeline``, run by ``tasks.rollup_days_task``), counted per
office and month; a page reads a few rows of it (``pipeline``).
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from hukou_portal.casework.models import Case
from hukou_portal.notifications.selectors import (
    MILESTONE_PARAMETERS,
    filings_reaching_filing_period,
    parameter_history_until,
    permits_reaching_holding_period,
)
from hukou_portal.people.selectors import town_offices

from .models import CaseDay, PipelineSnapshot, PipelineSnapshotTaken
from .rollups import ONE_DAY, rolled_to

WINDOW_DAYS = 90  # the pipeline looks (day, day + 90 days] ahead; the applied-for count as far back
KEEP_DAYS = 14  # snapshots older than this many days are deleted when a new one is taken
N1, N2 = "n1", "n2"
MILESTONES = (N1, N2)
SETTLEMENT = "settlement"
# The settlement category each milestone opens: N1 → S5.1 (permit holders), N2 → S1.2 (rental).
MILESTONE_CATEGORY = {N1: "permit", N2: "rental"}

SnapshotKey = tuple[int, str, dt.date]  # office, milestone, month


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def window_months(day: dt.date) -> tuple[dt.date, ...]:
    """The first days of the months that (day, day + 90 days] touches, oldest first."""
    months, month = [], month_of(day + ONE_DAY)
    last = month_of(day + dt.timedelta(days=WINDOW_DAYS))
    while month <= last:
        months.append(month)
        month = month_of(month + dt.timedelta(days=31))
    return tuple(months)


def pipeline_counts(*, day: dt.date) -> Counter[SnapshotKey]:
    """Permits (N1) and lease filings (N2) reaching their milestone in (day, day + 90 days], per
    office and month of the milestone day, by the reminders' selectors over every office, with
    every value of the parameters in force on some day of the window (as ``worklist`` reads
    them). A permit counts at its issuing office; a filing at the office answering for its rental
    home's town (``people.selectors.town_offices``, the selectors' own ``offices`` filter) — a
    town no open office answers for is in no office's worklist, and in no office's count."""
    end = day + dt.timedelta(days=WINDOW_DAYS)
    history = parameter_history_until(keys=MILESTONE_PARAMETERS, as_of=end)
    counts: Counter[SnapshotKey] = Counter()
    for permit, reached in permits_reaching_holding_period(start=day, end=end, history=history):
        counts[permit.office_id, N1, month_of(reached)] += 1
    filings = filings_reaching_filing_period(start=day, end=end, history=history)
    answering = town_offices({filing.town_id: filing.town for filing, _ in filings}.values())
    for filing, reached in filings:
        office = answering.get(filing.town_id)
        if office is not None:
            counts[office.pk, N2, month_of(reached)] += 1
    return counts


def snapshot_pipeline(*, day: dt.date) -> dict[str, int]:
    """Take the pipeline snapshot of ``day`` (the night the job runs): replace that day's rows,
    mark the day taken, delete the snapshots of ``KEEP_DAYS`` days ago and older. Idempotent: a
    rerun, a retry or a second worker leaves the same rows (the day's mark is locked while they
    are replaced). Counts only, derived data: not audited, like the rollups. Returns the people
    in the pipeline per milestone."""
    counts = pipeline_counts(day=day)  # the long read, outside the transaction
    with transaction.atomic():
        taken, _ = PipelineSnapshotTaken.objects.get_or_create(day=day, defaults={"taken_at": timezone.now()})
        taken = PipelineSnapshotTaken.objects.select_for_update().get(pk=taken.pk)  # one writer per day
        PipelineSnapshot.objects.filter(day=day).delete()
        PipelineSnapshot.objects.bulk_create(
            PipelineSnapshot(day=day, office_id=office_id, milestone=milestone, month=month, people=people)
            for (office_id, milestone, month), people in sorted(counts.items())
        )
        taken.taken_at = timezone.now()
        taken.save(update_fields=["taken_at"])
        expired = day - dt.timedelta(days=KEEP_DAYS)
        PipelineSnapshot.objects.filter(day__lte=expired).delete()
        PipelineSnapshotTaken.objects.filter(day__lte=expired).delete()
    totals = dict.fromkeys(MILESTONES, 0)
    for (_office, milestone, _month), people in counts.items():
        totals[milestone] += people
    return totals


def settlements_applied_for(*, office_ids: Iterable[int], first: dt.date, last: dt.date) -> dict[str, int]:
    """Settlement cases of ``office_ids`` accepted at the counter (受理, ``clock_started_on``) in
    [first, last], for each category a milestone opens (``MILESTONE_CATEGORY``): from the
    ``CaseDay`` rollups up to the last rolled-up day, after it from the cases themselves (one
    query, counted as ``rollups.day_rows`` counts ``received``)."""
    office_ids = list(office_ids)
    counts = dict.fromkeys(MILESTONE_CATEGORY.values(), 0)
    complete_to = min(last, rolled_to() or first - ONE_DAY)
    if first <= complete_to:
        for category, received in (
            CaseDay.objects.filter(
                day__gte=first,
                day__lte=complete_to,
                office_id__in=office_ids,
                kind=SETTLEMENT,
                category__in=list(counts),
            )
            .values("category")
            .annotate(received=Sum("received"))
            .values_list("category", "received")
            .order_by()
        ):
            counts[category] += received or 0
    live_from = max(first, complete_to + ONE_DAY)
    if live_from <= last:  # the snapshot's own day, and any day the nightly job has not rolled up
        for category, received in (
            Case.objects.filter(
                office_id__in=office_ids,
                kind=SETTLEMENT,
                category__in=list(counts),
                clock_started_on__gte=live_from,
                clock_started_on__lte=last,
            )
            .values("category")
            .annotate(received=Count("id"))
            .values_list("category", "received")
            .order_by()
        ):
            counts[category] += received
    return counts


@dataclass(frozen=True)
class Pipeline:
    """The pipeline of some offices as of a snapshot night."""

    # The snapshot's night; None: no snapshot was taken on or before the day asked (all empty).
    day: dt.date | None
    # (milestone "n1" | "n2", first day of a month) → people reaching it that month, summed over
    # the offices; months with nobody are left out (``people`` reads them as 0).
    reaching: Mapping[tuple[str, dt.date], int]
    # "permit" (S5.1, beside N1) | "rental" (S1.2, beside N2) → settlement cases accepted in the
    # 90 days up to the snapshot's night (``applied_from`` … ``day``); empty when ``day`` is None.
    applied: Mapping[str, int]

    @property
    def months(self) -> tuple[dt.date, ...]:
        """The months of the window (day, day + 90 days], oldest first (none without a snapshot)."""
        return window_months(self.day) if self.day is not None else ()

    @property
    def window_end(self) -> dt.date | None:
        return self.day + dt.timedelta(days=WINDOW_DAYS) if self.day is not None else None

    @property
    def applied_from(self) -> dt.date | None:
        return self.day - dt.timedelta(days=WINDOW_DAYS - 1) if self.day is not None else None

    def people(self, milestone: str, month: dt.date | None = None) -> int:
        """Who reaches ``milestone`` in ``month``, or in the whole window."""
        if month is not None:
            return self.reaching.get((milestone, month), 0)
        return sum(people for (key, _month), people in self.reaching.items() if key == milestone)

    def applied_for(self, milestone: str) -> int:
        """The settlements applied for under the clause ``milestone`` opens."""
        return self.applied.get(MILESTONE_CATEGORY[milestone], 0)


def pipeline(*, office_ids: Iterable[int], as_of: dt.date) -> Pipeline:
    """The latest snapshot taken on or before ``as_of``, summed over ``office_ids`` (the caller's
    scope, e.g. ``accounts.selectors.office_visible_ids``: an office not in it is never counted),
    with the settlements applied for in the 90 days up to that snapshot's night. A few queries
    whatever the number of people in the pipeline (plus the live part of any day the rollups
    have not reached)."""
    office_ids = list(office_ids)
    day = PipelineSnapshotTaken.objects.filter(day__lte=as_of).order_by("-day").values_list("day", flat=True).first()
    if day is None:
        return Pipeline(day=None, reaching={}, applied={})
    reaching = {
        (milestone, month): people
        for milestone, month, people in PipelineSnapshot.objects.filter(day=day, office_id__in=office_ids)
        .values("milestone", "month")
        .annotate(people=Sum("people"))
        .values_list("milestone", "month", "people")
        .order_by()
    }
    applied = settlements_applied_for(office_ids=office_ids, first=day - dt.timedelta(days=WINDOW_DAYS - 1), last=day)
    return Pipeline(day=day, reaching=reaching, applied=applied)
