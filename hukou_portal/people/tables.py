"""The people list's table: names link to the person's file; ID numbers only masked."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hukou_portal.core.lists import NOWRAP, DateTimeColumn, ListTable

from .models import Person


class PersonTable(ListTable):
    name = tables.Column(
        verbose_name=pgettext_lazy("person", "Name"),
        linkify=("people:person_detail", {"pk": tables.A("pk")}),
        attrs=NOWRAP,
    )
    masked_id_number = tables.Column(verbose_name=_("Citizen ID number"), accessor="masked_id_number", attrs=NOWRAP)
    office = tables.Column(verbose_name=_("Recorded by office"), accessor="office__name", attrs=NOWRAP)
    recorded = DateTimeColumn(verbose_name=_("Recorded at"), accessor="created_at", format="Y-m-d H:i", attrs=NOWRAP)

    # name_key: the name compared code by code (person_list_for_user), so that a name search
    # in name order reads one index range (person_by_name_in_code_order).
    orderings = {"name": ("name_key", "id"), "recorded": ("created_at", "id")}
    default_sort = "-recorded"

    class Meta(ListTable.Meta):
        attrs = {"class": "table table-sm align-middle list-table", "data-testid": "people"}
        empty_text = _("Nobody found.")

    def render_masked_id_number(self, record: Person) -> str:
        from django.utils.html import format_html

        return format_html("<code>{}</code>", record.masked_id_number)
