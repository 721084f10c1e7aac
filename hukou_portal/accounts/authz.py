"""What a user may do, read once and kept in the cache: their permissions and roles.

Every request needs them (the menu, each view's permission, the role checks), and reading them
costs three queries (the user's own permissions, their groups' permissions, the group names). They
are kept under a key naming the user's ``authz_version``, which any change to the user's roles,
own permissions or office moves on (``bump``; the signals ``connect`` wires catch every path),
and the definition of the roles in code (``ROLES_VERSION``): the user's row, read on every request
anyway, says which entry is current, so a revoked role is gone at the user's next request, on
every process, whatever the cache backend (a process-local cache only ever misses more).

Lists of staff kept in the cache (a filter's officers) name the ``staff_generation``, which any
change to any account moves on (a shared cache in production: settings, CACHE_URL).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from django.core.cache import cache
from django.db.models import F

from .roles import ROLE_PERMISSIONS

if TYPE_CHECKING:
    from .models import User

T = TypeVar("T")

# The roles' permissions as the code defines them (accounts.roles.sync_roles writes them to the
# groups on migrate): a release that changes them starts from new entries.
ROLES_VERSION = hashlib.sha256(json.dumps(ROLE_PERMISSIONS, sort_keys=True).encode()).hexdigest()[:12]
TIMEOUT = 60 * 60


def cached(user: User, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` for ``user``, kept until their authorisation changes."""
    key = f"accounts.authz:{ROLES_VERSION}:{name}:{user.pk}:{user.authz_version}"
    return cache.get_or_set(key, compute, TIMEOUT)  # type: ignore[return-value]


# Moved on by any change to any account (its roles, office, name, active flag): lists of staff kept
# in the cache (a filter's officers) name it in their key.
STAFF_GENERATION = "accounts.staff_generation"


def staff_generation() -> int:
    return int(cache.get_or_set(STAFF_GENERATION, 0, None) or 0)


def staff_changed(**kwargs: object) -> None:
    try:
        cache.incr(STAFF_GENERATION)
    except ValueError:  # not in the cache (emptied, or never read): any new value will do
        cache.set(STAFF_GENERATION, 1, None)


STAFF_FIELDS = {"username", "full_name", "office", "is_active"}


def _user_saved(sender: type, instance: object, update_fields: Iterable[str] | None, **kwargs: object) -> None:
    """An account saved: the staff lists are stale unless only its sign-in time or password moved."""
    if update_fields is None or STAFF_FIELDS & set(update_fields):
        staff_changed()


def bump(user_ids: Iterable[int]) -> None:
    """The users' permissions, roles or office changed: their cached answers are stale."""
    from .models import User

    User.objects.filter(pk__in=list(user_ids)).update(authz_version=F("authz_version") + 1)


def forget(user: User) -> None:
    """Drop what this instance read of its own authorisation (after ``bump`` or a change to it)."""
    _drop_memos(user)
    user.refresh_from_db(fields=["authz_version"])


def _drop_memos(user: User) -> None:
    user.__dict__.pop("roles", None)
    for attribute in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, attribute):
            delattr(user, attribute)


# --- what moves a user's authz_version on ----------------------------------------------------------


def _groups_changed(
    sender: type, instance: object, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: object
) -> None:
    """A user's groups (roles) or own permissions changed, from either side of the relation."""
    from .models import User

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    staff_changed()
    if not reverse:
        bump([instance.pk])  # type: ignore[attr-defined]
        forget(instance)  # type: ignore[arg-type]
    elif pk_set:
        bump(pk_set)
    else:  # a group's or a permission's every user let go at once: rare, so everyone
        User.objects.update(authz_version=F("authz_version") + 1)


def _group_permissions_changed(
    sender: type, instance: object, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: object
) -> None:
    """A role's permissions changed (``sync_roles`` on migrate): its holders' answers are stale."""
    from django.contrib.auth.models import Group

    from .models import User

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    groups = [instance.pk] if not reverse else list(pk_set or Group.objects.values_list("pk", flat=True))  # type: ignore[attr-defined]
    User.objects.filter(groups__in=groups).update(authz_version=F("authz_version") + 1)


def _user_saving(sender: type, instance: User, update_fields: Iterable[str] | None, **kwargs: object) -> None:
    """A move to another office or a change of superuser status changes what the user may do."""
    if instance.pk is None or (update_fields is not None and not {"office", "is_superuser"} & set(update_fields)):
        return
    before = type(instance).objects.filter(pk=instance.pk).values("office_id", "is_superuser", "authz_version").first()
    if before is not None and (before["office_id"], before["is_superuser"]) != (
        instance.office_id,
        instance.is_superuser,
    ):
        instance.authz_version = before["authz_version"] + 1
        _drop_memos(instance)


def connect() -> None:
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

    from .models import User

    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="accounts.authz.groups")
    m2m_changed.connect(_groups_changed, sender=User.user_permissions.through, dispatch_uid="accounts.authz.perms")
    m2m_changed.connect(
        _group_permissions_changed, sender=Group.permissions.through, dispatch_uid="accounts.authz.roles"
    )
    pre_save.connect(_user_saving, sender=User, dispatch_uid="accounts.authz.user")
    post_save.connect(_user_saved, sender=User, dispatch_uid="accounts.authz.staff_saved")
    post_delete.connect(staff_changed, sender=User, dispatch_uid="accounts.authz.staff_deleted")
