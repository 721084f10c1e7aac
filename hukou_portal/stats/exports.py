"""Exports of the lists: CSV and XLSX, streamed in constant memory, formula cells escaped.

An export kind (``kinds.py``) says which list it is — the same scoped selector and the same
FilterSet as the list page — who may export it, its columns (Chinese headers, each value turned
into words the way the page shows it) and its order. This module writes the rows:

- **CSV** is UTF-8 with a BOM (Excel then reads the Chinese as UTF-8), produced by a generator a
  ``StreamingHttpResponse`` sends as it goes: the rows are read with ``.iterator(chunk_size=…)``
  (a server-side cursor on PostgreSQL, inside ``atomic()``), a few hundred rows per chunk sent.
- A kind may also give a ``Reader``: the values its cells need, read as plain tuples
  (``values_list``: no model instance per row, the date-times formatted by PostgreSQL), and how
  one tuple reads as its cells. The people export, the one a million rows long, is read that way
  (``docs/exports.md``: time against ``COPY``); the columns still give its headers, and a test
  holds both ways to the same cells.
- **XLSX** is written by xlsxwriter in ``constant_memory`` mode (one row in memory at a time) to
  a temporary file, which is then sent with ``FileResponse`` and removed.

A spreadsheet runs a cell starting with ``= + - @`` (or a tab or carriage return) as a formula
(CSV injection): such a cell gets a leading ``'`` in both formats, and every XLSX cell is written
as a string, never a formula, number or link.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter
from django.db import connection, transaction
from django.db.models import F, Func, Model, QuerySet, Value
from django.db.models.fields import CharField
from django.utils import timezone
from django.utils.functional import Promise

from hukou_portal.core.vocabulary import say

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000  # rows per fetch from the server-side cursor
ROWS_PER_WRITE = 500  # CSV rows per chunk sent to the client
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


_FORMULA_FIRST = frozenset(FORMULA_STARTS)  # each a single character


def safe_cell(text: str) -> str:
    """``text`` as a cell no spreadsheet runs: a leading ' before a formula start."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def safe_cells(texts: Iterable[str]) -> list[str]:
    """``safe_cell`` of each text (a row's cells), at the cost of one set lookup per cell."""
    return [f"'{text}" if text[:1] in _FORMULA_FIRST else text for text in texts]


class LocalMinute(Func):
    """A date-time field as the text ``cell_words`` gives it — YYYY-MM-DD HH:MM in the current
    time zone (Asia/Shanghai) — computed by the database, for a ``Reader``'s fields."""

    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        at_zone = Func(Value(timezone.get_current_timezone_name()), *self.source_expressions, function="timezone")
        return Func(at_zone, Value("YYYY-MM-DD HH24:MI"), function="to_char", output_field=CharField()).as_sql(
            compiler, connection, **extra_context
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # The zero-setup default: SQLite keeps UTC text; the zone's offset now is added (Asia/
        # Shanghai has had no summer time since 1991, so it is the offset of every stored time).
        offset = timezone.localtime().utcoffset() or dt.timedelta(0)
        minutes = Value(f"{int(offset.total_seconds() // 60):+d} minutes")
        return Func(Value("%Y-%m-%d %H:%M"), *self.source_expressions, minutes, function="strftime").as_sql(
            compiler, connection, **extra_context
        )


def local_minute(field: str) -> Func:
    """``field`` (a date-time) as YYYY-MM-DD HH:MM in the current time zone (``LocalMinute``)."""
    return LocalMinute(F(field))


def cell_words(value: Any) -> str:
    """A value as the cell's text: dates as YYYY-MM-DD and times as YYYY-MM-DD HH:MM in
    Asia/Shanghai, a bool as 是/否, nothing as an empty cell, lists 、-joined. Never ``str()`` of
    a Python value."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return say(value)


@dataclass(frozen=True)
class Column:
    """One column: its header (translatable) and how a row's value reads."""

    header: str | Promise
    value: Callable[[Any], Any]


def read_whole_result() -> None:
    """Tell PostgreSQL, for the rest of the transaction, that the cursor will be read to its end.

    A server-side cursor is planned for its first tenth (``cursor_tuple_fraction``, 0.1): for the
    people list that is a walk of the ``created_at`` index probing each person's offices, which
    starts at once and is slow to finish (2.5 s at 200,000 rows, against 0.5 s for the hash join
    and sort planned for the whole result). An export reads every row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")


@dataclass(frozen=True)
class Reader:
    """A quicker way to read an export's rows than its columns' functions of a model instance:
    ``fields`` (names, or expressions such as ``local_minute``) read with ``values_list``, and
    ``cells`` turning one such tuple into the row's cells, in the words the columns give (not
    escaped yet: the export escapes every cell). It must give exactly the columns' cells."""

    fields: Sequence[Any]
    cells: Callable[[tuple[Any, ...]], list[str]]


@dataclass
class Export:
    """One export being written: its columns and its rows (an ordered queryset)."""

    columns: Sequence[Column]
    rows: QuerySet[Any]
    # Called with each chunk of rows before they are written (e.g. to load what they name).
    prepare_chunk: Callable[[list[Model]], None] | None = None
    # Made when the rows are read (in the request's language), for the tuple path; or None.
    reader: Callable[[], Reader] | None = None
    written: int = field(default=0, init=False)

    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    def cells(self) -> Iterator[list[str]]:
        """Every row as escaped cells (see ``batches``)."""
        for batch in self.batches():
            yield from batch

    def batches(self) -> Iterator[list[list[str]]]:
        """The rows as escaped cells, ``ROWS_PER_WRITE`` rows at a time, read in chunks of
        ``CHUNK_SIZE`` from a server-side cursor inside a transaction (a transaction pooler breaks
        a server-side cursor outside one). ``written`` counts the rows produced so far."""
        with transaction.atomic():
            read_whole_result()
            if self.reader is not None:
                yield from self._tuple_batches(self.reader())
                return
            chunk: list[Model] = []
            for record in self.rows.iterator(chunk_size=CHUNK_SIZE):
                chunk.append(record)
                if len(chunk) >= CHUNK_SIZE:
                    yield from self._chunk_batches(chunk)
                    chunk = []
            if chunk:
                yield from self._chunk_batches(chunk)

    def _chunk_batches(self, chunk: list[Model]) -> Iterator[list[list[str]]]:
        if self.prepare_chunk is not None:
            self.prepare_chunk(chunk)
        size = ROWS_PER_WRITE
        for start in range(0, len(chunk), size):
            batch = [
                [safe_cell(cell_words(column.value(record))) for column in self.columns]
                for record in chunk[start : start + size]
            ]
            self.written += len(batch)
            yield batch

    def _tuple_batches(self, reader: Reader) -> Iterator[list[list[str]]]:
        cells, size = reader.cells, ROWS_PER_WRITE
        batch: list[list[str]] = []
        for row in self.rows.values_list(*reader.fields).iterator(chunk_size=CHUNK_SIZE):
            batch.append(safe_cells(cells(row)))
            if len(batch) >= size:
                self.written += len(batch)
                yield batch
                batch = []
        if batch:
            self.written += len(batch)
            yield batch


class _Line:
    """A buffer a csv.writer writes into (``buffer``), emptied by ``take``."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()

    def take(self) -> str:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


def csv_chunks(export: Export) -> Iterator[str]:
    """The export as CSV text, in chunks of ``ROWS_PER_WRITE`` rows: the BOM and the header
    first. ``export.written`` counts the rows produced so far."""
    line = _Line()
    writer = csv.writer(line.buffer)
    writer.writerow([safe_cell(header) for header in export.headers()])
    yield "\ufeff" + line.take()
    for batch in export.batches():
        writer.writerows(batch)
        yield line.take()


def write_csv(export: Export, out: Any) -> int:
    """Write the CSV to a binary file; the number of rows."""
    for text in csv_chunks(export):
        out.write(text.encode("utf-8"))
    return export.written


def write_xlsx(export: Export, path: str, *, sheet_name: str = "") -> int:
    """Write the XLSX to ``path`` in constant memory (xlsxwriter writes each row to a temporary
    file as soon as the next one starts); the number of rows. Every cell is a string."""
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "tmpdir": tempfile.gettempdir(),
        },
    )
    try:
        sheet = workbook.add_worksheet(sheet_name[:31] or None)
        bold = workbook.add_format({"bold": True})
        for column, header in enumerate(export.headers()):
            sheet.write_string(0, column, safe_cell(header), bold)
        sheet.freeze_panes(1, 0)
        for number, row in enumerate(export.cells(), start=1):
            for column, text in enumerate(row):
                sheet.write_string(number, column, text)
    finally:
        workbook.close()
    return export.written


def xlsx_temporary(export: Export, *, sheet_name: str = "") -> tuple[Any, int]:
    """The XLSX in an open temporary file (already unlinked: it disappears when closed), and the
    number of rows."""
    handle, path = tempfile.mkstemp(prefix="hukou-export-", suffix=".xlsx")
    os.close(handle)
    try:
        rows = write_xlsx(export, path, sheet_name=sheet_name)
        opened = open(path, "rb")  # noqa: SIM115 — FileResponse closes it
    finally:
        os.unlink(path)
    return opened, rows


def table_csv(headers: Sequence[str], rows: Iterable[Sequence[str | int | float]]) -> str:
    """A small table (a figure of the dashboard) as CSV text with the BOM. Text cells are
    escaped as every export's are; numbers are written as they are (a change of -2 is a number,
    not a formula)."""
    line = _Line()
    writer = csv.writer(line.buffer)
    writer.writerow([safe_cell(header) for header in headers])
    for row in rows:
        writer.writerow([cell if isinstance(cell, int | float) else safe_cell(cell) for cell in row])
    return "\ufeff" + line.take()


def table_xlsx(headers: Sequence[str], rows: Iterable[Sequence[str | int | float]], *, sheet_name: str = "") -> bytes:
    """The same table as an XLSX workbook: numbers as numbers, text escaped."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    try:
        sheet = workbook.add_worksheet(sheet_name[:31] or None)
        bold = workbook.add_format({"bold": True})
        for column, header in enumerate(headers):
            sheet.write_string(0, column, safe_cell(header), bold)
        sheet.freeze_panes(1, 1)
        for number, row in enumerate(rows, start=1):
            for column, cell in enumerate(row):
                if isinstance(cell, int | float):
                    sheet.write_number(number, column, cell)
                else:
                    sheet.write_string(number, column, safe_cell(cell))
    finally:
        workbook.close()
    return buffer.getvalue()


def join_words(parts: Iterable[str]) -> str:
    return "；".join(part for part in parts if part)
