"""Every staff account passes a TOTP check before it sees anything else (MLPS 8.1.4.1: two
factors for every user of a level-3 system), and a forced password change likewise."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.api import is_api_request

# The pages a signed-in user may reach before the second factor is verified.
PAGES_BEFORE_SECOND_FACTOR = frozenset(
    {"accounts:second_factor", "accounts:second_factor_qr", "accounts:sign_out", "set_language"}
)


class GateMiddleware:
    """Sends a signed-in user who must first do something (``applies``) to ``target``, letting
    through only the ``allowed`` pages (view names) and static files.

    An API client cannot follow a redirect to an HTML form: under ``/api/`` the answer is a
    JSON 403 naming what to do first (``api_code`` for programs, ``api_message`` for people)."""

    allowed: frozenset[str] = frozenset()
    target = ""
    # Send a GET back where it was going once the gate is passed (the target honours ``next``).
    keeps_next = False
    api_code = ""
    api_message: str | Promise = ""

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
        if is_api_request(request):
            return JsonResponse({"detail": str(self.api_message), "code": self.api_code}, status=403)
        url = reverse(self.target)
        if self.keeps_next and request.method == "GET" and request.path != "/":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return redirect(url)


class SecondFactorRequiredMiddleware(GateMiddleware):
    allowed = PAGES_BEFORE_SECOND_FACTOR
    target = "accounts:second_factor"
    keeps_next = True
    api_code = "second_factor_required"
    api_message = _("Verify your second factor on the portal's sign-in page before using the API.")

    def applies(self, user: Any) -> bool:
        return not user.is_verified()
