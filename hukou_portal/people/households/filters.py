"""The household list's filter bar: the first digits of a 户号 (one index range) and the type."""

import re
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.lists import ListFilterSet
from hukou_portal.people.models import Household, HouseholdType


def digits_only(value: str) -> None:
    if not re.fullmatch(r"\d*", value.strip()):
        raise ValidationError(_("A household number has digits only."))


class NumberPrefixField(forms.CharField):
    default_validators = [digits_only]


class NumberPrefixFilter(django_filters.CharFilter):
    field_class = NumberPrefixField


class HouseholdFilter(ListFilterSet):
    q = NumberPrefixFilter(
        label=_("Household number (户号)"),
        method="filter_number",
        max_length=20,
        widget=forms.TextInput(
            attrs={"placeholder": _("The first digits of the number"), "type": "search", "inputmode": "numeric"}
        ),
    )
    type = django_filters.ChoiceFilter(
        label=_("Household type (户别)"), choices=HouseholdType.choices, empty_label=_("All")
    )

    class Meta:
        model = Household
        fields = ["q", "type"]

    def filter_number(self, queryset: QuerySet[Household], name: str, value: Any) -> QuerySet[Household]:
        value = value.strip()
        # number_key: the 户号 compared code by code (selectors.household_list_for_user).
        return queryset.filter(number_key__startswith=value) if value else queryset
