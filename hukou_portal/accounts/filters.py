"""Filter bars of the administrators' lists of users and offices."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.lists import ListFilterSet

from .models import Office, User
from .roles import Role
from .selectors import office_visible_list

ACTIVE_CHOICES = [("yes", _("Active")), ("no", _("Inactive"))]


def _offices(request):  # type: ignore[no-untyped-def]
    return office_visible_list(user=request.user) if request is not None else Office.objects.none()


def _active(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    return queryset.filter(is_active=value == "yes") if value else queryset


class UserFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("User"),
        method="filter_name",
        max_length=50,
        widget=forms.TextInput(
            attrs={"placeholder": _("The first characters of the username or full name"), "type": "search"}
        ),
    )
    office = django_filters.ModelChoiceFilter(
        label=_("Office"), queryset=lambda request: _offices(request), empty_label=_("All")
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, field_name="groups__name", empty_label=_("All")
    )
    active = django_filters.ChoiceFilter(
        label=_("Status"), choices=ACTIVE_CHOICES, method="filter_active", empty_label=_("All")
    )

    class Meta:
        model = User
        fields = ["q", "office", "role"]

    def filter_name(self, queryset: QuerySet[User], name: str, value: Any) -> QuerySet[User]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(username__istartswith=text) | Q(full_name__startswith=text))

    def filter_active(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return _active(queryset, value)


class OfficeFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Office"),
        method="filter_name",
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("Name or office code"), "type": "search"}),
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Office.Level.choices, empty_label=_("All"))
    active = django_filters.ChoiceFilter(
        label=_("Status"), choices=ACTIVE_CHOICES, method="filter_active", empty_label=_("All")
    )

    class Meta:
        model = Office
        fields = ["q", "level"]

    def filter_name(self, queryset: QuerySet[Office], name: str, value: Any) -> QuerySet[Office]:
        text = value.strip()
        return queryset.filter(Q(name__contains=text) | Q(code__startswith=text)) if text else queryset

    def filter_active(self, queryset: QuerySet[Office], name: str, value: str) -> QuerySet[Office]:
        return _active(queryset, value)
