"""Rate limits: the public e-permit check per client address, the header search and the REST API
per signed-in user. Over the limit the answer is 429 with ``Retry-After`` and a Chinese message.

One mechanism for both kinds of view: DRF's ``SimpleRateThrottle`` (a list of request times per
key in Django's cache). The rates are ``settings.RATE_LIMITS``, read at every request. The
counts live in the ``default`` cache (``CACHE_URL``): with several worker processes it must be a
shared cache (Redis), or each process counts on its own.
"""

import math
from collections.abc import Callable
from functools import wraps
from typing import Any, Literal

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

from .request_context import current_request_context

Per = Literal["address", "user"]


def client_address(request: Any) -> str:
    """The address the audit trail and the lockouts use (django-ipware via axes, ``PROXY_COUNT``
    trusted proxies); never a raw ``X-Forwarded-For``."""
    context = current_request_context()
    address = context.ip_address if context is not None else None
    if address is None:
        address = get_client_ip_address(getattr(request, "_request", request))
    return address or "unknown"


def rate_limited_message(wait: float | None) -> str:
    seconds = max(1, math.ceil(wait or 1))
    return ngettext(
        "Too many requests. Try again in %(seconds)d second.",
        "Too many requests. Try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


class PortalRateThrottle(SimpleRateThrottle):
    """A rate limit named ``scope`` in ``settings.RATE_LIMITS``, counted per user (per address
    for anonymous requests) or per client address."""

    scope = ""
    per: Per = "user"

    def __init__(self, scope: str | None = None, per: Per | None = None) -> None:
        if scope is not None:
            self.scope = scope
        if per is not None:
            self.per = per
        super().__init__()

    def get_rate(self) -> str:
        return str(settings.RATE_LIMITS[self.scope])

    def get_cache_key(self, request: Any, view: Any) -> str:
        user = getattr(request, "user", None)
        if self.per == "user" and user is not None and user.is_authenticated:
            ident = f"user-{user.pk}"
        else:
            ident = f"address-{client_address(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class RateLimited(Throttled):
    def __init__(self, wait: float | None) -> None:
        super().__init__(detail=rate_limited_message(wait))
        self.wait = max(1, math.ceil(wait or 1))


class ApiRateThrottle(PortalRateThrottle):
    """``/api/v1/…`` per signed-in user (``REST_FRAMEWORK['DEFAULT_THROTTLE_CLASSES']``)."""

    scope = "api"
    per = "user"

    def allow_request(self, request: Any, view: Any) -> bool:
        if super().allow_request(request, view):
            return True
        # Raised here rather than through APIView.throttled, whose message is DRF's own.
        raise RateLimited(self.wait())


def rate_limit(scope: str, *, per: Per) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Limit a Django view to ``settings.RATE_LIMITS[scope]`` per user or per client address."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            throttle = PortalRateThrottle(scope=scope, per=per)
            if not throttle.allow_request(request, None):
                return rate_limited_response(request, throttle.wait())
            return view(request, *args, **kwargs)

        return limited

    return decorator


def rate_limited_response(request: HttpRequest, wait: float | None) -> HttpResponse:
    seconds = max(1, math.ceil(wait or 1))
    response = render(request, "429.html", {"message": rate_limited_message(seconds)}, status=429)
    response["Retry-After"] = str(seconds)
    return response
