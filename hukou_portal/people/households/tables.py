"""The household list's table: the 户号 links to the household's page."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.lists import NOWRAP, ListTable
from hukou_portal.people.models import Household


class HouseholdTable(ListTable):
    number = tables.Column(
        verbose_name=_("Household number (户号)"),
        linkify=("people:household_detail", {"pk": tables.A("pk")}),
        attrs=NOWRAP,
    )
    type = tables.Column(verbose_name=_("Household type (户别)"), accessor="get_type_display", attrs=NOWRAP)
    holder = tables.Column(verbose_name=_("Head of household or unit"), accessor="pk", attrs=NOWRAP)
    place = tables.Column(verbose_name=_("Address"), accessor="place")
    office = tables.Column(verbose_name=_("Office of its town"), accessor="office__name", attrs=NOWRAP)
    created = tables.DateTimeColumn(
        verbose_name=_("Household created at"), accessor="created_at", format="Y-m-d H:i", attrs=NOWRAP
    )

    # number_key: the 户号 compared code by code, one index range with a prefix search
    # (household_by_number); created: household_by_office_recent.
    orderings = {"number": ("number_key", "id"), "created": ("created_at", "id")}
    default_sort = "number"

    class Meta(ListTable.Meta):
        attrs = {"class": "table table-sm align-middle list-table", "data-testid": "households"}
        empty_text = _("No household found.")

    def render_holder(self, record: Household) -> str:
        if record.head is not None:
            return format_html("{}", record.head.name)
        return format_html("{}", record.unit_name)
