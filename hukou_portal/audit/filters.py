"""Filters of the auditors' page: action, actor, office, case number, dates."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hukou_portal.accounts.models import Office
from hukou_portal.accounts.selectors import office_visible_list
from hukou_portal.core.lists import ListFilterSet

from .actions import ACTIONS
from .models import AuditEvent

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _offices(request):  # type: ignore[no-untyped-def]
    return office_visible_list(user=request.user) if request is not None else Office.objects.none()


def _action_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in ACTIONS.items()), key=lambda choice: choice[1])


class AuditEventFilter(ListFilterSet):
    case = django_filters.CharFilter(
        label=_("Case number"),
        method="filter_case",
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": _("HZ-330502-2026-000012 or 000012"), "type": "search"}),
    )
    action = django_filters.ChoiceFilter(label=_("Action"), choices=_action_choices, empty_label=_("All"))
    actor = django_filters.CharFilter(
        label=_("Actor (username)"), field_name="actor__username", lookup_expr="iexact", max_length=150
    )
    office = django_filters.ModelChoiceFilter(
        label=_("Actor's office"),
        field_name="actor_office",
        queryset=lambda request: _offices(request),
        empty_label=_("All"),
    )
    occurred_from = django_filters.DateFilter(
        label=_("From"), field_name="occurred_at", lookup_expr="date__gte", widget=DATE_INPUT
    )
    occurred_to = django_filters.DateFilter(
        label=_("Until"), field_name="occurred_at", lookup_expr="date__lte", widget=DATE_INPUT
    )

    wide_fields = ("case",)

    class Meta:
        model = AuditEvent
        fields = ["case", "action"]

    def filter_case(self, queryset: QuerySet[AuditEvent], name: str, value: Any) -> QuerySet[AuditEvent]:
        from hukou_portal.casework.models import Case
        from hukou_portal.casework.selectors import case_search

        if not value.strip():
            return queryset
        return queryset.filter(case__in=case_search(Case.objects.all(), value).values("pk"))
