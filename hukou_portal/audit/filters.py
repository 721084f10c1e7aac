"""Filters of the auditors' page: action, dates, actor, case number."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .actions import ACTIONS
from .models import AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(label=_("Action"), choices=lambda: sorted(ACTIONS.items()))
    occurred_from = django_filters.DateFilter(label=_("From"), field_name="occurred_at", lookup_expr="date__gte")
    occurred_to = django_filters.DateFilter(label=_("Until"), field_name="occurred_at", lookup_expr="date__lte")
    actor = django_filters.CharFilter(label=_("Actor (username)"), field_name="actor__username", lookup_expr="iexact")
    case = django_filters.CharFilter(label=_("Case number"), field_name="case__reference", lookup_expr="iexact")

    class Meta:
        model = AuditEvent
        fields = ["action"]
