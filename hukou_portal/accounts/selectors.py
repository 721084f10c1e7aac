"""Reads of offices and users, always scoped to what the asking user may see.

``office_visible_list`` is the one answer to "which offices may this user see": the user's own
office and every office below it, never a sibling or a parent. Every list and detail of the
portal filters through it.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Office, User


def office_visible_list(*, user: User) -> QuerySet[Office]:
    office = user.office if user.is_authenticated else None
    if office is None or not office.is_active:
        return Office.objects.none()
    return Office.objects.filter(path__startswith=office.path)


def office_get_for_user(*, user: User, pk: int) -> Office:
    """The office if the user may see it; 404 otherwise (not 403: do not confirm it exists)."""
    return get_object_or_404(office_visible_list(user=user), pk=pk)


def user_list_for_user(*, user: User) -> QuerySet[User]:
    return (
        User.objects.filter(office__in=office_visible_list(user=user))
        .select_related("office")
        .prefetch_related("groups")
    )


def user_get_for_user(*, user: User, pk: int) -> User:
    return get_object_or_404(user_list_for_user(user=user), pk=pk)


def office_may_see(*, user: User, office: Office | None) -> bool:
    if office is None or user.office is None:
        return False
    return office.path.startswith(user.office.path)
