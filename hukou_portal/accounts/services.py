"""Writes to offices and users. Each service checks the actor's scope, writes, and audits."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from hukou_portal.audit.services import record, record_changes
from hukou_portal.core.exceptions import ApplicationError

from .models import Office, User, UserSession
from .password_policy import remember_password
from .roles import ROLE_OFFICE_LEVELS, Role, grantable_roles, role_combination_refusal, role_office_refusal
from .selectors import office_may_see, office_visible_list
from .session_limits import end_sessions


def _office_path(*, code: str, parent: Office | None) -> str:
    return f"{parent.path if parent else ''}{code}/"


def _check_office_shape(*, level: str, parent: Office | None, area_code: str) -> None:
    expected_parent_level = Office.PARENT_LEVEL.get(Office.Level(level))
    if expected_parent_level is None:
        if parent is not None:
            raise ApplicationError(_("The city bureau has no parent office."), field="parent")
        return
    if parent is None or parent.level != expected_parent_level:
        raise ApplicationError(
            _("A %(level)s must sit under a %(parent)s.")
            % {"level": Office.Level(level).label, "parent": Office.Level(expected_parent_level).label},
            field="parent",
        )
    if level == Office.Level.STATION and area_code != parent.area_code:
        raise ApplicationError(
            _("A police station has the area code of its county-level bureau (%(code)s).") % {"code": parent.area_code},
            field="area_code",
        )


def _ensure_manages(actor: User, office: Office | None) -> None:
    if not actor.has_perm("accounts.change_office") or not office_may_see(user=actor, office=office):
        raise PermissionDenied


@transaction.atomic
def office_create(
    *, actor: User | None, code: str, name: str, level: str, parent: Office | None, area_code: str
) -> Office:
    """Create an office under ``parent``. ``actor`` None is a system command (seed, migration)."""
    if actor is not None:
        _ensure_manages(actor, parent)
    _check_office_shape(level=level, parent=parent, area_code=area_code)
    if Office.objects.filter(code=code).exists():
        raise ApplicationError(_("An office with this code already exists."), field="code")
    office = Office(
        code=code,
        name=name,
        level=level,
        parent=parent,
        area_code=area_code,
        path=_office_path(code=code, parent=parent),
    )
    office.full_clean()
    office.save()
    record(
        action="office.created",
        actor=actor,
        target=office,
        new={"code": code, "name": name, "level": level, "area_code": area_code},
    )
    return office


@transaction.atomic
def office_update(*, actor: User, office_id: int, name: str, area_code: str, is_active: bool) -> Office:
    """Rename an office, correct its area code or (de)activate it. Code, level and place in
    the tree are fixed once created: cases, users and the audit trail refer to them."""
    office = Office.objects.select_for_update().get(pk=office_id)
    _ensure_manages(actor, office)
    if office == actor.office and not is_active:
        raise ApplicationError(_("You cannot deactivate your own office."), field="is_active")
    _check_office_shape(level=office.level, parent=office.parent, area_code=area_code)
    old = {"name": office.name, "area_code": office.area_code, "is_active": office.is_active}
    office.name, office.area_code, office.is_active = name, area_code, is_active
    office.full_clean()
    office.save(update_fields=["name", "area_code", "is_active"])
    new = {"name": name, "area_code": area_code, "is_active": is_active}
    record_changes(action="office.updated", actor=actor, target=office, old=old, new=new)
    return office


def _grantable(actor: User | None) -> frozenset[str]:
    """What ``actor`` may grant; a system command (bootstrap, seed_demo) grants every role."""
    return frozenset(Role.values) if actor is None else grantable_roles(actor.roles)


def _check_roles(*, actor: User | None, target: User | None, roles: set[str]) -> None:
    """The separation of duties (accounts.roles) for giving ``target`` exactly ``roles``."""
    if roles - set(Role.values):
        raise ApplicationError(_("Unknown role."), field="roles")
    held = set(target.roles) if target is not None else set()
    changed = roles ^ held
    if actor is not None and target is not None and actor.pk == target.pk and changed:
        raise ApplicationError(_("You cannot change your own roles; ask a security administrator."), field="roles")
    beyond = changed - _grantable(actor)
    if beyond:
        raise ApplicationError(
            _("You may not grant or take away the role %(role)s: a security administrator does.")
            % {"role": "、".join(str(Role(role).label) for role in sorted(beyond))},
            field="roles",
        )
    why = role_combination_refusal(roles)
    if why is not None:
        raise ApplicationError(why, field="roles")


def _check_office_level(*, roles: set[str], office: Office | None, field: str) -> None:
    """Roles kept to some levels of the office tree (``roles.ROLE_OFFICE_LEVELS``: no statistics
    analyst at a police station), for an account holding ``roles`` at ``office``. ``field`` is
    the form field the refusal is shown on: the one whose change broke the rule."""
    why = role_office_refusal(roles, office.level if office is not None else None)
    if why is not None:
        raise ApplicationError(why, field=field)


def _ensure_may_manage(actor: User, target: User, perm: str) -> None:
    """``actor`` holds ``perm`` for an account in their subtree whose every role they could
    grant: a system administrator never edits, moves or deactivates an administrator, a
    security administrator or an auditor."""
    if not actor.has_perm(perm) or not office_may_see(user=actor, office=target.office):
        raise PermissionDenied
    if not set(target.roles) <= _grantable(actor):
        raise PermissionDenied(
            _("This account holds a role you may not grant: only a security administrator manages it.")
        )


def may_manage_user(actor: User, target: User) -> bool:
    """For pages: show the account form only to those ``user_update`` lets through."""
    try:
        _ensure_may_manage(actor, target, "accounts.change_user")
    except PermissionDenied:
        return False
    return True


def grantable_for(actor: User) -> list[tuple[str, Any]]:
    """The role choices ``actor`` may tick on an account form, in the order of ``Role``: those
    they may grant, less a role kept to office levels none of their offices is at (an analyst,
    for a station's administrator)."""
    allowed = _grantable(actor)
    levels = set(office_visible_list(user=actor).values_list("level", flat=True))
    return [
        (value, label)
        for value, label in Role.choices
        if value in allowed and ROLE_OFFICE_LEVELS.get(value, levels) & levels
    ]


def _set_roles(user: User, roles: Iterable[str]) -> None:
    user.groups.set(Group.objects.filter(name__in=list(roles)))
    user.__dict__.pop("roles", None)  # drop the cached property


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    office: Office,
    roles: Iterable[str],
    password: str,
    email: str = "",
    is_demo: bool = False,
) -> User:
    """Create a staff account in ``office`` with ``roles`` (each one the actor may grant). The
    password must pass the validators; it is never recorded anywhere but as a hash. An account
    an administrator creates must change its password at the first sign-in (the administrator
    knows it) and enrols its second factor then; system commands (``actor`` None: bootstrap,
    seed_demo) choose their own. A role kept to some office levels (a statistics analyst: city
    or county-level bureau) is refused at any other office, for system commands too."""
    roles = set(roles)
    if actor is not None:
        _ensure_may_create_in(actor, office)
    _check_roles(actor=actor, target=None, roles=roles)
    _check_office_level(roles=roles, office=office, field="office")
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(_("This username is taken."), field="username")
    user = User(username=username, full_name=full_name, office=office, email=email, is_demo=is_demo)
    _set_validated_password(user, password)
    user.must_change_password = actor is not None and not is_demo
    user.full_clean()
    user.save()
    remember_password(user)
    _set_roles(user, roles)
    record(
        action="user.created",
        actor=actor,
        target=user,
        new={"username": username, "office": office.code, "roles": sorted(roles)},
    )
    return user


def _set_validated_password(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="password") from error
    user.set_password(password)


def _ensure_may_create_in(actor: User, office: Office | None) -> None:
    if not actor.has_perm("accounts.add_user") or not office_may_see(user=actor, office=office):
        raise PermissionDenied


@transaction.atomic
def user_update(
    *,
    actor: User,
    user_id: int,
    full_name: str,
    email: str,
    office: Office,
    roles: Iterable[str],
    is_active: bool,
) -> User:
    """Change a user's name, office, roles or active flag. ``roles`` are the roles the actor may
    grant that the user should hold; roles beyond the actor's grant are kept as they are. Nobody
    changes their own roles or deactivates themselves. The account as it will be must respect
    the office levels of its roles: no statistics analyst moved to, or made at, a station."""
    user = User.objects.select_for_update().get(pk=user_id)
    _ensure_may_manage(actor, user, "accounts.change_user")
    if not office_may_see(user=actor, office=office):
        raise PermissionDenied
    roles = (set(user.roles) - _grantable(actor)) | set(roles)
    _check_roles(actor=actor, target=user, roles=roles)
    # Checked on the account as it will be: moved to a station, or given the role there.
    _check_office_level(roles=roles, office=office, field="office" if office != user.office else "roles")
    if user.pk == actor.pk and not is_active:
        raise ApplicationError(_("You cannot deactivate your own account."), field="is_active")
    old = {
        "full_name": user.full_name,
        "email": user.email,
        "office": user.office.code if user.office else None,
        "roles": sorted(user.roles),
        "is_active": user.is_active,
    }
    user.full_name, user.email, user.office, user.is_active = full_name, email, office, is_active
    user.full_clean()
    user.save(update_fields=["full_name", "email", "office", "is_active"])
    _set_roles(user, roles)
    if not is_active:
        # A deactivated user is signed out everywhere; reactivation revives no old session.
        _end_all_sessions(user)
    new = {
        "full_name": full_name,
        "email": email,
        "office": office.code,
        "roles": sorted(roles),
        "is_active": is_active,
    }
    record_changes(action="user.updated", actor=actor, target=user, old=old, new=new)
    return user


def _end_all_sessions(user: User) -> int:
    """Delete every registered session of ``user``; the number ended."""
    rows = UserSession.objects.select_for_update().filter(user=user)
    keys = list(rows.values_list("session_key", flat=True))
    end_sessions(keys)
    rows.delete()
    return len(keys)


def _ensure_may_act_on(actor: User, user: User, perm: str) -> None:
    """``actor`` holds ``perm`` and ``user`` is in their subtree."""
    if not actor.has_perm(perm) or not office_may_see(user=actor, office=user.office):
        raise PermissionDenied


@transaction.atomic
def user_end_sessions(*, actor: User, user_id: int) -> int:
    """Sign ``user_id`` out of every browser (a lost or shared device); the number ended."""
    user = User.objects.select_for_update().get(pk=user_id)
    _ensure_may_act_on(actor, user, "accounts.end_sessions")
    ended = _end_all_sessions(user)
    record(action="user.sessions_ended", actor=actor, target=user, new={"sessions": ended})
    return ended


@transaction.atomic
def user_password_change(*, user: User, new_password: str) -> User:
    """The user sets their own password (already checked by the validators, with the old
    password, by the change form). Clears the forced change and records the hash."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    remember_password(user)
    record(action="user.password_changed", actor=user, target=user)
    return user


@transaction.atomic
def user_password_reset(*, actor: User, user_id: int, password: str) -> User:
    """A system administrator sets a temporary password for a user who forgot theirs. The user
    must choose their own at the next sign-in, every session of theirs ends, and their second
    factor stays: taking over an account needs a security administrator as well."""
    user = User.objects.select_for_update().get(pk=user_id)
    _ensure_may_act_on(actor, user, "accounts.reset_password")
    if user.pk == actor.pk:
        raise ApplicationError(_("Change your own password on the password page."), field="password")
    _set_validated_password(user, password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    remember_password(user)
    ended = _end_all_sessions(user)
    record(action="user.password_reset", actor=actor, target=user, new={"sessions": ended})
    return user


@transaction.atomic
def user_reset_second_factor(*, actor: User, user_id: int) -> User:
    """Remove a user's TOTP devices (a lost phone); they enrol again at their next sign-in."""
    user = User.objects.select_for_update().get(pk=user_id)
    _ensure_may_act_on(actor, user, "accounts.reset_second_factor")
    if user.pk == actor.pk:
        raise ApplicationError(_("You cannot reset your own second factor; ask another security administrator."))
    TOTPDevice.objects.filter(user=user).delete()
    _end_all_sessions(user)
    record(action="user.second_factor_reset", actor=actor, target=user)
    return user


def second_factor_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first use. Only one is kept, so a
    reloaded enrolment page shows the same QR code until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        # tolerance 0: a code is good for its own 30-second step only, never the step before.
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False, tolerance=0)
    return device


@transaction.atomic
def second_factor_confirm(*, user: User, device: TOTPDevice) -> None:
    """Mark the enrolment device confirmed and drop any other device of the user."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(action="auth.second_factor_enrolled", actor=user, target=user)
