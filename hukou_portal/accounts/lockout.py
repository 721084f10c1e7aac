"""Sign-in lockout: two limits on one django-axes.

1. A (username, address) pair is locked after ``LOCKOUT_PAIR_FAILURES`` failures: an attacker
   guessing a known username from elsewhere locks only their own address for it, never the
   officer at the counter (``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``).
2. An address is locked, for every username, after ``LOCKOUT_ADDRESS_FAILURES`` failures across
   any usernames within the cool-off (password spraying from one place). Set high: a station's
   officers share one NAT address, and their own typos must not lock the station.

axes compares one number of failures (the largest over its lockout parameters) with one limit,
so it cannot hold two limits as parameters. The second limit goes through the callable
``AXES_FAILURE_LIMIT`` that axes supports: once the address has reached its limit, the limit of
every pair at that address is 0 — locked before any password is checked — until its failures
age out of the cool-off. Everything else (refusing before the password check, recording,
the lockout signal that the audit trail listens to, the 429 page) stays axes's own.
"""

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

# The limit a locked address reports: no attempt from it is checked at all.
ADDRESS_LOCKED = 0


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address within the cool-off, over every username."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


def failure_limit(request: HttpRequest, credentials: Any = None) -> int:
    """``AXES_FAILURE_LIMIT``: the failures that lock this request's (username, address) pair —
    ``LOCKOUT_PAIR_FAILURES``, or ``ADDRESS_LOCKED`` once the address itself is over its limit."""
    if address_failures(request) >= settings.LOCKOUT_ADDRESS_FAILURES:
        return ADDRESS_LOCKED
    return int(settings.LOCKOUT_PAIR_FAILURES)
