"""Every sign-in, failure, lockout and sign-out goes into the audit trail."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from hukou_portal.audit.services import record


def _attempted_username(value: Any) -> str:
    return str(value or "")[:150]


@receiver(user_logged_in, dispatch_uid="accounts.audit_signed_in")
def audit_signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(action="auth.signed_in", actor=user, target=user)


@receiver(user_logged_out, dispatch_uid="accounts.audit_signed_out")
def audit_signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(action="auth.signed_out", actor=user, target=user)


@receiver(user_login_failed, dispatch_uid="accounts.audit_sign_in_failed")
def audit_sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Django has already masked the password in ``credentials``; only the name is kept.
    record(action="auth.sign_in_failed", new={"username": _attempted_username(credentials.get("username"))})


@receiver(user_locked_out, dispatch_uid="accounts.audit_locked_out")
def audit_locked_out(sender: Any, request: Any, username: Any = None, ip_address: Any = None, **kwargs: Any) -> None:
    record(action="auth.locked_out", new={"username": _attempted_username(username)})
