"""Filter bars of the lease filings and the residence registrations."""

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.lists import ListFilterSet
from hukou_portal.core.widgets import DateInput
from hukou_portal.people.filters import refuse_id_number

from .models import LeaseFiling, ResidenceRegistration

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class LeaseFilingFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Filing number or tenant"),
        method="filter_number_or_tenant",
        max_length=40,
        validators=[refuse_id_number],
        widget=forms.TextInput(
            attrs={"placeholder": _("Filing number, or the first characters of a name"), "type": "search"}
        ),
    )
    housing = django_filters.ChoiceFilter(label=_("Housing"), choices=LeaseFiling.Housing.choices, empty_label=_("All"))
    urban = django_filters.ChoiceFilter(
        label=_("Urban area"), choices=YES_NO, method="filter_urban", empty_label=_("All")
    )
    filed_from = django_filters.DateFilter(
        label=_("Filed from"), field_name="filed_on", lookup_expr="gte", widget=DateInput()
    )
    filed_to = django_filters.DateFilter(
        label=_("Filed until"), field_name="filed_on", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = LeaseFiling
        fields = ["q", "housing"]

    def filter_number_or_tenant(self, queryset: QuerySet[LeaseFiling], name: str, value: Any) -> QuerySet[LeaseFiling]:
        text = value.strip()
        if not text:
            return queryset
        if text.isascii() and re.search(r"\d", text):  # a number; a name is Chinese
            return queryset.filter(filing_number=text.upper())
        return queryset.filter(tenant__name__startswith=text)

    def filter_urban(self, queryset: QuerySet[LeaseFiling], name: str, value: str) -> QuerySet[LeaseFiling]:
        return queryset.filter(is_urban=value == "yes") if value else queryset


class RegistrationFilter(ListFilterSet):
    ACTIVE, ENDED = "active", "ended"

    q = django_filters.CharFilter(
        label=_("Person"),
        method="filter_person",
        max_length=50,
        validators=[refuse_id_number],
        widget=forms.TextInput(attrs={"placeholder": _("The first characters of the name"), "type": "search"}),
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=ResidenceRegistration.Source.choices, empty_label=_("All")
    )
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(ACTIVE, _("In force")), (ENDED, _("Ended"))],
        method="filter_state",
        empty_label=_("All"),
    )
    started_from = django_filters.DateFilter(
        label=_("Registered from (on or after)"), field_name="started_on", lookup_expr="gte", widget=DateInput()
    )
    started_to = django_filters.DateFilter(
        label=_("Registered from (on or before)"), field_name="started_on", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = ResidenceRegistration
        fields = ["q", "source"]

    def filter_person(
        self, queryset: QuerySet[ResidenceRegistration], name: str, value: Any
    ) -> QuerySet[ResidenceRegistration]:
        text = value.strip()
        return queryset.filter(person__name__startswith=text) if text else queryset

    def filter_state(
        self, queryset: QuerySet[ResidenceRegistration], name: str, value: str
    ) -> QuerySet[ResidenceRegistration]:
        if value == self.ACTIVE:
            return queryset.filter(ended_on__isnull=True)
        if value == self.ENDED:
            return queryset.filter(ended_on__isnull=False)
        return queryset
