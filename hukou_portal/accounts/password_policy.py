"""The password policy: a forced change of a password someone else chose, and no reuse of
the last five passwords.

``PasswordChangeRequiredMiddleware`` sits after the second-factor middleware: a user whose
``must_change_password`` flag is set reaches only the change page, the second factor and
sign-out. ``PasswordHistoryValidator`` (in ``AUTH_PASSWORD_VALIDATORS``) refuses the current
password and the last ``count`` recorded ones; ``remember_password`` records each new hash.
"""

from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .middleware import GateMiddleware
from .models import PasswordHistory, User

PASSWORD_HISTORY_LENGTH = 5

# The pages a user who must change their password may still reach.
PAGES_BEFORE_PASSWORD_CHANGE = frozenset(
    {
        "accounts:password_change",
        "accounts:sign_out",
        "accounts:second_factor",
        "accounts:second_factor_qr",
        "set_language",
    }
)


class PasswordChangeRequiredMiddleware(GateMiddleware):
    allowed = PAGES_BEFORE_PASSWORD_CHANGE
    target = "accounts:password_change"
    api_code = "password_change_required"
    api_message = gettext_lazy("Change your password on the portal before using the API.")

    def applies(self, user: Any) -> bool:
        return bool(getattr(user, "must_change_password", False))


def remember_password(user: User) -> None:
    """Record the user's current password hash and keep only the last few."""
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[:PASSWORD_HISTORY_LENGTH]
    PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()


class PasswordHistoryValidator:
    """Refuse the user's current password and any of their last ``count`` passwords."""

    def __init__(self, count: int = PASSWORD_HISTORY_LENGTH) -> None:
        self.count = count

    def validate(self, password: str, user: User | None = None) -> None:
        if user is None or user.pk is None:
            return
        earlier = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count])
        stored = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if stored:
            earlier.append(stored)
        if any(check_password(password, encoded) for encoded in earlier):
            raise ValidationError(self.message(), code="password_reused")

    def message(self) -> str:
        return _("This password is one of your last %(count)d passwords. Choose a new one.") % {"count": self.count}

    def get_help_text(self) -> str:
        return _("Your password cannot be one of your last %(count)d passwords.") % {"count": self.count}
