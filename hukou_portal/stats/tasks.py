"""Statistics tasks: they take no arguments (or a date), wrap a service, and are safe to repeat."""

import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task
def rollup_days_task(through: str | None = None) -> int:
    """Nightly: roll up every day since the last rolled-up one through yesterday, then take the
    reform pipeline's snapshot of today (the night the job runs; ``through`` does not move it: a
    snapshot is of "now", never of a past day). Returns the number of days rolled up."""
    from .pipeline import snapshot_pipeline
    from .rollups import rollup_catch_up

    today = timezone.localdate()
    day = dt.date.fromisoformat(through) if through else today - dt.timedelta(days=1)
    days = rollup_catch_up(through=day)
    snapshot_pipeline(day=today)
    return days
