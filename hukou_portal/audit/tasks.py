"""Audit trail tasks. Running one twice only appends one more anchor line."""

from celery import shared_task
from django.conf import settings
from django.core.management import call_command


@shared_task
def anchor_audit_trail_task() -> None:
    """Append the chain's head to AUDIT_ANCHOR_FILE (the daily anchor)."""
    call_command("audit_anchor", settings.AUDIT_ANCHOR_FILE)


@shared_task
def summarise_suppressed_denials_task() -> int:
    """Write the count of each finished minute's denials past the per-user cap (a rerun writes
    nothing more)."""
    from .services import suppressed_denials_summarise

    return suppressed_denials_summarise()
