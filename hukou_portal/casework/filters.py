"""The case queue's filter bar (django-filter, laid out by crispy): case number, status, kind,
category, office, officer, deadline within N working days, dates opened."""

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import QuerySet
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from hukou_portal.accounts.authz import staff_generation
from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.selectors import office_visible_ids, office_visible_list, office_visible_offices
from hukou_portal.core.forms import ModelChoiceField, preloaded
from hukou_portal.core.lists import ListFilterSet
from hukou_portal.core.widgets import DateInput
from hukou_portal.rules.calendar import CalendarMissing, WorkCalendar

from .kinds import all_kinds
from .models import CLOCK_RUNNING_STATUSES, Case, Status, deadline_key
from .selectors import case_search

# ?due_within=N: the home page links to N = 3; a month of working days is the most asked for.
DUE_WITHIN_MAX = 22


def _kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, str(kind.label)) for kind in all_kinds()]


def _category_choices() -> list[tuple[str, str]]:
    return [(category.code, f"{kind.label} · {category.label}") for kind in all_kinds() for category in kind.categories]


def _offices(request):  # type: ignore[no-untyped-def]
    """The user's offices, as the page has read them for its scope already."""
    if request is None:
        return Office.objects.none()
    return preloaded(office_visible_list(user=request.user), office_visible_offices(user=request.user))


def _officers(request):  # type: ignore[no-untyped-def]
    """The counter officers of the user's offices, kept in the cache until an account changes."""
    if request is None:
        return User.objects.none()
    ids = office_visible_ids(user=request.user)
    officers = (
        User.objects.filter(office__in=ids, groups__name=Role.COUNTER_OFFICER)
        .only("id", "username", "full_name", "office_id")
        .order_by("username")
    )
    key = f"casework.filter_officers:{staff_generation()}:{','.join(map(str, ids))}"
    return preloaded(officers, cache.get_or_set(key, lambda: list(officers), 60 * 60))


class OfficeChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ModelChoiceField


class OfficerChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class OfficerChoiceFilter(django_filters.ModelChoiceFilter):
    """Officers by their names, not their user names."""

    field_class = OfficerChoiceField


class WorkingDaysFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class CaseFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Case number"),
        method="filter_reference",
        widget=forms.TextInput(attrs={"placeholder": _("HZ-330502-2026-000012 or 000012"), "type": "search"}),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("All"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=_kind_choices, empty_label=_("All"))
    category = django_filters.ChoiceFilter(label=_("Category"), choices=_category_choices, empty_label=_("All"))
    office = OfficeChoiceFilter(label=_("Office"), queryset=lambda request: _offices(request), empty_label=_("All"))
    assigned_officer = OfficerChoiceFilter(
        label=_("Officer"),
        queryset=lambda request: _officers(request),
        empty_label=_("All"),
    )
    due_within = WorkingDaysFilter(
        label=_("Due within (working days)"),
        method="filter_due_within",
        min_value=0,
        max_value=DUE_WITHIN_MAX,
        widget=forms.NumberInput(attrs={"min": 0, "max": DUE_WITHIN_MAX}),
    )
    created_from = django_filters.DateFilter(
        label=_("Opened from"), field_name="created_at", lookup_expr="date__gte", widget=DateInput()
    )
    created_to = django_filters.DateFilter(
        label=_("Opened until"), field_name="created_at", lookup_expr="date__lte", widget=DateInput()
    )

    class Meta:
        model = Case
        fields = ["q", "status", "kind", "category", "office", "assigned_officer", "due_within"]

    def __init__(self, *args: Any, calendar: WorkCalendar | None = None, today: dt.date | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.calendar = calendar
        self.today = today or dt.date.today()

    def filter_reference(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return case_search(queryset, value) if value.strip() else queryset

    def filter_due_within(self, queryset: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        """Cases whose clock runs and whose deadline is at most ``value`` working days away,
        overdue ones included. Past a year without a published calendar the limit cannot be
        counted: then every running case with a deadline is kept (never guessed away)."""
        if value is None:
            return queryset
        running = queryset.filter(status__in=CLOCK_RUNNING_STATUSES, deadline__isnull=False)
        calendar = self.calendar or WorkCalendar.load()
        try:
            last_day = calendar.add_working_days(self.today, int(value))
        except CalendarMissing:
            return running
        # Said of the queues' sort key (the deadline itself, since it is set), so the scan of
        # case_open_by_deadline_newest is bounded at both ends: from the cursor to the last day.
        # Said of the deadline, PostgreSQL sorted every running case for a deep page (bench/lists.py).
        return running.filter(LessThanOrEqual(deadline_key(), last_day))
