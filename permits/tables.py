"""The residence permits' table: number, holder (masked ID), office, dates, state badge."""

import datetime as dt
from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.lists import NOWRAP, DateColumn, ListTable

from .models import ResidencePermit


class PermitTable(ListTable):
    number = tables.Column(
        verbose_name=_("Permit number"), linkify=("permits:permit_detail", {"pk": tables.A("pk")}), attrs=NOWRAP
    )
    holder = tables.Column(verbose_name=_("Holder"), attrs=NOWRAP)
    office = tables.Column(verbose_name=_("Issued by"), accessor="office__name", attrs=NOWRAP)
    issued = DateColumn(verbose_name=_("Issued on"), accessor="issued_on", format="Y-m-d", attrs=NOWRAP)
    endorsed = DateColumn(verbose_name=_("Endorsed until"), accessor="endorsed_until", format="Y-m-d", attrs=NOWRAP)
    state = tables.Column(verbose_name=_("Status"), empty_values=(), attrs=NOWRAP)

    orderings = {"number": ("number", "id"), "issued": ("issued_on", "id"), "endorsed": ("endorsed_until", "id")}
    default_sort = "-issued"

    class Meta(ListTable.Meta):
        attrs = {"class": "table table-sm align-middle list-table", "data-testid": "permits"}
        empty_text = _("No permits.")

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def render_holder(self, record: ResidencePermit) -> str:
        return format_html('{} <code class="small">{}</code>', record.holder.name, record.holder.masked_id_number)

    def render_state(self, record: ResidencePermit) -> str:
        return render_to_string("permits/partials_state.html", {"state": record.state_on(self.today)})
