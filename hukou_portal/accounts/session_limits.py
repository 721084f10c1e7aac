"""Sessions a user cannot keep for ever: each sign-in is registered (``UserSession``) so that
deactivation or an administrator can end every session of a user, and a session is refused
``SESSION_ABSOLUTE_SECONDS`` after sign-in whatever the activity. The idle limit is
``SESSION_COOKIE_AGE``, renewed by saving the session: a request that changes nothing saves it
only when the last renewal is ``IDLE_RENEWAL_SECONDS`` old, so reading pages costs no session
write (the idle limit is kept to within that minute)."""

import time
from collections.abc import Callable, Iterable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _

# Session keys: when the user signed in (epoch seconds) and the key last registered.
SIGNED_IN_AT = "_hukou_signed_in_at"
REGISTERED_KEY = "_hukou_registered_session_key"
RENEWED_AT = "_hukou_idle_renewed_at"
IDLE_RENEWAL_SECONDS = 60


def absolute_limit_seconds() -> int:
    return int(getattr(settings, "SESSION_ABSOLUTE_SECONDS", 36000))


def _register(request: HttpRequest, user: Any) -> None:
    """Remember this session under ``user`` (a new key after a rotation replaces the old row)."""
    from .models import UserSession

    session = request.session
    if session.session_key is None:
        session.save()
    key = session.session_key
    assert key is not None
    UserSession.objects.update_or_create(session_key=key, defaults={"user": user})
    session[REGISTERED_KEY] = key


@receiver(user_logged_in, dispatch_uid="accounts.register_session")
def register_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[SIGNED_IN_AT] = request.session[RENEWED_AT] = time.time()  # saved with the sign-in
    _register(request, user)


def end_sessions(session_keys: Iterable[str]) -> None:
    """Delete these sessions from the session store, whatever its engine."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in session_keys:
        store(session_key=key).delete(key)


class AbsoluteSessionLimitMiddleware:
    """Signs out a session older than ``SESSION_ABSOLUTE_SECONDS`` (or one with no sign-in time)
    and sends it to the sign-in page with a message; renews the idle limit of the others once a
    minute. Runs in ``process_view`` so that the message middleware is ready."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        session = request.session
        signed_in_at = session.get(SIGNED_IN_AT)
        now = time.time()
        if isinstance(signed_in_at, int | float) and now - signed_in_at <= absolute_limit_seconds():
            if session.get(REGISTERED_KEY) != session.session_key:
                _register(request, request.user)  # the key was rotated since sign-in
            if now - session.get(RENEWED_AT, 0) >= IDLE_RENEWAL_SECONDS:
                session[RENEWED_AT] = now  # modified: SessionMiddleware saves it with a new expiry
            return None
        logout(request)
        messages.warning(request, _("Your session has reached its time limit. Please sign in again."))
        url = resolve_url(settings.LOGIN_URL)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
