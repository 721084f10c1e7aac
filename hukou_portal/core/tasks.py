"""Housekeeping tasks. Tasks take ids or nothing, and running one twice changes nothing more."""

import socket

from celery import shared_task
from django.core.management import call_command


@shared_task
def ping_task(token: str) -> dict[str, str]:
    """Answer with the token and the worker's host name: proves a worker is consuming."""
    return {"token": token, "hostname": socket.gethostname()}


@shared_task
def clear_expired_sessions_task() -> None:
    """Delete expired sessions (they end after 15 idle minutes but stay in the table)."""
    call_command("clearsessions")
