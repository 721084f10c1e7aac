"""The people list's filter bar: name (the first characters) and the recording office.

A citizen ID number is looked up from the header's search box, which posts it: typed here it
would land in the address bar and the access log, so the list refuses it."""

import re
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hukou_portal.accounts.models import Office
from hukou_portal.accounts.selectors import office_visible_list
from hukou_portal.core.lists import ListFilterSet

from .models import Person

ID_NUMBER_SHAPE = re.compile(r"\d{17}[\dX]|\d{15}")
ID_NUMBER_IN_SEARCH = _(
    "Find a citizen ID number with the search box at the top of the page: it keeps the number out of the address bar."
)


def refuse_id_number(value: str) -> None:
    """For lists searched by GET: a whole citizen ID number is refused (see the module)."""
    if ID_NUMBER_SHAPE.fullmatch(re.sub(r"\s+", "", value).upper()):
        raise ValidationError(ID_NUMBER_IN_SEARCH)


def refuse_digits(value: str) -> None:
    if re.search(r"\d", value):
        raise ValidationError(
            _("Search people here by name. Find a citizen ID number with the search box at the top of the page.")
        )


class NameSearchField(forms.CharField):
    default_validators = [refuse_digits]


class NameSearchFilter(django_filters.CharFilter):
    field_class = NameSearchField


def _offices(request):  # type: ignore[no-untyped-def]
    return office_visible_list(user=request.user) if request is not None else Office.objects.none()


class PersonFilter(ListFilterSet):
    q = NameSearchFilter(
        label=pgettext_lazy("person", "Name"),
        method="filter_name",
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("The first characters of the name"), "type": "search"}),
    )
    office = django_filters.ModelChoiceFilter(
        label=_("Recorded by office"), queryset=lambda request: _offices(request), empty_label=_("All")
    )

    class Meta:
        model = Person
        fields = ["q", "office"]

    def filter_name(self, queryset: QuerySet[Person], name: str, value: Any) -> QuerySet[Person]:
        value = value.strip()
        return queryset.filter(name_key__startswith=value) if value else queryset  # see person_list_for_user
