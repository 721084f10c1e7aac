"""Offices (a tree: city bureau → county-level bureaus → police stations) and users."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

area_code_validator = RegexValidator(r"^\d{6}$", _("An area code has six digits."))
office_code_validator = RegexValidator(r"^\d{6,12}$", _("An office code has six to twelve digits."))


class Office(models.Model):
    class Level(models.TextChoices):
        CITY = "city", _("City bureau")  # 市局
        COUNTY = "county", _("County-level bureau")  # 分局 / 县公安局
        STATION = "station", _("Police station")  # 派出所

    # The level each level hangs under; the city bureau is the root.
    PARENT_LEVEL = {Level.COUNTY: Level.CITY, Level.STATION: Level.COUNTY}

    code = models.CharField(_("office code"), max_length=12, unique=True, validators=[office_code_validator])
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    area_code = models.CharField(_("area code"), max_length=6, validators=[area_code_validator])
    # Materialised path of codes from the root ("330500/330502/33050201/"), maintained by
    # accounts.services; "this office and every office below" is one prefix match on it.
    path = models.CharField(max_length=255, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                name="office_only_city_is_root",
                condition=Q(level="city", parent__isnull=True) | (~Q(level="city") & Q(parent__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class User(AbstractUser):
    """A member of staff. Belongs to one office; roles are groups (accounts.roles)."""

    # Chinese names are not split into first and last names.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    # Set only by seed_demo; demo_otp_code refuses every other account.
    is_demo = models.BooleanField(default=False, editable=False)
    # Set when someone else chose the password (an administrator created the account); the
    # user sees nothing but the password change page until they choose their own.
    must_change_password = models.BooleanField(_("must change password"), default=False, editable=False)
    # Moved on by every change to what the user may do; names their cached permissions and roles
    # (accounts.authz).
    authz_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        # Two people are needed to take over an account: one resets its password, another its
        # second factor (accounts.roles: system and security administrators).
        permissions = [
            ("reset_password", _("Can set a temporary password for an account")),
            ("reset_second_factor", _("Can reset an account's second factor")),
            ("end_sessions", _("Can sign an account out of every browser")),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.get_full_name()

    @cached_property
    def roles(self) -> frozenset[str]:
        """The role names (accounts.roles.Role values) this user holds."""
        if not self.pk:
            return frozenset()
        from .authz import cached

        return cached(self, "roles", lambda: frozenset(self.groups.values_list("name", flat=True)))


class UserSession(models.Model):
    """One row per signed-in session, written at sign-in, so that every session of a user can be
    ended (deactivation, an administrator's "end sessions") without decoding every session."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.created_at:%Y-%m-%d %H:%M}"


class PasswordHistory(models.Model):
    """The hash of a password a user has had (never the text): the last five are kept so a
    new password cannot be one of them (accounts.password_policy.PasswordHistoryValidator)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("earlier password")
        verbose_name_plural = _("earlier passwords")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"
