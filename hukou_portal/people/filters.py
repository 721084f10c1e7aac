"""The people list's filter bar: name (the first characters) and the recording office.

A citizen ID number is looked up from the header's search box, which posts it: typed here it
would land in the address bar and the access log, so the list refuses it. (Before any view,
``core.middleware.IdNumbersStayOutOfAddressesMiddleware`` already drops a query parameter that
carries one; the validators here say so in the filter bar of a list used without it.)"""

import re
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hukou_portal.accounts.selectors import office_visible_offices
from hukou_portal.core.lists import ListFilterSet
from hukou_portal.core.middleware import ID_NUMBER_IN_ADDRESS
from hukou_portal.core.redaction import contains_id_number, spelled_id_number

from .models import Person

OLD_ID_NUMBER_SHAPE = re.compile(r"[0-9]{15}")  # first-generation numbers (15 digits)
ID_NUMBER_IN_SEARCH = ID_NUMBER_IN_ADDRESS


def refuse_id_number(value: str) -> None:
    """For lists searched by GET: a citizen ID number, spaced, hyphenated or full-width, is
    refused (see the module)."""
    compact = re.sub(r"\s+", "", value)
    if contains_id_number(value) or spelled_id_number(value) or OLD_ID_NUMBER_SHAPE.fullmatch(compact):
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


class PersonFilter(ListFilterSet):
    q = NameSearchFilter(
        label=pgettext_lazy("person", "Name"),
        method="filter_name",
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("The first characters of the name"), "type": "search"}),
    )
    # The user's offices, as the page's list of them (``office_visible_offices``: one query the
    # people list shares), not a queryset of its own.
    office = django_filters.ChoiceFilter(label=_("Recorded by office"), choices=[], empty_label=_("All"))

    class Meta:
        model = Person
        fields = ["q", "office"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        offices = office_visible_offices(user=user) if user is not None and user.is_authenticated else []
        self.filters["office"].extra["choices"] = [(office.pk, office.name) for office in offices]

    def filter_name(self, queryset: QuerySet[Person], name: str, value: Any) -> QuerySet[Person]:
        value = value.strip()
        return queryset.filter(name_key__startswith=value) if value else queryset  # see person_list_for_user
