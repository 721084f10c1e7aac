"""Denied accesses and refused actions of signed-in users go into the audit trail (MLPS
8.1.4.3: the audit covers security events, not only the changes that succeeded).

One middleware sees every answer, so no view has to remember it:

- an answer that denies access — 403 (``PermissionDenied``, a CSRF failure, a gate's JSON 403),
  404 and 429 (a rate limit) — is an ``access.denied`` event;
- a service's refusal shown to the user (``core.refusals``: ``run_service`` and the views'
  ``except ApplicationError``) is an ``action.refused`` event with the message and field, and
  the request is recorded once as that, whatever its status.

Every 404 of a signed-in user counts, not only those of a scoped selector: the selectors answer
404 alike for "not yours" and "no such thing" (so as not to tell which ids exist), an id scan
shows as a run of 404s either way, and telling them apart would cost an unscoped lookup in
every selector. What a browser asks for on its own (static files, ``favicon.ico``,
``robots.txt``, touch icons, ``/.well-known/``) is left out; staff follow links, so the rest is
rare — and capped per user and minute (``audit.services.denial_record``).

The event names the path without its query string (a query can hold an ID number), the method,
the status. It is written after the response, outside every transaction the view
held, so a refused write's rollback does not take its record along.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from hukou_portal.core.refusals import refusals_of_this_request

from .models import Outcome
from .services import denial_record

DENYING_STATUSES = frozenset({403, 404, 429})
BROWSER_ASKS_ON_ITS_OWN = ("/favicon.ico", "/robots.txt", "/apple-touch-icon", "/.well-known/")


def _asked_by_the_browser(path: str) -> bool:
    if settings.STATIC_URL and path.startswith(str(settings.STATIC_URL)):
        return True
    return path.startswith(BROWSER_ASKS_ON_ITS_OWN)


def _request_details(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    # The path says which page; the route's internal name would only be a code to an auditor.
    return {
        "path": request.path,  # never request.get_full_path(): the query stays out
        "method": request.method,
        "status": response.status_code,
    }


class DenialAuditMiddleware:
    """Sits right after ``AuthenticationMiddleware`` (it needs the user) and around everything
    that can deny: the gates, the views, CSRF, the rate limits."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        refusals = refusals_of_this_request()
        if refusals:
            refusal = refusals[0]  # one event per request: the refusal the user was shown first
            details = {**_request_details(request, response), "reason": refusal.message, "field": refusal.field}
            denial_record(actor=user, action="action.refused", outcome=refusal.outcome, details=details)
        elif response.status_code in DENYING_STATUSES and not _asked_by_the_browser(request.path):
            denial_record(
                actor=user, action="access.denied", outcome=Outcome.DENIED, details=_request_details(request, response)
            )
        return response
