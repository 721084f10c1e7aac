"""Tables of the lease filings and the residence registrations."""

import datetime as dt
from collections.abc import Collection
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.lists import NOWRAP, DateColumn, ListTable
from settlement.eligibility import add_months

from .models import LeaseFiling, ResidenceRegistration

# Registrations made elsewhere are recorded from these provinces (R3.3); their region codes
# read as the province's name.
PROVINCES = {"33": _("Zhejiang"), "31": _("Shanghai"), "32": _("Jiangsu"), "34": _("Anhui")}


def _person(person: Any, linked: bool) -> str:
    """The name (linked to the person's file when the user's offices may open it: they have
    served the person) and the masked ID number."""
    if linked:
        return format_html(
            '<a href="{}">{}</a> <code class="small">{}</code>',
            reverse("people:person_detail", args=[person.pk]),
            person.name,
            person.masked_id_number,
        )
    return format_html('{} <code class="small">{}</code>', person.name, person.masked_id_number)


class LeaseFilingTable(ListTable):
    filing_number = tables.Column(verbose_name=_("Filing number"), attrs=NOWRAP)
    tenant = tables.Column(verbose_name=_("Tenant"), attrs=NOWRAP)
    address = tables.Column(verbose_name=_("Address"), empty_values=())
    housing = tables.Column(verbose_name=_("Housing"), attrs=NOWRAP)
    filed = DateColumn(verbose_name=_("Filed on"), accessor="filed_on", format="Y-m-d", attrs=NOWRAP)
    matures = tables.Column(verbose_name=_("Reaches the required months on"), empty_values=(), attrs=NOWRAP)

    orderings = {"filing_number": ("filing_number", "id"), "filed": ("filed_on", "id")}
    default_sort = "-filed"

    class Meta(ListTable.Meta):
        attrs = {"class": "table table-sm align-middle list-table", "data-testid": "lease-filings"}
        empty_text = _("No lease filings.")

    def __init__(self, *args: Any, required_months: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.required_months = required_months
        # The tenants of the page whose file the user may open (set by the view once paged: the
        # rental home's station may not have served its tenant).
        self.served_tenants: Collection[int] = frozenset()

    def render_tenant(self, record: LeaseFiling) -> str:
        return _person(record.tenant, record.tenant_id in self.served_tenants)

    def render_address(self, record: LeaseFiling) -> str:
        if record.is_urban:
            return format_html("{}{}", record.town, record.address)
        return format_html(
            '{}{} <span class="badge text-bg-secondary">{}</span>', record.town, record.address, _("not urban")
        )

    def render_housing(self, record: LeaseFiling) -> str:
        return record.get_housing_display()

    def render_matures(self, record: LeaseFiling) -> str:
        day: dt.date = add_months(record.filed_on, self.required_months)
        return day.isoformat()


class RegistrationTable(ListTable):
    person = tables.Column(verbose_name=_("Person"), attrs=NOWRAP)
    source = tables.Column(verbose_name=_("Source"), attrs=NOWRAP)
    place = tables.Column(verbose_name=_("Address"), empty_values=())
    started = DateColumn(verbose_name=_("Registered from"), accessor="started_on", format="Y-m-d", attrs=NOWRAP)
    ended = tables.Column(verbose_name=_("Registered until"), accessor="ended_on", empty_values=(), attrs=NOWRAP)
    case = tables.Column(verbose_name=_("Case"), empty_values=(), attrs=NOWRAP)

    orderings = {"started": ("started_on", "id")}
    default_sort = "-started"

    class Meta(ListTable.Meta):
        attrs = {"class": "table table-sm align-middle list-table", "data-testid": "registrations"}
        empty_text = _("No residence registrations.")

    def __init__(self, *args: Any, visible_offices: Collection[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visible_offices = visible_offices

    def render_person(self, record: ResidenceRegistration) -> str:
        return _person(record.person, True)  # the list holds the people the user's offices served

    def render_source(self, record: ResidenceRegistration) -> str:
        return record.get_source_display()

    def render_place(self, record: ResidenceRegistration) -> str:
        if record.town is not None:
            return format_html("{}{}", record.town, record.address)
        province = PROVINCES.get(record.region_code[:2], _("Outside Huzhou"))
        return format_html("{} · {}", province, record.address)

    def render_ended(self, record: ResidenceRegistration) -> str:
        if record.ended_on is None:
            return format_html('<span class="badge text-bg-success">{}</span>', _("In force"))
        return record.ended_on.isoformat()

    def render_case(self, record: ResidenceRegistration) -> str:
        """The case that made it, linked when the user's offices may open it."""
        case = record.case
        if case is None:
            return "—"
        if case.office_id in self.visible_offices:
            return format_html('<a href="{}">{}</a>', reverse("casework:case_detail", args=[case.pk]), case.reference)
        return case.reference
