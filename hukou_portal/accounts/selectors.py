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


def office_visible_offices(*, user: User) -> list[Office]:
    """``office_visible_list``, read once per request (``core.request_context.request_memo``):
    every list of a page that names the user's offices shares the one query."""
    from hukou_portal.core.request_context import request_memo

    return request_memo(("accounts.visible_offices", user.pk), lambda: list(office_visible_list(user=user)))


def office_visible_ids(*, user: User) -> list[int]:
    """The ids of the user's offices as numbers, for a filter written out literally: PostgreSQL
    then plans from its statistics of how many rows those offices hold, where through a subquery
    it assumes an average office's share (a station that served five of the city's people had its
    people list scan all 500,000 in the order shown — 2.9 s; bench/lists.py)."""
    return [office.pk for office in office_visible_offices(user=user)]


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
