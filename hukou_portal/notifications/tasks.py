"""Reminder tasks: they take no arguments (or a date), wrap a service, and are safe to repeat."""

import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task
def sweep_reminders_task(as_of: str | None = None) -> dict[str, int]:
    """Nightly: insert the reminders that fell due since the last sweep."""
    from .services import sweep

    return sweep(as_of=dt.date.fromisoformat(as_of) if as_of else timezone.localdate())


@shared_task
def deliver_pending_task() -> int:
    """Every minute, and after each sweep: deliver pending reminders (retries with backoff)."""
    from .services import deliver_pending

    return deliver_pending()
