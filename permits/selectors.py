"""Reads of permits, scoped to the issuing offices the user may see."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from hukou_portal.accounts.models import User
from hukou_portal.accounts.selectors import office_visible_list

from .models import ResidencePermit


def permit_list_for_user(*, user: User) -> QuerySet[ResidencePermit]:
    return ResidencePermit.objects.filter(office__in=office_visible_list(user=user)).select_related("holder", "office")


def permit_get_for_user(*, user: User, pk: int) -> ResidencePermit:
    return get_object_or_404(permit_list_for_user(user=user), pk=pk)
