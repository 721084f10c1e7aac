"""Supervisors and administrators pass a TOTP check before they see anything else."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# The pages a signed-in user may reach before the second factor is verified.
PAGES_BEFORE_SECOND_FACTOR = frozenset(
    {"accounts:second_factor", "accounts:second_factor_qr", "accounts:sign_out", "set_language"}
)


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not (user.is_authenticated and user.requires_second_factor and not user.is_verified()):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in PAGES_BEFORE_SECOND_FACTOR:
            return None
        return redirect("accounts:second_factor")
