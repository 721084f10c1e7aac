"""Reads for reminders: a user's inbox, and the office worklist of coming milestones."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from hukou_portal.accounts.models import User
from hukou_portal.accounts.selectors import office_visible_list
from hukou_portal.rules.selectors import parameters_in_force
from settlement.eligibility import add_months

from .models import Notification


def inbox_for_user(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, channel="inbox")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, channel="inbox", read_at__isnull=True).count()


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
