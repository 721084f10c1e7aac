"""Statistics tasks: they take no arguments (or a date), wrap a service, and are safe to repeat."""

import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task
def rollup_days_task(through: str | None = None) -> int:
    """Nightly: roll up every day since the last rolled-up one through yesterday."""
    from .rollups import rollup_catch_up

    day = dt.date.fromisoformat(through) if through else timezone.localdate() - dt.timedelta(days=1)
    return rollup_catch_up(through=day)
