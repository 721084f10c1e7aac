"""Every sign-in, failure, lockout and sign-out goes into the audit trail (failures and lockouts
of a real account under that account and its office, with their outcome)."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from hukou_portal.audit.models import Outcome
from hukou_portal.audit.services import record


def _attempted_username(value: Any) -> str:
    return str(value or "")[:150]


def _account(username: str) -> Any:
    """The real account a failed attempt named, or None for a name that is no account."""
    from .models import User

    return User.objects.filter(username=username).select_related("office").first() if username else None


def _record_refused_sign_in(action: str, username: str, outcome: str) -> None:
    """A real account's failure is filed under the account and its office (its station's
    auditors see it); an unknown name has neither and stays with the city level."""
    account = _account(username)
    record(
        action=action,
        target=account,
        office=account.office if account is not None else None,
        new={"username": username},
        outcome=outcome,
    )


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
    _record_refused_sign_in("auth.sign_in_failed", _attempted_username(credentials.get("username")), Outcome.FAILED)


@receiver(user_locked_out, dispatch_uid="accounts.audit_locked_out")
def audit_locked_out(sender: Any, request: Any, username: Any = None, ip_address: Any = None, **kwargs: Any) -> None:
    _record_refused_sign_in("auth.locked_out", _attempted_username(username), Outcome.DENIED)
