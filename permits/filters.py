"""The residence permits' filter bar: permit number or holder's name, status, office, dates."""

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hukou_portal.accounts.models import Office
from hukou_portal.accounts.selectors import office_visible_list
from hukou_portal.core.lists import ListFilterSet
from hukou_portal.core.widgets import DateInput
from hukou_portal.people.filters import refuse_id_number

from .models import ResidencePermit


def _offices(request):  # type: ignore[no-untyped-def]
    return office_visible_list(user=request.user) if request is not None else Office.objects.none()


class PermitFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Permit number or holder"),
        method="filter_number_or_holder",
        max_length=40,
        validators=[refuse_id_number],
        widget=forms.TextInput(
            attrs={"placeholder": _("Permit number, or the first characters of a name"), "type": "search"}
        ),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ResidencePermit.Status.choices, empty_label=_("All")
    )
    office = django_filters.ModelChoiceFilter(
        label=_("Issued by"), queryset=lambda request: _offices(request), empty_label=_("All")
    )
    issued_from = django_filters.DateFilter(
        label=_("Issued from"), field_name="issued_on", lookup_expr="gte", widget=DateInput()
    )
    issued_to = django_filters.DateFilter(
        label=_("Issued until"), field_name="issued_on", lookup_expr="lte", widget=DateInput()
    )
    endorsed_before = django_filters.DateFilter(
        label=_("Endorsement due by"), field_name="endorsed_until", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = ResidencePermit
        fields = ["q", "status", "office"]

    def filter_number_or_holder(
        self, queryset: QuerySet[ResidencePermit], name: str, value: Any
    ) -> QuerySet[ResidencePermit]:
        text = re.sub(r"\s+", "", value).upper()
        if not text:
            return queryset
        if text.isascii() and re.search(r"\d", text):  # a number; a name is Chinese
            return queryset.filter(number=text)
        return queryset.filter(holder__name__startswith=text)
