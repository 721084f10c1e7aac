"""Filters of the auditors' page: person, case number, action, actor, office, dates.

The person filter never carries an ID number in the URL: the auditor posts the number (see
``views.event_list``), and the page's address gets an opaque signed reference to the person.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hukou_portal.accounts.models import Office
from hukou_portal.accounts.selectors import office_visible_list
from hukou_portal.core.lists import ListFilterSet
from hukou_portal.core.widgets import DateInput
from hukou_portal.people.references import person_from_reference, person_reference

from .actions import ACTIONS
from .models import AuditEvent, Outcome


def _offices(request):  # type: ignore[no-untyped-def]
    return office_visible_list(user=request.user) if request is not None else Office.objects.none()


def _action_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in ACTIONS.items()), key=lambda choice: choice[1])


PERSON_SALT = "audit.person-filter"


def person_token(person_id: int) -> str:
    """The opaque reference to a person that the audit page's URL carries (people.references)."""
    return person_reference(person_id, purpose=PERSON_SALT)


def person_from_token(token: str) -> int | None:
    return person_from_reference(token, purpose=PERSON_SALT)


def person_scope(person_id: int) -> Q:
    """Events about a person: their record, their cases, and their permits, registrations and
    lease filings (by the object each event names)."""
    from permits.models import ResidencePermit
    from registration.models import LeaseFiling, ResidenceRegistration

    objects = Q(object_type="people.person", object_id=str(person_id)) | Q(case__applicant_id=person_id)
    for model, field in (
        (ResidencePermit, "holder_id"),
        (ResidenceRegistration, "person_id"),
        (LeaseFiling, "tenant_id"),
    ):
        ids = [str(pk) for pk in model.objects.filter(**{field: person_id}).values_list("pk", flat=True)]
        if ids:
            objects |= Q(object_type=model._meta.label_lower, object_id__in=ids)
    return objects


class AuditEventFilter(ListFilterSet):
    person = django_filters.CharFilter(method="filter_person", widget=forms.HiddenInput, max_length=200)
    case = django_filters.CharFilter(
        label=_("Case number"),
        method="filter_case",
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": _("HZ-330502-2026-000012 or 000012"), "type": "search"}),
    )
    action = django_filters.ChoiceFilter(label=_("Action"), choices=_action_choices, empty_label=_("All"))
    # The partial index audit_not_successful serves "denied" and "failed".
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=Outcome.choices, empty_label=_("All"))
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
        label=_("From"), field_name="occurred_at", lookup_expr="date__gte", widget=DateInput()
    )
    occurred_to = django_filters.DateFilter(
        label=_("Until"), field_name="occurred_at", lookup_expr="date__lte", widget=DateInput()
    )

    wide_fields = ("case",)

    class Meta:
        model = AuditEvent
        fields = ["case", "action", "outcome"]

    def filter_person(self, queryset: QuerySet[AuditEvent], name: str, value: Any) -> QuerySet[AuditEvent]:
        person_id = person_from_token(value) if value else None
        if not value:
            return queryset
        if person_id is None:  # tampered or expired: show nothing rather than everything
            return queryset.none()
        return queryset.filter(person_scope(person_id))

    def filter_case(self, queryset: QuerySet[AuditEvent], name: str, value: Any) -> QuerySet[AuditEvent]:
        from hukou_portal.casework.models import Case
        from hukou_portal.casework.selectors import case_search

        if not value.strip():
            return queryset
        return queryset.filter(case__in=case_search(Case.objects.all(), value).values("pk"))
