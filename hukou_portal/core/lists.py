"""The portal's lists: a scoped selector, a filter bar, a table, paged by keyset.

A list is three small pieces (STYLE.md, "Lists"):

- a selector that returns the user's scoped queryset;
- a :class:`ListFilterSet` (django-filter) whose form is laid out by a crispy ``FormHelper``
  grid, so labels and inputs line up at every width;
- a :class:`ListTable` (django-tables2) with the columns, links and badges, and the orderings
  it may be sorted by. Each ordering is a tuple of keys that an index serves and ends in the
  primary key, so the order is total and a cursor can seek on it.

:func:`list_table` wires them for a view. Long lists page with :class:`KeysetPaginator`:
the next and previous links carry an opaque cursor (the sort keys of the page's last or first
row) and the page is read with ``WHERE keys > cursor ORDER BY keys LIMIT n + 1``. No OFFSET,
and never a ``COUNT(*)``: the page says whether there is a next one, not how many there are.

Why not django-cursor-pagination (checked in DEPENDENCIES.md): its seek predicate compares
every key as text (a datetime cursor misses its own row on SQLite, where the stored text has no
``+00:00``), it orders every key ``NULLS LAST`` (on PostgreSQL a descending key then no longer
matches its btree index, so each page sorts the whole scoped table), and its predicate has no
bound on the first key, so PostgreSQL cannot start the index scan at the cursor. Measured on
500,000 rows: 52 ms per page against 0.1 ms for the predicate below.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import django_filters
import django_tables2 as tables
from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Hidden, Layout, Row
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Model, Q, QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import date as date_filter
from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_lazy as _
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import OrderBy, OrderByTuple, signature

CURSOR_PARAM = "cursor"
SORT_PARAM = "sort"
# Query parameters that page or sort a list; every other one filters it.
PAGING_PARAMS = (CURSOR_PARAM, SORT_PARAM, "page")
PER_PAGE = 25

# Cells whose words must not break (names, offices, dates, badges): Chinese text may otherwise
# wrap after any character, one character per line in a narrow column.
NOWRAP = {"th": {"class": "text-nowrap"}, "td": {"class": "text-nowrap"}}


class DateColumn(tables.Column):
    """tables2's ``DateColumn`` (``{{ value|date:format|default:default }}``), formatted in
    Python: tables2's renders a template for every cell, which on a list page of dates cost as
    much as the rest of the row. ``DateTimeColumn`` shows aware times in local time, as the
    ``date`` filter does."""

    def __init__(self, *args: Any, format: str = "Y-m-d", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.format = format

    def render(self, value: Any) -> Any:
        return date_filter(template_localtime(value), self.format) or self.default


class DateTimeColumn(DateColumn):
    def __init__(self, *args: Any, format: str = "Y-m-d H:i", **kwargs: Any) -> None:
        super().__init__(*args, format=format, **kwargs)


# --- keyset paging ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One sort key: a non-null field or annotation of the queryset, and its direction."""

    name: str
    descending: bool

    @classmethod
    def parse(cls, spec: str) -> Key:
        return cls(spec.lstrip("-"), spec.startswith("-"))

    def reversed(self) -> Key:
        return Key(self.name, not self.descending)

    def expression(self) -> Any:
        return F(self.name).desc() if self.descending else F(self.name).asc()


class InvalidCursor(ValueError):
    """A cursor that was not made by this list's ordering (edited, or from another sort)."""


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _field_of(queryset: QuerySet[Any], name: str) -> Any:
    """The model field or annotation output field a key reads (to turn cursor text back)."""
    if name in queryset.query.annotations:
        return queryset.query.annotations[name].output_field
    model = queryset.model
    try:
        return model._meta.pk if name == "pk" else model._meta.get_field(name)
    except FieldDoesNotExist:
        raise ValueError(f"{name!r} is neither a field nor an annotation of {model.__name__}") from None


class KeysetPage:
    """One page of a keyset-paged list. Iterating gives the records; ``object_list`` gives
    tables2's rows, so ``table.paginated_rows`` renders it."""

    keyset = True  # the table template links by cursor, not by page number

    def __init__(
        self,
        records: list[Any],
        *,
        object_list: Any,
        has_next: bool,
        has_previous: bool,
        next_cursor: str,
        previous_cursor: str,
    ) -> None:
        self.records = records
        self.object_list = object_list if object_list is not None else records
        self._has_next = has_next
        self._has_previous = has_previous
        self.next_cursor = next_cursor
        self.previous_cursor = previous_cursor

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self._has_previous

    def has_other_pages(self) -> bool:
        return self._has_next or self._has_previous

    def __iter__(self) -> Iterator[Any]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index: int) -> Any:
        return self.records[index]

    def __bool__(self) -> bool:  # an empty page is still a page: the template shows its links
        return True


class KeysetPaginator:
    """Pages a queryset by seeking on its ordering (keyset pagination).

    Compatible with tables2: ``table.paginate(KeysetPaginator, per_page=25, page=cursor,
    ordering=("-created_at", "-id"))`` gives ``table.page`` and ``table.paginated_rows``. It
    also pages a plain queryset: ``KeysetPaginator(qs, 25, ordering=...).page(cursor)``.

    ``ordering`` names non-null fields or annotations (a nullable column is ordered through a
    ``Coalesce`` annotation) and must end in the primary key, so every row has its own place.
    ``sort`` names the ordering in the cursor: a cursor made under another sort is ignored.
    One query per page, ``per_page + 1`` rows; an invalid cursor shows the first page.
    """

    def __init__(self, object_list: Any, per_page: int, *, ordering: Sequence[str], sort: str = "") -> None:
        self._rows = object_list if isinstance(object_list, BoundRows) else None
        queryset = object_list.data.data if isinstance(object_list, BoundRows) else object_list
        if not isinstance(queryset, QuerySet):
            raise TypeError("KeysetPaginator pages a QuerySet")
        keys = tuple(Key.parse(spec) for spec in ordering)
        if not keys or keys[-1].name not in ("pk", queryset.model._meta.pk.name):
            raise ValueError("a keyset ordering must end in the primary key")
        self.queryset = queryset
        self.per_page = per_page
        self.keys = keys
        self.sort = sort

    # cursors -------------------------------------------------------------------------------------

    def _position(self, record: Model) -> list[Any]:
        return [_encode_value(getattr(record, key.name)) for key in self.keys]

    def cursor_for(self, record: Model, *, forward: bool) -> str:
        payload = {"s": self.sort, "d": "n" if forward else "p", "v": self._position(record)}
        text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> tuple[bool, list[Any]]:
        """(forward, key values) of a cursor; raises InvalidCursor for anything else."""
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode())
            if not isinstance(payload, dict) or payload.get("s") != self.sort or payload.get("d") not in ("n", "p"):
                raise InvalidCursor(cursor)
            raw = payload["v"]
            if not isinstance(raw, list) or len(raw) != len(self.keys):
                raise InvalidCursor(cursor)
            values = [
                _field_of(self.queryset, key.name).to_python(value) for key, value in zip(self.keys, raw, strict=True)
            ]
        except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error, ValidationError) as error:
            raise InvalidCursor(cursor) from error
        if any(value is None for value in values):
            raise InvalidCursor(cursor)
        return payload["d"] == "n", values

    # the seek ------------------------------------------------------------------------------------

    @staticmethod
    def seek(keys: Sequence[Key], values: Sequence[Any]) -> Q:
        """Rows strictly after ``values`` in the order of ``keys``.

        ``k1 >= v1 AND (k1 > v1 OR (k1 = v1 AND k2 > v2) OR ...)``: the first conjunct is
        redundant for the result but lets the database start its index scan at the cursor.
        """
        first = keys[0]
        bound = Q(**{f"{first.name}__{'lte' if first.descending else 'gte'}": values[0]})
        after = Q()
        equal: dict[str, Any] = {}
        for key, value in zip(keys, values, strict=True):
            after |= Q(**equal, **{f"{key.name}__{'lt' if key.descending else 'gt'}": value})
            equal[key.name] = value
        return bound & after

    def page(self, cursor: str | None = None) -> KeysetPage:
        forward, values = True, None
        if cursor:
            try:
                forward, values = self.decode(cursor)
            except InvalidCursor:
                forward, values = True, None
        keys = self.keys if forward else tuple(key.reversed() for key in self.keys)
        queryset = self.queryset.order_by(*(key.expression() for key in keys))
        if values is not None:
            queryset = queryset.filter(self.seek(keys, values))
        fetched = list(queryset[: self.per_page + 1])
        more = len(fetched) > self.per_page
        records = fetched[: self.per_page]
        if forward:
            has_next, has_previous = more, values is not None
        else:
            records.reverse()
            has_next, has_previous = True, more
        object_list = BoundRows(data=records, table=self._rows.table) if self._rows is not None else None
        return KeysetPage(
            records,
            object_list=object_list,
            has_next=has_next and bool(records),
            has_previous=has_previous and bool(records),
            next_cursor=self.cursor_for(records[-1], forward=True) if has_next and records else "",
            previous_cursor=self.cursor_for(records[0], forward=False) if has_previous and records else "",
        )


# --- tables -----------------------------------------------------------------------------------


class ListTable(tables.Table):
    """A tables2 table whose rows are ordered by the database through a keyset ordering.

    ``orderings`` maps each sortable column to its keys (ascending); ``-column`` reverses every
    key, which the same index serves scanned backwards. ``default_sort`` is used when the
    request names none. Sorting never happens in Python: setting ``order_by`` only records
    which column the headers show as sorted.
    """

    orderings: ClassVar[dict[str, tuple[str, ...]]] = {}
    default_sort: ClassVar[str] = ""
    # Set by list_table: the request filters the list (an empty page then says so and offers
    # to clear the filters instead of "nothing here").
    filters_applied: bool = False

    class Meta:
        template_name = "partials/list_table.html"
        attrs = {"class": "table table-sm align-middle list-table"}
        orderable = False
        empty_text = _("Nothing found.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.orderings:
            self.columns[name].column.orderable = True

    @property  # type: ignore[override]
    def order_by(self) -> OrderByTuple | None:
        return self._order_by

    @order_by.setter
    def order_by(self, value: Any) -> None:
        aliases = value.split(",") if isinstance(value, str) else list(value or ())
        valid = [alias for alias in aliases if OrderBy(alias).bare in self.orderings]
        self._order_by = OrderByTuple(valid[:1])

    @classmethod
    def sort_from(cls, requested: str | None, default: str | None = None) -> str:
        """The requested sort when the table offers it, else the default."""
        if requested and requested.lstrip("-") in cls.orderings:
            return requested
        return default or cls.default_sort

    @classmethod
    def keys_for(cls, sort: str) -> tuple[str, ...]:
        keys = cls.orderings[sort.lstrip("-")]
        if not sort.startswith("-"):
            return keys
        return tuple(key[1:] if key.startswith("-") else f"-{key}" for key in keys)

    def rows_html(self) -> SafeString:
        """The page's rows, ``<tr>`` by ``<tr>``, as tables2's Bootstrap 5 template renders them
        (``partials/list_table.html`` puts them in the ``<tbody>``). Built in one pass in
        Python: each column's cell attributes and its render method's signature are worked
        out once per page, not once per cell, which made the template's loop over the cells
        most of a list page's time."""
        columns = [_ColumnCells(bound_column) for bound_column in self.columns]
        html: list[str] = []
        for row in self.paginated_rows:
            html.append(f"<tr {row.attrs.as_html()}>")
            html.extend(column.cell(row) for column in columns)
            html.append("</tr>")
        return mark_safe("".join(html))  # noqa: S308 -- every cell is escaped by _ColumnCells.cell


class _ColumnCells:
    """One column's cells on one page: tables2's own value lookup (``BoundRow``: accessors,
    ``get_FOO_display``, empty values, links), with the column's ``<td>`` attributes and its
    ``render_FOO`` signature computed once."""

    def __init__(self, bound_column: Any) -> None:
        self.bound_column = bound_column
        column = bound_column.column
        table_attrs, column_attrs = bound_column._table.attrs, column.attrs
        td_spec = {**table_attrs, **column_attrs}
        td_spec = td_spec.get("td", td_spec.get("cell", {}))
        # Attributes computed from the record are worked out per cell, as tables2 does.
        self.per_record = any(callable(value) for value in td_spec.values())
        self.td_open = "" if self.per_record else f"<td {bound_column.attrs['td'].as_html()}>"
        self.arguments, catch_all = signature(bound_column.render)
        self.takes_all = catch_all is not None
        self.localize = column.localize

    def cell(self, row: BoundRow) -> str:
        bound_column = self.bound_column
        content = row._get_and_render_with(bound_column, render_func=self._render(row), default=bound_column.default)
        td_open = self.td_open
        if self.per_record:
            bound_column.current_record, bound_column.current_value = row.record, content
            td_open = f"<td {bound_column.attrs['td'].as_html()}>"
        return f"{td_open}{self._as_html(content)}</td>"

    def _render(self, row: BoundRow) -> Any:
        def render(bound_column: Any, value: Any = None) -> Any:
            arguments = {
                "value": value,
                "record": row.record,
                "column": bound_column.column,
                "bound_column": bound_column,
                "bound_row": row,
                "table": row.table,
            }
            if self.takes_all:
                content = bound_column.render(**arguments)
            elif all(name in arguments for name in self.arguments):
                content = bound_column.render(**{name: arguments[name] for name in self.arguments})
            else:
                content = None
            return bound_column.link(content, **arguments) if bound_column.link else content

        return render

    def _as_html(self, content: Any) -> str:
        """``{{ cell }}`` (or ``|localize`` / ``|unlocalize``, as the column asks) in an
        autoescaping template."""
        if self.localize is None:
            content = formats.localize(template_localtime(content))
        else:
            content = formats.localize(content, use_l10n=bool(self.localize))
        return conditional_escape(content if isinstance(content, str) else str(content))


def list_table(
    request: HttpRequest,
    table_class: type[ListTable],
    queryset: QuerySet[Any],
    *,
    per_page: int = PER_PAGE,
    default_sort: str | None = None,
    **table_kwargs: Any,
) -> ListTable:
    """The table of one page of ``queryset``, sorted and paged as the request asks."""
    sort = table_class.sort_from(request.GET.get(SORT_PARAM), default_sort)
    table = table_class(queryset, order_by=sort, **table_kwargs)
    table.paginate(
        KeysetPaginator,
        per_page=per_page,
        page=request.GET.get(CURSOR_PARAM),
        ordering=table_class.keys_for(sort),
        sort=sort,
    )
    table.filters_applied = any(value for key, value in request.GET.items() if key not in PAGING_PARAMS)
    return table


# --- filter bars ----------------------------------------------------------------------------


def filter_form_helper(form: Any, *, wide: Sequence[str] = ("q",), sort: str = "") -> FormHelper:
    """A GET form laid out on Bootstrap's grid: one column per filter (the search box wider),
    labels on one line, the button aligned with the inputs. The search box takes three of the
    twelve columns from 992 px, so a search box and four filters leave the button room on the
    same row at 1024 px (it no longer drops alone onto a line of its own)."""
    helper = FormHelper(form)
    helper.form_method = "get"
    helper.form_tag = True
    helper.disable_csrf = True
    helper.form_class = "list-filter"
    helper.attrs = {"data-testid": "list-filter"}
    helper.label_class = "small text-nowrap text-truncate d-block"
    columns = [
        Column(
            Field(name),
            css_class="col-12 col-md-6 col-lg-3" if name in wide else "col-6 col-md-4 col-lg-2",
        )
        for name in form.fields
    ]
    columns.append(
        Column(
            StrictButton(_("Search"), type="submit", css_class="btn-outline-primary"),
            css_class="col-auto list-filter-actions",
        )
    )
    layout = [Row(*columns, css_class="g-2 align-items-start")]
    if sort:
        layout.append(Hidden(SORT_PARAM, sort))
    helper.layout = Layout(*layout)
    return helper


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet whose form carries its crispy layout (``{% crispy filter.form %}``).

    ``wide_fields`` get a wider column. An invalid form filters nothing out but shows nothing
    either: :meth:`filtered` gives an empty list, and the form shows the errors in Chinese.
    """

    wide_fields: ClassVar[tuple[str, ...]] = ("q",)

    def __init__(self, *args: Any, sort: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sort = sort

    @property
    def form(self) -> Any:
        form = super().form
        if not hasattr(form, "helper"):
            form.helper = filter_form_helper(form, wide=self.wide_fields, sort=self._sort)
        return form

    def filtered(self) -> QuerySet[Any]:
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return self.qs


def bind_filter(
    request: HttpRequest, filter_class: type[ListFilterSet], queryset: QuerySet[Any], **kwargs: Any
) -> ListFilterSet:
    """The filter bar bound to the request's query (unbound when it has none)."""
    data = request.GET.copy()
    for name in PAGING_PARAMS:
        data.pop(name, None)
    sort = request.GET.get(SORT_PARAM, "")
    return filter_class(data or None, queryset=queryset, request=request, sort=sort, **kwargs)
