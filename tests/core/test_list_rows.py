"""ListTable.rows_html renders a page's rows in one pass in Python: the same HTML as
django-tables2's own Bootstrap 5 template loop, cell by cell, for every way a column can get
its content (accessor, choices, foreign key, empty value, render method, link, localised date,
attributes computed from the record, row attributes)."""

import datetime as dt
import re

import django_tables2 as tables
import pytest
from django.template import engines
from django.utils.html import format_html

from hukou_portal.accounts.models import Office
from hukou_portal.core.lists import ListTable

# The body of django_tables2/bootstrap5.html, as it renders each row and cell.
TABLES2_ROWS = engines["django"].from_string(
    "{% load l10n %}{% for row in table.paginated_rows %}<tr {{ row.attrs.as_html }}>"
    "{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>"
    "{% if column.localize == None %}{{ cell }}{% else %}{% if column.localize %}{{ cell|localize }}"
    "{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}</td>{% endfor %}</tr>{% endfor %}"
)


class OfficeTable(ListTable):
    code = tables.Column(linkify=lambda record: f"/offices/{record.pk}/", attrs={"td": {"class": "text-nowrap"}})
    name = tables.Column(attrs={"td": {"data-code": lambda record: record.code}})
    level = tables.Column()  # a field with choices: its display text
    parent = tables.Column(accessor="parent__name")  # empty for the city bureau: the default
    is_active = tables.BooleanColumn()
    founded = tables.DateColumn(accessor="founded", format="Y-m-d", empty_values=())
    amount = tables.Column(accessor="amount", empty_values=(), localize=False)
    note = tables.Column(empty_values=(), verbose_name="note")

    orderings = {"code": ("code", "id")}

    class Meta(ListTable.Meta):
        row_attrs = {
            "class": lambda record: "inactive" if not record.is_active else "",
            "data-id": lambda record: record.pk,
        }

    def render_name(self, value, record):  # type: ignore[no-untyped-def]
        return format_html("<b>{}</b> <code>{}</code>", value, record.code)

    def render_note(self, record, table):  # type: ignore[no-untyped-def]
        return f"<{record.code}> & {len(table.columns)}"  # not safe: escaped


def _compact(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_rows_html_is_the_html_of_tables2s_own_template(offices, language, settings):
    from django.utils import translation

    records = list(Office.objects.select_related("parent").order_by("code"))
    for number, office in enumerate(records):
        office.founded = dt.date(2020, 1, 1) + dt.timedelta(days=number)
        office.amount = 1234567.5 + number
    records[0].is_active = False
    with translation.override(language):
        table = OfficeTable(records)
        ours = str(table.rows_html())
        theirs = TABLES2_ROWS.render({"table": OfficeTable(records)})
    assert _compact(ours) == _compact(theirs)
    assert ours.count("<tr ") == len(records) > 3
    assert "&lt;" in ours and "<b>" in ours  # unsafe text escaped, safe HTML kept
    assert 'data-code="' in ours and 'href="/offices/' in ours


def test_an_empty_page_has_no_rows(db):
    assert str(OfficeTable([]).rows_html()) == ""


def test_date_columns_show_what_tables2s_template_columns_show(offices):
    """core.lists.DateColumn / DateTimeColumn format in Python what tables2's render a template
    for: local time for aware datetimes, the column's default for an empty value."""
    from django.utils import timezone

    from hukou_portal.core.lists import DateColumn, DateTimeColumn

    class Theirs(tables.Table):
        day = tables.DateColumn(format="Y-m-d")
        moment = tables.DateTimeColumn(format="Y-m-d H:i")

    class Ours(tables.Table):
        day = DateColumn(format="Y-m-d")
        moment = DateTimeColumn()

    late_utc = dt.datetime(2026, 11, 30, 20, 30, tzinfo=dt.UTC)  # 04:30 the next day in Huzhou
    records = [
        {"day": dt.date(2026, 2, 3), "moment": late_utc},
        {"day": None, "moment": None},
        {"day": timezone.now().date(), "moment": timezone.now()},
    ]
    ours = [[cell for _column, cell in row.items()] for row in Ours(records).rows]
    theirs = [[str(cell) for _column, cell in row.items()] for row in Theirs(records).rows]
    assert ours == theirs
    assert ours[0] == ["2026-02-03", "2026-12-01 04:30"]
    assert ours[1] == ["—", "—"]
