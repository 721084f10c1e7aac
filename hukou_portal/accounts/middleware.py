"""Supervisors and administrators pass a TOTP check before they see anything else."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# The pages a signed-in user may reach before the second factor is verified.
PAGES_BEFORE_SECOND_FACTOR = frozenset(
    {"accounts:second_factor", "accounts:second_factor_qr", "accounts:sign_out", "set_language"}
)


class GateMiddleware:
    """Sends a signed-in user who must first do something (``applies``) to ``target``, letting
    through only the ``allowed`` pages (view names) and static files."""

    allowed: frozenset[str] = frozenset()
    target = ""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def applies(self, user: Any) -> bool:
        raise NotImplementedError

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not (request.user.is_authenticated and self.applies(request.user)):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in self.allowed:
            return None
        if settings.STATIC_URL and request.path.startswith(settings.STATIC_URL):
            return None
        return redirect(self.target)


class SecondFactorRequiredMiddleware(GateMiddleware):
    allowed = PAGES_BEFORE_SECOND_FACTOR
    target = "accounts:second_factor"

    def applies(self, user: Any) -> bool:
        return bool(user.requires_second_factor and not user.is_verified())
