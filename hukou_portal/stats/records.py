"""The records behind the dashboard's numbers: cases, residence registrations and permits,
filtered exactly as the rollups count them (``rollups.day_rows``), within the user's offices.

A number links here with its filters in the query string, so the list shows the rows that made
it — as many as the number says (tests/stats/test_dashboard.py). These lists serve every
reader of the dashboard, the statistics analyst included: the people in them are named (with a
masked ID number) only for users who may read people, and a case links to its page only for
users who may read cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.core.validators import RegexValidator
from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.selectors import office_visible_ids, office_visible_offices
from hukou_portal.casework.kinds import all_kinds
from hukou_portal.casework.models import CLOCK_RUNNING_STATUSES, Case, Decision
from hukou_portal.core.lists import NOWRAP, ListFilterSet, ListTable
from hukou_portal.core.widgets import DateInput
from hukou_portal.people.models import HouseholdMember, HouseholdType
from permits.kinds import PERMIT_CONVERSION
from permits.models import ResidencePermit
from registration.models import ResidenceRegistration
from settlement.models import Category as SettlementCategory

from .rollups import SETTLED_REASONS, SHANGHAI, day_bounds


def _offices(request: Any) -> QuerySet[Office]:
    user = request.user if request is not None else None
    if user is None:
        return Office.objects.none()
    return Office.objects.filter(pk__in=office_visible_ids(user=user)).order_by("path")


def _subtree_ids(request: Any, area: Office) -> list[int]:
    return [office.pk for office in office_visible_offices(user=request.user) if office.path.startswith(area.path)]


YES = [("1", _("Yes"))]


class AreaFilterSet(ListFilterSet):
    """``area``: the office and every office below it; the list's own office field is named by
    ``area_field`` (a case's office; the case's office for a registration)."""

    area_field = "office_id"
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=_offices, method="filter_area", empty_label=_("All")
    )

    def filter_area(self, queryset: QuerySet[Any], name: str, value: Office | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(**{f"{self.area_field}__in": _subtree_ids(self.request, value)})


def _kinds() -> list[tuple[str, str]]:
    return [(kind.code, str(kind.label)) for kind in all_kinds()]


def _categories() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for kind in all_kinds():
        for category in kind.categories:
            seen.setdefault(category.code, str(category.label))
    return list(seen.items())


class CaseRecordFilter(AreaFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=_kinds, empty_label=_("All"))
    category = django_filters.ChoiceFilter(label=_("Category"), choices=_categories, empty_label=_("All"))
    office = django_filters.ModelChoiceFilter(label=_("Office (itself)"), queryset=_offices, empty_label=_("All"))
    accepted_from = django_filters.DateFilter(
        label=_("Accepted from"), field_name="clock_started_on", lookup_expr="gte", widget=DateInput()
    )
    accepted_to = django_filters.DateFilter(
        label=_("Accepted until"), field_name="clock_started_on", lookup_expr="lte", widget=DateInput()
    )
    decided_from = django_filters.DateFilter(label=_("Decided from"), method="filter_decided_from", widget=DateInput())
    decided_to = django_filters.DateFilter(label=_("Decided until"), method="filter_decided_to", widget=DateInput())
    decision = django_filters.ChoiceFilter(
        label=_("Decision"), choices=Decision.choices, method="filter_decision", empty_label=_("All")
    )
    completed_from = django_filters.DateFilter(
        label=_("Completed from"), method="filter_completed_from", widget=DateInput()
    )
    completed_to = django_filters.DateFilter(
        label=_("Completed until"), method="filter_completed_to", widget=DateInput()
    )
    supplemented = django_filters.ChoiceFilter(
        label=_("With a request for documents"), choices=YES, method="filter_supplemented", empty_label=_("All")
    )
    within_deadline = django_filters.ChoiceFilter(
        label=_("Decided within the deadline"), choices=YES, method="filter_within_deadline", empty_label=_("All")
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue now"), choices=YES, method="filter_overdue", empty_label=_("All")
    )

    class Meta:
        model = Case
        fields = ["area", "kind", "category", "office"]

    # A decision's day is its Beijing calendar day, as the rollups count it.
    def filter_decided_from(self, queryset: QuerySet[Case], name: str, value: dt.date | None) -> QuerySet[Case]:
        if value is None:
            return queryset
        return queryset.exclude(decision="").filter(decided_at__gte=day_bounds(value)[0])

    def filter_decided_to(self, queryset: QuerySet[Case], name: str, value: dt.date | None) -> QuerySet[Case]:
        if value is None:
            return queryset
        return queryset.exclude(decision="").filter(decided_at__lt=day_bounds(value)[1])

    def filter_completed_from(self, queryset: QuerySet[Case], name: str, value: dt.date | None) -> QuerySet[Case]:
        return queryset.filter(completed_at__gte=day_bounds(value)[0]) if value else queryset

    def filter_completed_to(self, queryset: QuerySet[Case], name: str, value: dt.date | None) -> QuerySet[Case]:
        return queryset.filter(completed_at__lt=day_bounds(value)[1]) if value else queryset

    def filter_supplemented(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(supplement_requests__gte=1) if value else queryset

    def filter_decision(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(decision=value) if value else queryset

    def filter_within_deadline(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if not value:
            return queryset
        return (
            queryset.exclude(decision="")
            .filter(decided_at__isnull=False, deadline__isnull=False)
            .alias(decided_on=TruncDate("decided_at", tzinfo=SHANGHAI))
            .filter(decided_on__lte=F("deadline"))
        )

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(status__in=CLOCK_RUNNING_STATUSES, deadline__lt=today)


class RegistrationRecordFilter(AreaFilterSet):
    area_field = "case__office_id"
    town = django_filters.NumberFilter(field_name="town_id", widget=forms.HiddenInput())
    no_town = django_filters.ChoiceFilter(
        label=_("No town recorded"), choices=YES, method="filter_no_town", empty_label=_("All")
    )
    started_from = django_filters.DateFilter(
        label=_("Registered from (on or after)"), field_name="started_on", lookup_expr="gte", widget=DateInput()
    )
    started_to = django_filters.DateFilter(
        label=_("Registered from (on or before)"), field_name="started_on", lookup_expr="lte", widget=DateInput()
    )
    ended_from = django_filters.DateFilter(
        label=_("Ended (on or after)"), field_name="ended_on", lookup_expr="gte", widget=DateInput()
    )
    ended_to = django_filters.DateFilter(
        label=_("Ended (on or before)"), field_name="ended_on", lookup_expr="lte", widget=DateInput()
    )
    in_force_on = django_filters.DateFilter(label=_("In force on"), method="filter_in_force_on", widget=DateInput())
    origin = django_filters.CharFilter(
        label=_("Origin (first four digits of the ID number)"),
        method="filter_origin",
        validators=[RegexValidator(r"^(\d{4}|unknown)$", _("An origin is the first four digits of an area code."))],
    )

    class Meta:
        model = ResidenceRegistration
        fields = ["area"]

    def filter_no_town(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(town__isnull=True) if value else queryset

    def filter_origin(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """By the city the person's ID number was issued in (``Person.origin_area``, the six
        digits the masked number shows); ``unknown`` for none."""
        if not value:
            return queryset
        if value == "unknown":
            return queryset.filter(person__origin_area="")
        return queryset.filter(person__origin_area__startswith=value)

    def filter_in_force_on(self, queryset: QuerySet[Any], name: str, value: dt.date | None) -> QuerySet[Any]:
        """In force at the end of the day, in a town: what ``TownStockDay.residents`` counts."""
        if value is None:
            return queryset
        return queryset.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=value), started_on__lte=value, town__isnull=False
        )


class PermitRecordFilter(AreaFilterSet):
    issued_from = django_filters.DateFilter(
        label=_("Issued from"), field_name="issued_on", lookup_expr="gte", widget=DateInput()
    )
    issued_to = django_filters.DateFilter(
        label=_("Issued until"), field_name="issued_on", lookup_expr="lte", widget=DateInput()
    )
    how = django_filters.ChoiceFilter(
        label=_("Issued as"),
        choices=[("new", _("A new permit")), ("converted", _("By conversion (R3.1)"))],
        method="filter_how",
        empty_label=_("All"),
    )

    class Meta:
        model = ResidencePermit
        fields = ["area"]

    def filter_how(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """A new permit: not a replacement after a loss (what ``PermitDay.issued`` counts); of
        them, those a conversion case issued (``converted``)."""
        if not value:
            return queryset
        new = queryset.filter(replaces__isnull=True)
        return new.filter(case__kind=PERMIT_CONVERSION.code) if value == "converted" else new


class SettledRecordFilter(AreaFilterSet):
    """The people a settlement placed in a household (what ``SettlementDay`` counts)."""

    area_field = "join_case__office_id"
    household_type = django_filters.ChoiceFilter(
        label=_("Household type"), field_name="household__type", choices=HouseholdType.choices, empty_label=_("All")
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), field_name="join_case__category", choices=SettlementCategory.choices, empty_label=_("All")
    )
    joined_from = django_filters.DateFilter(
        label=_("Joined from"), field_name="joined_on", lookup_expr="gte", widget=DateInput()
    )
    joined_to = django_filters.DateFilter(
        label=_("Joined until"), field_name="joined_on", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = HouseholdMember
        fields = ["area"]


# --- scoped selectors ----------------------------------------------------------------------------


def case_records(*, user: User) -> QuerySet[Case]:
    return Case.objects.filter(office_id__in=office_visible_ids(user=user)).select_related("office", "applicant")


def registration_records(*, user: User, by_town: bool = False) -> QuerySet[ResidenceRegistration]:
    """Local registrations made by a case of the user's offices (what RegistrationDay counts);
    ``by_town``: those in the towns the user's offices answer for, whoever made them (what the
    stock per town, TownStockDay, counts)."""
    registrations = ResidenceRegistration.objects.filter(source=ResidenceRegistration.Source.LOCAL)
    if by_town:
        from hukou_portal.people.selectors import towns_answered_by

        registrations = registrations.filter(town_id__in=towns_answered_by(office_visible_offices(user=user)))
    else:
        registrations = registrations.filter(case__office_id__in=office_visible_ids(user=user))
    return registrations.select_related("town", "case__office", "person")


def settled_records(*, user: User) -> QuerySet[HouseholdMember]:
    return HouseholdMember.objects.filter(
        join_case__kind="settlement",
        join_reason__in=SETTLED_REASONS,
        join_case__office_id__in=office_visible_ids(user=user),
    ).select_related("household", "person", "join_case__office")


def permit_records(*, user: User) -> QuerySet[ResidencePermit]:
    return ResidencePermit.objects.filter(office_id__in=office_visible_ids(user=user)).select_related(
        "office", "holder"
    )


# --- tables --------------------------------------------------------------------------------------


def _person(person: Any) -> str:
    return format_html('{} <span class="text-body-secondary small">{}</span>', person.name, person.masked_id_number)


class RecordTable(ListTable):
    """Columns naming a person are dropped for users who may not read people."""

    person_columns: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        exclude = () if user.has_perm("people.view_person") else self.person_columns
        super().__init__(*args, exclude=exclude, **kwargs)
        self.user = user
        self.may_open_cases = user.has_perm("casework.view_case")

    def case_cell(self, case: Any) -> str:
        """The case behind a record: its number, a link for users who may open cases."""
        if case is None:
            return "—"
        if self.may_open_cases:
            return format_html('<a href="{}">{}</a>', reverse("casework:case_detail", args=[case.pk]), case.reference)
        return case.reference


class CaseRecordTable(RecordTable):
    reference = tables.Column(verbose_name=_("Case number"), attrs=NOWRAP)
    kind = tables.Column(verbose_name=_("Kind"), accessor="kind_label", attrs=NOWRAP)
    category = tables.Column(verbose_name=_("Category"), accessor="category_label", attrs=NOWRAP)
    office = tables.Column(verbose_name=_("Office"), accessor="office__name", attrs=NOWRAP)
    applicant = tables.Column(verbose_name=_("Applicant"), empty_values=(), attrs=NOWRAP)
    status = tables.Column(verbose_name=_("Status"), accessor="get_status_display", attrs=NOWRAP)
    accepted = tables.DateColumn(
        verbose_name=_("Accepted on"), accessor="clock_started_on", format="Y-m-d", attrs=NOWRAP
    )
    deadline = tables.DateColumn(verbose_name=_("Deadline"), accessor="deadline", format="Y-m-d", attrs=NOWRAP)
    decided = tables.DateTimeColumn(verbose_name=_("Decided on"), accessor="decided_at", format="Y-m-d", attrs=NOWRAP)

    person_columns = ("applicant",)
    orderings = {"reference": ("id",)}
    default_sort = "-reference"

    class Meta(ListTable.Meta):
        attrs = {"class": "table table-sm align-middle list-table", "data-testid": "case-records"}
        empty_text = _("No cases.")

    def render_reference(self, record: Case) -> str:
        if self.may_open_cases:
            return format_html(
                '<a href="{}">{}</a>', reverse("casework:case_detail", args=[record.pk]), record.reference
            )
        return record.reference

    def render_applicant(self, record: Case) -> str:
        return _person(record.applicant)


class RegistrationRecordTable(RecordTable):
    person = tables.Column(verbose_name=_("Person"), empty_values=(), attrs=NOWRAP)
    town = tables.Column(verbose_name=_("Town or sub-district"), accessor="town__name", attrs=NOWRAP)
    started = tables.DateColumn(verbose_name=_("Registered from"), accessor="started_on", format="Y-m-d", attrs=NOWRAP)
    ended = tables.DateColumn(verbose_name=_("Registered until"), accessor="ended_on", format="Y-m-d", attrs=NOWRAP)
    office = tables.Column(verbose_name=_("Office"), accessor="case__office__name", attrs=NOWRAP)
    case = tables.Column(verbose_name=_("Case"), accessor="case__reference", attrs=NOWRAP)

    person_columns = ("person",)
    orderings = {"started": ("started_on", "id")}
    default_sort = "-started"

    class Meta(ListTable.Meta):
        attrs = {"class": "table table-sm align-middle list-table", "data-testid": "registration-records"}
        empty_text = _("No residence registrations.")

    def render_person(self, record: ResidenceRegistration) -> str:
        return _person(record.person)

    def render_office(self, record: ResidenceRegistration) -> str:
        return record.case.office.name if record.case is not None else "—"

    def render_case(self, record: ResidenceRegistration) -> str:
        return self.case_cell(record.case)


class PermitRecordTable(RecordTable):
    number = tables.Column(verbose_name=_("Permit number"), attrs=NOWRAP)
    holder = tables.Column(verbose_name=_("Holder"), empty_values=(), attrs=NOWRAP)
    office = tables.Column(verbose_name=_("Issued by"), accessor="office__name", attrs=NOWRAP)
    issued = tables.DateColumn(verbose_name=_("Issued on"), accessor="issued_on", format="Y-m-d", attrs=NOWRAP)
    endorsed = tables.DateColumn(
        verbose_name=_("Endorsed until"), accessor="endorsed_until", format="Y-m-d", attrs=NOWRAP
    )
    status = tables.Column(verbose_name=_("Status"), accessor="get_status_display", attrs=NOWRAP)

    person_columns = ("holder",)
    orderings = {"issued": ("issued_on", "id")}
    default_sort = "-issued"

    class Meta(ListTable.Meta):
        attrs = {"class": "table table-sm align-middle list-table", "data-testid": "permit-records"}
        empty_text = _("No residence permits.")

    def render_holder(self, record: ResidencePermit) -> str:
        return _person(record.holder)


class SettledRecordTable(RecordTable):
    person = tables.Column(verbose_name=_("Person"), empty_values=(), attrs=NOWRAP)
    household = tables.Column(verbose_name=_("Household number"), accessor="household__number", attrs=NOWRAP)
    household_type = tables.Column(
        verbose_name=_("Household type"), accessor="household__get_type_display", attrs=NOWRAP
    )
    joined = tables.DateColumn(verbose_name=_("Joined on"), accessor="joined_on", format="Y-m-d", attrs=NOWRAP)
    office = tables.Column(verbose_name=_("Office"), accessor="join_case__office__name", attrs=NOWRAP)
    case = tables.Column(verbose_name=_("Case"), accessor="join_case__reference", attrs=NOWRAP)

    person_columns = ("person",)
    orderings = {"joined": ("joined_on", "id")}
    default_sort = "-joined"

    class Meta(ListTable.Meta):
        attrs = {"class": "table table-sm align-middle list-table", "data-testid": "settled-records"}
        empty_text = _("Nobody settled.")

    def render_person(self, record: HouseholdMember) -> str:
        return _person(record.person)

    def render_case(self, record: HouseholdMember) -> str:
        return self.case_cell(record.join_case)
