"""The lists that can be exported, each defined by the pieces of its list page.

A kind names the page's scoped selector, its FilterSet and its table (for the order the page
is sorted in), who may export it (the list page's permission; the audit trail: the auditor's),
the date a ``--from``/``--to`` range of the command bounds, and its columns — the page's, with
the words the page shows (kinds, statuses, badges as words, dates as YYYY-MM-DD).

A person's ID number is masked (``330502********123X``) unless the user may see full numbers
(``people.view_full_id_number``). Either way the number is opened from its ciphertext: the
masked form shows its first six and last four characters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hukou_portal.accounts.models import User
from hukou_portal.core.lists import PAGING_PARAMS, SORT_PARAM, Key, ListFilterSet, ListTable

from .exports import Column, Export, Reader, local_minute


@dataclass(frozen=True)
class Scope:
    """Whose view of the list an export takes: the user's (a download) or, for the command, an
    office's (an unsaved user at that office: the selectors only read ``office``)."""

    user: User
    full_id_numbers: bool
    today: dt.date


@dataclass(frozen=True)
class ExportKind:
    name: str  # in the URL and the command: /stats/export/<name>.<format>
    label: str | Promise
    permission: str
    list_url: str  # the list page, where an invalid filter is shown
    filter_class: type[ListFilterSet]
    table_class: type[ListTable]
    selector: Callable[[User, QueryDict, dt.date], QuerySet[Any]]
    columns: Callable[[Scope], Sequence[Column]]
    date_field: str  # what --from/--to bound
    date_is_datetime: bool = False
    default_sort: Callable[[QueryDict], str | None] = lambda params: None
    filter_kwargs: Callable[[Scope], dict[str, Any]] = lambda scope: {}
    # Query parameters that choose the list rather than filter it (the case queue's tab).
    list_params: tuple[str, ...] = ()
    # The quick way to read its rows as tuples (``exports.Reader``), where one is written.
    reader: Callable[[Scope], Reader] | None = None

    def may_export(self, user: Any) -> bool:
        return bool(user.has_perm(self.permission))

    def bind(self, scope: Scope, params: QueryDict, request: Any) -> ListFilterSet:
        """The list page's FilterSet over its scoped selector, bound to ``params``."""
        data = params.copy()
        for name in (*PAGING_PARAMS, *self.list_params):
            data.pop(name, None)
        return self.filter_class(
            data or None,
            queryset=self.selector(scope.user, params, scope.today),
            request=request,
            **self.filter_kwargs(scope),
        )

    def export(self, scope: Scope, rows: QuerySet[Any]) -> Export:
        """The export of ``rows`` (bound, filtered and ordered) as ``scope`` sees them."""
        reader = self.reader
        return Export(
            columns=self.columns(scope),
            rows=rows,
            reader=(lambda: reader(scope)) if reader is not None else None,
        )

    def ordered(self, rows: QuerySet[Any], params: QueryDict) -> QuerySet[Any]:
        """``rows`` in the order the list page shows them (its sort, by its index's keys)."""
        sort = self.table_class.sort_from(params.get(SORT_PARAM), self.default_sort(params))
        keys = [Key.parse(spec) for spec in self.table_class.keys_for(sort)]
        return rows.order_by(*(key.expression() for key in keys))


def _id_number(person: Any, scope: Scope) -> str:
    return str(person.id_number if scope.full_id_numbers else person.masked_id_number)


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


# --- cases ------------------------------------------------------------------------------------


def _case_selector(user: User, params: QueryDict, today: dt.date) -> QuerySet[Any]:
    from hukou_portal.casework import selectors

    queue = params.get("queue", "all")
    if queue not in selectors.QUEUES:
        queue = "all"
    every_state = bool(params.get("q", "").strip() or params.get("status"))
    return selectors.case_queue(user=user, queue=queue, today=today, every_state=every_state)


def _case_columns(scope: Scope) -> list[Column]:
    return [
        Column(_("Case number"), lambda case: case.reference),
        Column(_("Kind"), lambda case: case.kind_label),
        Column(_("Category"), lambda case: case.category_label),
        Column(_("Applicant"), lambda case: case.applicant.name),
        Column(_("Citizen ID number"), lambda case: _id_number(case.applicant, scope)),
        Column(_("Office"), lambda case: case.office.name),
        Column(_("Officer"), lambda case: _name(case.assigned_officer)),
        Column(_("Status"), lambda case: case.get_status_display()),
        Column(_("Accepted on"), lambda case: case.clock_started_on),
        Column(_("Deadline"), lambda case: case.deadline),
        Column(_("Decided at"), lambda case: case.decided_at),
        Column(_("Opened"), lambda case: case.created_at),
    ]


def _case_filter_kwargs(scope: Scope) -> dict[str, Any]:
    from hukou_portal.rules.calendar import WorkCalendar

    return {"calendar": WorkCalendar.load(), "today": scope.today}


def _case_default_sort(params: QueryDict) -> str | None:
    from hukou_portal.casework.views import QUEUE_DEFAULT_SORT

    return QUEUE_DEFAULT_SORT.get(params.get("queue", "all"))


# --- people -------------------------------------------------------------------------------------


def _person_selector(user: User, params: QueryDict, today: dt.date) -> QuerySet[Any]:
    from hukou_portal.people.selectors import person_list_for_user

    return person_list_for_user(user=user)


def _person_columns(scope: Scope) -> list[Column]:
    return [
        Column(pgettext_lazy("person", "Name"), lambda person: person.name),
        Column(_("Citizen ID number"), lambda person: _id_number(person, scope)),
        Column(_("Sex"), lambda person: person.sex_label),
        Column(_("Date of birth"), lambda person: person.birth_date),
        Column(_("Mobile number"), lambda person: person.mobile),
        Column(_("Recorded by office"), lambda person: person.office.name),
        Column(_("Recorded at"), lambda person: person.created_at),
    ]


def _person_reader(scope: Scope) -> Reader:
    """``_person_columns`` from a tuple: the number opened once (not once per column), its birth
    date and sex read from its digits, the office's name by the join, the time by PostgreSQL."""
    from hukou_portal.people import id_numbers, id_vault
    from hukou_portal.people.models import Person

    open_number = id_vault.opener(purpose=Person.ID_NUMBER_PURPOSE)
    read_number = id_numbers.stored_birth_date_and_sex
    mask = id_numbers.mask
    full = scope.full_id_numbers
    sexes = {id_numbers.Sex.MALE: str(_("Male")), id_numbers.Sex.FEMALE: str(_("Female"))}

    def cells(row: tuple[Any, ...]) -> list[str]:
        name, sealed, key, index, mobile, office, recorded = row
        number = open_number(sealed, key, index)
        birth_date, sex = read_number(number)
        return [name, number if full else mask(number), sexes[sex], birth_date, mobile, office, recorded]

    return Reader(
        fields=(
            "name",
            "id_number_sealed",
            "id_number_key_id",
            "id_number_index",
            "mobile",
            "office__name",
            local_minute("created_at"),
        ),
        cells=cells,
    )


# --- residence registrations and lease filings --------------------------------------------------


def _registration_selector(user: User, params: QueryDict, today: dt.date) -> QuerySet[Any]:
    from registration.selectors import registration_list_for_user

    return registration_list_for_user(user=user)


def _registration_place(registration: Any) -> str:
    from registration.tables import PROVINCES

    if registration.town is not None:
        return f"{registration.town}{registration.address}"
    return f"{PROVINCES.get(registration.region_code[:2], _('Outside Huzhou'))} · {registration.address}"


def _registration_columns(scope: Scope) -> list[Column]:
    return [
        Column(_("Person"), lambda registration: registration.person.name),
        Column(_("Citizen ID number"), lambda registration: _id_number(registration.person, scope)),
        Column(_("Source"), lambda registration: registration.get_source_display()),
        Column(_("Address"), _registration_place),
        Column(_("Registered from"), lambda registration: registration.started_on),
        Column(
            _("Registered until"),
            lambda registration: registration.ended_on if registration.ended_on else _("In force"),
        ),
        Column(_("Case"), lambda registration: registration.case.reference if registration.case else ""),
    ]


def _lease_filing_selector(user: User, params: QueryDict, today: dt.date) -> QuerySet[Any]:
    from registration.selectors import lease_filing_list_for_user

    return lease_filing_list_for_user(user=user).select_related("office")


def _lease_filing_columns(scope: Scope) -> list[Column]:
    from registration.selectors import lease_filing_required_months
    from settlement.eligibility import add_months

    months = lease_filing_required_months()
    return [
        Column(_("Filing number"), lambda filing: filing.filing_number),
        Column(_("Tenant"), lambda filing: filing.tenant.name),
        Column(_("Citizen ID number"), lambda filing: _id_number(filing.tenant, scope)),
        Column(_("Address"), lambda filing: f"{filing.town}{filing.address}"),
        Column(_("Urban area"), lambda filing: filing.is_urban),
        Column(_("Housing"), lambda filing: filing.get_housing_display()),
        Column(_("Term from"), lambda filing: filing.term_start),
        Column(_("Term until"), lambda filing: filing.term_end),
        Column(_("Filed on"), lambda filing: filing.filed_on),
        Column(_("Reaches the required months on"), lambda filing: add_months(filing.filed_on, months)),
        Column(_("Office"), lambda filing: filing.office.name),
    ]


# --- permits ------------------------------------------------------------------------------------

PERMIT_STATES = {
    "valid": _("Valid"),
    "lapsed": _("Lapsed: endorsement overdue"),
    "cancelled": _("Cancelled"),
    "converted": _("Converted to a permit of another area"),
    "replaced": _("Replaced"),
}


def _permit_selector(user: User, params: QueryDict, today: dt.date) -> QuerySet[Any]:
    from permits.selectors import permit_list_for_user

    return permit_list_for_user(user=user)


def _permit_columns(scope: Scope) -> list[Column]:
    return [
        Column(_("Permit number"), lambda permit: permit.number),
        Column(_("Holder"), lambda permit: permit.holder.name),
        Column(_("Citizen ID number"), lambda permit: _id_number(permit.holder, scope)),
        Column(_("Issued by"), lambda permit: permit.office.name),
        Column(_("Issued on"), lambda permit: permit.issued_on),
        Column(_("Holding time counts from"), lambda permit: permit.held_since),
        Column(_("Endorsed until"), lambda permit: permit.endorsed_until),
        Column(_("Status"), lambda permit: PERMIT_STATES.get(permit.state_on(scope.today), _("Replaced"))),
    ]


# --- households ---------------------------------------------------------------------------------


def _household_selector(user: User, params: QueryDict, today: dt.date) -> QuerySet[Any]:
    from hukou_portal.people.households.selectors import household_list_for_user

    return household_list_for_user(user=user)


def _household_columns(scope: Scope) -> list[Column]:
    return [
        Column(_("Household number (户号)"), lambda household: household.number),
        Column(_("Household type (户别)"), lambda household: household.get_type_display()),
        Column(
            _("Head of household or unit"),
            lambda household: household.head.name if household.head is not None else household.unit_name,
        ),
        Column(_("Address"), lambda household: household.place),
        Column(_("Office of its town"), lambda household: household.office.name),
        Column(_("Household created at"), lambda household: household.created_at),
    ]


# --- the audit trail ----------------------------------------------------------------------------


def _audit_selector(user: User, params: QueryDict, today: dt.date) -> QuerySet[Any]:
    from hukou_portal.audit.selectors import audit_event_list

    return audit_event_list(user=user).select_related("case")


def _audit_changes(event: Any) -> str:
    from hukou_portal.core.vocabulary import describe_change

    return "；".join(
        f"{row.label}：{row.before} → {row.after}" if row.changed else f"{row.label}：{row.after or row.before}"
        for row in describe_change(event.action, event.old_values or {}, event.new_values or {})
    )


def _audit_columns(scope: Scope) -> list[Column]:
    from hukou_portal.core.vocabulary import term

    return [
        Column(_("Time"), lambda event: f"{timezone.localtime(event.occurred_at):%Y-%m-%d %H:%M:%S}"),
        Column(_("Action"), lambda event: event.action_label),
        Column(_("Outcome"), lambda event: term("audit_outcome", event.outcome)),
        Column(_("Actor"), lambda event: event.actor.get_full_name() if event.actor else _("System")),
        Column(_("Username"), lambda event: event.actor.username if event.actor else ""),
        Column(_("Office"), lambda event: event.actor_office.name if event.actor_office else ""),
        Column(_("Case"), lambda event: event.case.reference if event.case else ""),
        Column(_("Object"), lambda event: event.object_repr),
        Column(_("Change"), _audit_changes),
        Column(_("Note"), lambda event: event.note),
        Column(_("IP address"), lambda event: event.ip_address or ""),
        Column(_("Request id"), lambda event: event.request_id),
    ]


# --- the records behind the dashboard's numbers (stats.records) ---------------------------------


def _names_people(scope: Scope) -> bool:
    """The records name people for users who may read them (the command: always)."""
    return scope.full_id_numbers or bool(scope.user.has_perm("people.view_person"))


def _people_columns(scope: Scope, label: str | Promise, person_of: Callable[[Any], Any]) -> list[Column]:
    """The person a record names and their ID number (masked unless the scope shows full ones),
    for users who may read people; none otherwise."""
    if not _names_people(scope):
        return []
    return [
        Column(label, lambda record: person_of(record).name),
        Column(_("Citizen ID number"), lambda record: _id_number(person_of(record), scope)),
    ]


def _figure_case_selector(user: User, params: QueryDict, today: dt.date) -> QuerySet[Any]:
    from .records import case_records

    return case_records(user=user)


def _figure_case_columns(scope: Scope) -> list[Column]:
    return [
        Column(_("Case number"), lambda case: case.reference),
        Column(_("Kind"), lambda case: case.kind_label),
        Column(_("Category"), lambda case: case.category_label),
        Column(_("Office"), lambda case: case.office.name),
        *_people_columns(scope, _("Applicant"), lambda case: case.applicant),
        Column(_("Status"), lambda case: case.get_status_display()),
        Column(_("Accepted on"), lambda case: case.clock_started_on),
        Column(_("Deadline"), lambda case: case.deadline),
        Column(_("Decided at"), lambda case: case.decided_at),
    ]


def _figure_registration_selector(user: User, params: QueryDict, today: dt.date) -> QuerySet[Any]:
    from .records import registration_records

    return registration_records(user=user)


def _figure_registration_columns(scope: Scope) -> list[Column]:
    return [
        *_people_columns(scope, _("Person"), lambda registration: registration.person),
        Column(_("Town or sub-district"), lambda registration: registration.town.name if registration.town else ""),
        Column(_("Registered from"), lambda registration: registration.started_on),
        Column(_("Registered until"), lambda registration: registration.ended_on),
        Column(_("Office"), lambda registration: registration.case.office.name),
        Column(_("Case"), lambda registration: registration.case.reference),
    ]


def _figure_permit_selector(user: User, params: QueryDict, today: dt.date) -> QuerySet[Any]:
    from .records import permit_records

    return permit_records(user=user)


def _figure_permit_columns(scope: Scope) -> list[Column]:
    return [
        Column(_("Permit number"), lambda permit: permit.number),
        *_people_columns(scope, _("Holder"), lambda permit: permit.holder),
        Column(_("Issued by"), lambda permit: permit.office.name),
        Column(_("Issued on"), lambda permit: permit.issued_on),
        Column(_("Endorsed until"), lambda permit: permit.endorsed_until),
        Column(_("Status"), lambda permit: permit.get_status_display()),
    ]


def _figure_settled_selector(user: User, params: QueryDict, today: dt.date) -> QuerySet[Any]:
    from .records import settled_records

    return settled_records(user=user)


def _figure_settled_columns(scope: Scope) -> list[Column]:
    return [
        *_people_columns(scope, _("Person"), lambda member: member.person),
        Column(_("Household number"), lambda member: member.household.number),
        Column(_("Household type"), lambda member: member.household.get_type_display()),
        Column(_("Joined on"), lambda member: member.joined_on),
        Column(_("Office"), lambda member: member.join_case.office.name),
        Column(_("Case"), lambda member: member.join_case.reference),
    ]


def _kinds() -> dict[str, ExportKind]:
    from hukou_portal.audit.filters import AuditEventFilter
    from hukou_portal.audit.tables import AuditEventTable
    from hukou_portal.casework.filters import CaseFilter
    from hukou_portal.casework.tables import CaseTable
    from hukou_portal.people.filters import PersonFilter
    from hukou_portal.people.households.filters import HouseholdFilter
    from hukou_portal.people.households.tables import HouseholdTable
    from hukou_portal.people.tables import PersonTable
    from permits.filters import PermitFilter
    from permits.tables import PermitTable
    from registration.filters import LeaseFilingFilter, RegistrationFilter
    from registration.tables import LeaseFilingTable, RegistrationTable

    from .records import (
        CaseRecordFilter,
        CaseRecordTable,
        PermitRecordFilter,
        PermitRecordTable,
        RegistrationRecordFilter,
        RegistrationRecordTable,
        SettledRecordFilter,
        SettledRecordTable,
    )

    kinds = [
        ExportKind(
            name="cases",
            label=_("Cases"),
            permission="casework.view_case",
            list_url="casework:case_queue",
            filter_class=CaseFilter,
            table_class=CaseTable,
            selector=_case_selector,
            columns=_case_columns,
            date_field="created_at",
            date_is_datetime=True,
            default_sort=_case_default_sort,
            filter_kwargs=_case_filter_kwargs,
            list_params=("queue",),
        ),
        ExportKind(
            name="people",
            label=_("People"),
            permission="people.view_person",
            list_url="people:person_list",
            filter_class=PersonFilter,
            table_class=PersonTable,
            selector=_person_selector,
            columns=_person_columns,
            reader=_person_reader,
            date_field="created_at",
            date_is_datetime=True,
        ),
        ExportKind(
            name="registrations",
            label=_("Residence registrations"),
            permission="people.view_person",
            list_url="registration:registration_list",
            filter_class=RegistrationFilter,
            table_class=RegistrationTable,
            selector=_registration_selector,
            columns=_registration_columns,
            date_field="started_on",
        ),
        ExportKind(
            name="lease-filings",
            label=_("Lease filings"),
            permission="people.view_person",
            list_url="registration:lease_filing_list",
            filter_class=LeaseFilingFilter,
            table_class=LeaseFilingTable,
            selector=_lease_filing_selector,
            columns=_lease_filing_columns,
            date_field="filed_on",
        ),
        ExportKind(
            name="permits",
            label=_("Residence permits"),
            permission="people.view_person",
            list_url="permits:permit_list",
            filter_class=PermitFilter,
            table_class=PermitTable,
            selector=_permit_selector,
            columns=_permit_columns,
            date_field="issued_on",
        ),
        ExportKind(
            name="households",
            label=_("Households"),
            permission="people.view_household",
            list_url="people:household_list",
            filter_class=HouseholdFilter,
            table_class=HouseholdTable,
            selector=_household_selector,
            columns=_household_columns,
            date_field="created_at",
            date_is_datetime=True,
        ),
        ExportKind(
            name="audit",
            label=_("Audit trail"),
            permission="audit.view_auditevent",
            list_url="audit:event_list",
            filter_class=AuditEventFilter,
            table_class=AuditEventTable,
            selector=_audit_selector,
            columns=_audit_columns,
            date_field="occurred_at",
            date_is_datetime=True,
        ),
        ExportKind(
            name="figure-cases",
            label=_("Cases behind a figure"),
            permission="stats.view_statistics",
            list_url="stats:records_cases",
            filter_class=CaseRecordFilter,
            table_class=CaseRecordTable,
            selector=_figure_case_selector,
            columns=_figure_case_columns,
            date_field="created_at",
            date_is_datetime=True,
        ),
        ExportKind(
            name="figure-registrations",
            label=_("Residence registrations behind a figure"),
            permission="stats.view_statistics",
            list_url="stats:records_registrations",
            filter_class=RegistrationRecordFilter,
            table_class=RegistrationRecordTable,
            selector=_figure_registration_selector,
            columns=_figure_registration_columns,
            date_field="started_on",
        ),
        ExportKind(
            name="figure-permits",
            label=_("Residence permits behind a figure"),
            permission="stats.view_statistics",
            list_url="stats:records_permits",
            filter_class=PermitRecordFilter,
            table_class=PermitRecordTable,
            selector=_figure_permit_selector,
            columns=_figure_permit_columns,
            date_field="issued_on",
        ),
        ExportKind(
            name="figure-settled",
            label=_("People settled behind a figure"),
            permission="stats.view_statistics",
            list_url="stats:records_settled",
            filter_class=SettledRecordFilter,
            table_class=SettledRecordTable,
            selector=_figure_settled_selector,
            columns=_figure_settled_columns,
            date_field="joined_on",
        ),
    ]
    return {kind.name: kind for kind in kinds}


_REGISTRY: dict[str, ExportKind] = {}


def export_kinds() -> dict[str, ExportKind]:
    """Every export kind by name (built on first use: the apps' filters and tables import
    models)."""
    if not _REGISTRY:
        _REGISTRY.update(_kinds())
    return _REGISTRY


def export_kind(name: str) -> ExportKind | None:
    return export_kinds().get(name)
