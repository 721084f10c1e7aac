"""Reads for reminders: a user's inbox, and the office worklist of coming milestones."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from hukou_portal.accounts.models import User
from hukou_portal.accounts.selectors import office_visible_list
from hukou_portal.rules.selectors import parameters_in_force
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


def worklist(*, user: User, today: dt.date, days: int = 30) -> dict[str, list[tuple[Any, dt.date]]]:
    """Permits and lease filings of the user's offices that reach their milestone (N1, N2) in
    the next ``days`` days — range queries on the indexed date columns."""
    from permits.models import ResidencePermit
    from registration.models import LeaseFiling

    params = parameters_in_force(today)
    offices = office_visible_list(user=user)
    end = today + dt.timedelta(days=days)
    permit_months, lease_months = params["permit_holding_min_months"], params["lease_filing_min_months"]
    slack = dt.timedelta(days=3)
    permits = ResidencePermit.objects.filter(
        office__in=offices,
        status=ResidencePermit.Status.ACTIVE,
        issued_on__gte=add_months(today, -permit_months) - slack,
        issued_on__lte=add_months(end, -permit_months) + slack,
    ).select_related("holder")
    filings = LeaseFiling.objects.filter(
        office__in=offices,
        filed_on__gte=add_months(today, -lease_months) - slack,
        filed_on__lte=add_months(end, -lease_months) + slack,
    ).select_related("tenant", "town")
    permit_rows = [(p, add_months(p.issued_on, permit_months)) for p in permits]
    filing_rows = [(f, add_months(f.filed_on, lease_months)) for f in filings]
    return {
        "permits": sorted([r for r in permit_rows if today <= r[1] <= end], key=lambda r: r[1]),
        "filings": sorted([r for r in filing_rows if today <= r[1] <= end], key=lambda r: r[1]),
    }
