"""Reads for reminders: a user's inbox, who reaches a milestone (N1, N2) on which day — one computation
for the sweep and the office worklist of coming milestones."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse

from hukou_portal.accounts.models import User
from hukou_portal.accounts.selectors import office_visible_list
from settlement.eligibility import add_months

from .models import Notification

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """The days (``start``, ``end``] over which one value of a parameter is in force; ``before``
    is the value in force on ``start`` itself (the day before the period's first day)."""

    start: dt.date
    end: dt.date
    value: Any
    before: Any


ParameterHistory = dict[str, list[tuple[dt.date, Any]]]


def parameter_history_until(*, keys: Iterable[str], as_of: dt.date) -> ParameterHistory:
    """Every value of ``keys`` in force on some day up to ``as_of``, oldest first, the default
    first of all (one query)."""
    from hukou_portal.rules.models import RuleParameterValue
    from hukou_portal.rules.parameters import SPECS

    keys = list(keys)
    history: ParameterHistory = {key: [(dt.date.min, SPECS[key].default)] for key in keys}
    for key, effective_from, value in (
        RuleParameterValue.objects.filter(key__in=keys, effective_from__lte=as_of)
        .order_by("effective_from")
        .values_list("key", "effective_from", "value")
    ):
        history[key].append((effective_from, value))
    return history


def value_on(values: list[tuple[dt.date, Any]], day: dt.date) -> Any:
    return [value for effective_from, value in values if effective_from <= day][-1]


def parameter_periods(history: ParameterHistory, key: str, start: dt.date, end: dt.date) -> list[Period]:
    """(``start``, ``end``] cut at every day a new value of ``key`` takes effect: each period
    with the value in force on each of its days."""
    values = history[key]
    cuts = sorted({effective_from - ONE_DAY for effective_from, _ in values if start < effective_from <= end})
    bounds = [start, *cuts, end]
    return [
        Period(low, high, value_on(values, high), value_on(values, low)) for low, high in pairwise(bounds) if low < high
    ]


def first_reaching_after(day: dt.date, months: int) -> dt.date:
    """The first date d with add_months(d, months) > day (add_months never decreases)."""
    first = add_months(day, -months)
    while add_months(first, months) <= day:
        first += ONE_DAY
    return first


def last_reaching_by(day: dt.date, months: int) -> dt.date:
    """The last date d with add_months(d, months) <= day."""
    last = add_months(day, -months)
    while add_months(last + ONE_DAY, months) <= day:
        last += ONE_DAY
    return last


def origin_range(start: dt.date, end: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The dates d, first and last, with start < add_months(d, months) <= end. add_months never
    decreases, so they form one range; month-end clamping only moves its ends by a few days."""
    return first_reaching_after(start, months), last_reaching_by(end, months)


def reaching_in(period: Period) -> tuple[dt.date, dt.date]:
    """The origin dates (issue, filing) whose milestone falls in ``period``: not reached on the
    day before the period under the value in force then, reached by its end under its own value.
    When a change shortens the months (6 → 3), everyone it makes eligible at once is in the
    period that starts on the change's effective day."""
    return first_reaching_after(period.start, period.before), last_reaching_by(period.end, period.value)


def milestone_day(origin: dt.date, period: Period) -> dt.date:
    """The day ``origin`` reaches its milestone in ``period``: its own day, or the period's first
    day when a change made it eligible at once."""
    return max(period.start + ONE_DAY, add_months(origin, period.value))


def not_settling(person_field: str) -> Q:
    """The one rule for the reminders to a person (N1, N2, N3): nobody who has a hukou in Huzhou
    (a hukou entry) or whose settlement case is open is told — they are no longer, or are about
    to stop being, floating population. A condition on the subject's person, evaluated in the
    same query (``NOT EXISTS``), so neither the SMS nor an office's inbox row is made."""
    from django.db.models import Exists, OuterRef

    from hukou_portal.casework.models import OPEN_STATUSES, Case
    from settlement.models import HukouEntry

    settled = HukouEntry.objects.filter(person=OuterRef(person_field))
    applying = Case.objects.filter(applicant=OuterRef(person_field), kind="settlement", status__in=OPEN_STATUSES)
    return ~Exists(settled) & ~Exists(applying)


# The "you may now apply" milestones (N1, N2) count months from these parameters.
MILESTONE_PARAMETERS = ("permit_holding_min_months", "lease_filing_min_months")


def reaching_milestone(
    subjects: QuerySet[Any],
    *,
    parameter: str,
    origin_field: str,
    start: dt.date,
    end: dt.date,
    history: ParameterHistory,
) -> list[tuple[Any, dt.date]]:
    """Each of ``subjects`` whose milestone — ``origin_field`` plus the months of ``parameter`` —
    falls in (``start``, ``end``], with its day, under the value in force on each day of the
    window: a change that shortens the months makes everyone it qualifies reach the milestone on
    its effective day. The one computation behind both the sweep and the worklist; one range
    query on the indexed origin date per value in force."""
    found: list[tuple[Any, dt.date]] = []
    for period in parameter_periods(history, parameter, start, end):
        first, last = reaching_in(period)
        if first > last:
            continue
        for subject in subjects.filter(**{f"{origin_field}__gte": first, f"{origin_field}__lte": last}):
            day = milestone_day(getattr(subject, origin_field), period)
            if period.start < day <= period.end:
                found.append((subject, day))
    return found


def permits_reaching_holding_period(
    *, start: dt.date, end: dt.date, history: ParameterHistory, offices: Iterable[Any] | None = None
) -> list[tuple[Any, dt.date]]:
    """N1: active permits whose holder may now apply to settle (S5.1), of ``offices`` or all.

    Only a permit valid on the milestone day: one whose endorsement is overdue has its use
    suspended (居住证暂行条例 第十三条), so its holder may not yet apply; a late endorsement restarts
    ``held_since``, and the milestone with it."""
    from permits.models import ResidencePermit

    permits = (
        ResidencePermit.objects.filter(status=ResidencePermit.Status.ACTIVE)
        .filter(not_settling("holder_id"))
        .select_related("holder", "office")
    )
    if offices is not None:
        permits = permits.filter(office__in=offices)
    found = reaching_milestone(
        permits, parameter="permit_holding_min_months", origin_field="held_since", start=start, end=end, history=history
    )
    return [(permit, day) for permit, day in found if permit.state_on(day) == "valid"]


def filings_reaching_filing_period(
    *, start: dt.date, end: dt.date, history: ParameterHistory, offices: Iterable[Any] | None = None
) -> list[tuple[Any, dt.date]]:
    """N2: lease filings whose tenant may now apply to settle under S1.2, of the rental homes
    ``offices`` answer for (``people.selectors.town_offices``), or all.

    Only where S1.2 could be met (「租赁城镇私有住房…办理房屋租赁登记备案满六个月」): private
    housing, in a town that is urban today, under a lease whose term holds the milestone day —
    public housing, a non-urban town or a lease already ended never gets 「可按规定申请落户」. (Whether
    the tenant, the spouse or a minor child owns a home in the town is not a record the portal
    holds: the case checks it.)"""
    from registration.models import LeaseFiling

    filings = (
        LeaseFiling.objects.filter(housing=LeaseFiling.Housing.PRIVATE, town__is_urban=True, term_end__gt=start)
        .filter(not_settling("tenant_id"))
        .select_related("tenant", "office", "town__area", "town__station")
    )
    if offices is not None:
        from hukou_portal.people.selectors import towns_answered_by

        filings = filings.filter(town_id__in=towns_answered_by(offices))
    found = reaching_milestone(
        filings, parameter="lease_filing_min_months", origin_field="filed_on", start=start, end=end, history=history
    )
    return [(filing, day) for filing, day in found if filing.term_start <= day <= filing.term_end]


def inbox_for_user(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, channel="inbox")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, channel="inbox", read_at__isnull=True).count()


@dataclass(frozen=True)
class SubjectLink:
    """Where an inbox item's subject (permit, lease filing or case) is shown, and its number."""

    url: str
    kind: str  # permit | lease_filing | case
    number: str


def inbox_subject_links(*, user: User, notifications: Iterable[Notification]) -> dict[int, SubjectLink]:
    """The link of each item's subject that ``user`` may open, by notification id; items whose
    subject lies outside the user's offices get none. At most four queries per page, whatever
    the page holds: one per subject type, and the lease filings' tenants."""
    from hukou_portal.casework.selectors import case_list_for_user
    from hukou_portal.people.selectors import person_list_for_user
    from permits.selectors import permit_list_for_user
    from registration.selectors import lease_filing_list_for_user

    items = list(notifications)
    ids: dict[str, set[int]] = {"permit": set(), "lease_filing": set(), "case": set()}
    for item in items:
        if item.subject_type in ids:
            ids[item.subject_type].add(item.subject_id)
    found: dict[tuple[str, int], SubjectLink] = {}
    if ids["permit"]:
        for pk, number in permit_list_for_user(user=user).filter(pk__in=ids["permit"]).values_list("pk", "number"):
            found["permit", pk] = SubjectLink(reverse("permits:permit_detail", args=[pk]), "permit", number)
    if ids["case"]:
        for pk, reference in case_list_for_user(user=user).filter(pk__in=ids["case"]).values_list("pk", "reference"):
            found["case", pk] = SubjectLink(reverse("casework:case_detail", args=[pk]), "case", reference)
    if ids["lease_filing"]:
        # A lease filing has no page of its own: it is shown in its tenant's file (一人一档), or
        # found in the lease-filing list when the tenant was recorded by another office.
        filings = list(
            lease_filing_list_for_user(user=user)
            .filter(pk__in=ids["lease_filing"])
            .values_list("pk", "filing_number", "tenant_id")
        )
        tenants = set(
            person_list_for_user(user=user)
            .filter(pk__in={tenant for _, _, tenant in filings})
            .values_list("pk", flat=True)
        )
        for pk, number, tenant in filings:
            if tenant in tenants:
                url = reverse("people:person_detail", args=[tenant]) + f"#lease-filing-{pk}"
            else:
                url = reverse("registration:lease_filing_list") + "?" + urlencode({"q": number})
            found["lease_filing", pk] = SubjectLink(url, "lease_filing", number)
    return {
        item.pk: found[item.subject_type, item.subject_id]
        for item in items
        if (item.subject_type, item.subject_id) in found
    }


# How far ahead the worklist may look: 30 days (the default), or 90 (the statistics' pipeline).
WORKLIST_DAYS = (30, 90)


def worklist(*, user: User, today: dt.date, days: int = WORKLIST_DAYS[0]) -> dict[str, Any]:
    """Permits and lease filings that reach their milestone (N1, N2) from today through the next
    ``days`` days and whose reminder goes to the user's offices — permits they issued, rental
    homes they answer for — by the sweep's own computation, with every value of the parameters
    in force on some day of the window (a scheduled change included), so the worklist shows who
    the sweep will remind, on the day it will. ``people``: the holders and tenants whose file the
    user may open (a rental home's station may not have recorded its tenant)."""
    from hukou_portal.people.selectors import person_list_for_user

    end = today + dt.timedelta(days=days)
    start = today - ONE_DAY  # windows are (start, end]: today's milestones are in
    history = parameter_history_until(keys=MILESTONE_PARAMETERS, as_of=end)
    offices = list(office_visible_list(user=user))
    by_day = lambda row: row[1]  # noqa: E731
    permits = sorted(
        permits_reaching_holding_period(start=start, end=end, history=history, offices=offices), key=by_day
    )
    filings = sorted(filings_reaching_filing_period(start=start, end=end, history=history, offices=offices), key=by_day)
    mentioned = {permit.holder_id for permit, _day in permits} | {filing.tenant_id for filing, _day in filings}
    people = set(person_list_for_user(user=user).filter(pk__in=mentioned).values_list("pk", flat=True))
    return {"permits": permits, "filings": filings, "people": people}
