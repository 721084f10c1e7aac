"""The dashboard's figures (E1): settlements, processing, registrations and permits of a period,
for an area (an office and every office below it) the user may see.

Every figure is a table — rows, one column per month or per measure — from which its chart is
drawn, so the chart and the table beside it never disagree. Every count in a table links to the
list of the records behind it (``stats:records_*``), whose filters say exactly what the count
counted; tests/stats/test_dashboard.py checks that the list has as many rows as the number.

The numbers come from the daily rollups, summed per month in a handful of queries, and for the
days not rolled up yet (today, or a night the job missed) from ``rollups.day_rows``: the same
code that builds the rollups, so the two parts agree.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hukou_portal.accounts.models import Office
from hukou_portal.casework.kinds import all_kinds, get_kind
from hukou_portal.casework.models import CLOCK_RUNNING_STATUSES, Case
from hukou_portal.people.models import Town

from .inflow import inflow_rows, inflow_stored, origins
from .models import CaseDay, CaseDecisionTime, PermitDay, RegistrationDay, SettlementDay, TownStockDay
from .periods import Period, month_labels, month_start
from .rollups import ONE_DAY, day_rows, rolled_to
from .selectors import percentile

SETTLEMENT = "settlement"


# --- the month-by-month sums -------------------------------------------------------------------


@dataclass
class Cubes:
    """A period's rollups summed per month, keyed as the rollup tables are."""

    cases: defaultdict[tuple[dt.date, int, str, str], Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )  # (month, office, kind, category) → received, decided_approved, …
    times: defaultdict[tuple[int, str, str], Counter[int]] = field(
        default_factory=lambda: defaultdict(Counter)
    )  # (office, kind, category) → {working days: cases}
    registrations: defaultdict[tuple[dt.date, int, int | None], Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )  # (month, office, town) → started, ended
    permits: defaultdict[tuple[dt.date, int], Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )  # (month, office) → issued, converted, endorsed, lapsed
    settled: Counter[tuple[dt.date, str, str]] = field(default_factory=Counter)  # (month, category, type) → people
    # The stock per town at the end of ``stock_day`` (the period's last rolled-up day).
    stock: defaultdict[int | None, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    stock_day: dt.date | None = None
    inflow: Counter[str] = field(default_factory=Counter)  # origin city (4 digits; "" unknown) → started
    overdue: Counter[tuple[int, str]] = field(default_factory=Counter)  # (office, kind) → open and overdue today
    live_from: dt.date | None = None  # the first day read from the base tables, if any
    # Days of the period neither rolled up nor read live (the nightly job has not run for them).
    missing: tuple[dt.date, dt.date] | None = None


# At most this many days (today and the nights before it) are read from the base tables; older
# days not rolled up yet are left out and named, never read live one by one (a year would take
# minutes at city scale) — ``manage.py stats_rollup`` or the nightly job fills them.
MAX_LIVE_DAYS = 7


CASE_MEASURES = (
    "received",
    "decided_approved",
    "decided_rejected",
    "decided_within_deadline",
    "decided_after_supplement",
    "completed",
)
PERMIT_MEASURES = ("issued", "converted", "endorsed", "lapsed")


def load_cubes(*, office_ids: list[int], period: Period, today: dt.date, town_id: int | None = None) -> Cubes:
    """The sums of ``period`` for ``office_ids``: up to the last rolled-up day from the rollups
    (four grouped queries), after it from the base tables day by day. ``town_id`` narrows the
    registrations (the only figures that know a town)."""
    cubes = Cubes()
    end = min(period.end, today)
    complete_to = min(end, rolled_to() or period.start - ONE_DAY)
    if period.start <= complete_to:
        stored = {"day__gte": period.start, "day__lte": complete_to, "office_id__in": office_ids}
        for row in (
            CaseDay.objects.filter(**stored)
            .annotate(month=TruncMonth("day"))
            .values("month", "office_id", "kind", "category")
            .annotate(**{name: Sum(name) for name in CASE_MEASURES})
            .order_by()
        ):
            key = (row["month"], row["office_id"], row["kind"], row["category"])
            cubes.cases[key].update({name: row[name] for name in CASE_MEASURES})
        for office_id, kind, category, working_days, cases in (
            CaseDecisionTime.objects.filter(**stored)
            .values("office_id", "kind", "category", "working_days")
            .annotate(n=Sum("cases"))
            .values_list("office_id", "kind", "category", "working_days", "n")
            .order_by()
        ):
            cubes.times[(office_id, kind, category)][working_days] += cases
        registrations = RegistrationDay.objects.filter(**stored)
        if town_id is not None:
            registrations = registrations.filter(town_id=town_id)
        for row in (
            registrations.annotate(month=TruncMonth("day"))
            .values("month", "office_id", "town_id")
            .annotate(started=Sum("started"), ended=Sum("ended"))
            .order_by()
        ):
            cubes.registrations[(row["month"], row["office_id"], row["town_id"])].update(
                started=row["started"], ended=row["ended"]
            )
        for row in (
            PermitDay.objects.filter(**stored)
            .annotate(month=TruncMonth("day"))
            .values("month", "office_id")
            .annotate(**{name: Sum(name) for name in PERMIT_MEASURES})
            .order_by()
        ):
            cubes.permits[(row["month"], row["office_id"])].update({name: row[name] for name in PERMIT_MEASURES})
        for month, category, household_type, people in (
            SettlementDay.objects.filter(**stored)
            .annotate(month=TruncMonth("day"))
            .values("month", "category", "household_type")
            .annotate(n=Sum("people"))
            .values_list("month", "category", "household_type", "n")
            .order_by()
        ):
            cubes.settled[(month, category, household_type)] += people
        cubes.inflow.update(inflow_stored(office_ids=office_ids, first=period.start, last=complete_to, town_id=town_id))
        cubes.stock_day = complete_to
        stock = TownStockDay.objects.filter(day=complete_to, office_id__in=office_ids)
        if town_id is not None:
            stock = stock.filter(town_id=town_id)
        for town, residents, permits_valid in stock.values_list("town_id", "residents", "permits_valid"):
            cubes.stock[town].update(residents=residents, permits_valid=permits_valid)

    day = max(period.start, complete_to + ONE_DAY)
    live_start = max(day, today - dt.timedelta(days=MAX_LIVE_DAYS - 1))
    if live_start > day:
        cubes.missing = (day, min(live_start - ONE_DAY, end))
        day = live_start
    if day <= end:
        cubes.live_from = day
    while day <= end:  # today, and any day the nightly job has not rolled up yet
        month, live = month_start(day), day_rows(day=day, office_ids=office_ids, stock=False)
        for (office_id, kind, category), counts in live.cases.items():
            cubes.cases[(month, office_id, kind, category)].update(counts)
        for (office_id, kind, category, working_days), cases in live.decision_times.items():
            cubes.times[(office_id, kind, category)][working_days] += cases
        for (office_id, town), counts in live.registrations.items():
            if town_id is None or town == town_id:
                cubes.registrations[(month, office_id, town)].update(counts)
        for office_id, counts in live.permit_counts.items():
            cubes.permits[(month, office_id)].update(counts)
        for (_office, category, household_type), people in live.settlements.items():
            cubes.settled[(month, category, household_type)] += people
        for (_office, town, origin_city), started in inflow_rows(day=day, office_ids=office_ids).items():
            if town_id is None or town == town_id:
                cubes.inflow[origin_city] += started
        day += ONE_DAY

    # Overdue is a state of now, not of the period: open cases whose deadline has passed.
    for office_id, kind, n in (
        Case.objects.filter(office_id__in=office_ids, status__in=CLOCK_RUNNING_STATUSES, deadline__lt=today)
        .values("office_id", "kind")
        .annotate(n=Count("id"))
        .values_list("office_id", "kind", "n")
        .order_by()
    ):
        cubes.overdue[(office_id, kind)] += n
    return cubes


# --- figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: int | float | None
    text: str
    url: str = ""

    @property
    def exported(self) -> int | str:
        """As a spreadsheet cell: a count as a number, a share as its text (66.7%), none empty."""
        if isinstance(self.value, int):
            return self.value
        return "" if self.value is None else self.text


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]

    @property
    def cells_html(self) -> SafeString:
        """The row's table cells, a link on each number with records behind it. Built here, not
        in the template: a year's dashboard has some 1,500 cells, and a template tag per cell
        was a quarter of the page's time."""
        return mark_safe(  # noqa: S308  (every value is escaped by format_html)
            "".join(
                format_html(CELL_LINK, cell.url, cell.text) if cell.url else format_html(CELL, cell.text)
                for cell in self.cells
            )
        )


CELL = '<td class="text-end text-nowrap">{}</td>'
CELL_LINK = '<td class="text-end text-nowrap"><a href="{}" data-testid="cell">{}</a></td>'


@dataclass(frozen=True)
class Chart:
    """How a figure's table is drawn: ``series="rows"`` makes each row a dataset over the chosen
    columns (months); ``series="columns"`` makes each chosen column a dataset over the rows."""

    series: str
    columns: tuple[int, ...]
    stacked: bool = False
    kind: str = "bar"
    rows: int | None = None  # chart only the first rows (not a derived one such as a net change)


@dataclass(frozen=True)
class Figure:
    slug: str
    title: str
    clause: str
    note: str
    columns: list[str]
    rows: list[Row]
    chart: Chart

    def chart_data(self) -> dict[str, Any]:
        """What static/portal/stats.js gives Chart.js."""
        rows = self.rows[: self.chart.rows] if self.chart.rows is not None else self.rows
        if self.chart.series == "rows" and len(self.chart.columns) == 1:
            # One month: the rows along the axis read better than one crowded stack.
            index = self.chart.columns[0]
            labels = [row.label for row in rows]
            series = [(self.columns[index], [row.cells[index] for row in rows])]
        elif self.chart.series == "rows":
            labels = [self.columns[index] for index in self.chart.columns]
            series = [(row.label, [row.cells[index] for index in self.chart.columns]) for row in rows]
        else:
            labels = [row.label for row in rows]
            series = [(self.columns[index], [row.cells[index] for row in rows]) for index in self.chart.columns]
        datasets = [
            {"label": label, "data": [cell.value for cell in cells], "urls": [cell.url for cell in cells]}
            for label, cells in series
        ]
        stacked = self.chart.stacked and len(datasets) > 1
        return {"type": self.chart.kind, "stacked": stacked, "labels": labels, "datasets": datasets}

    @property
    def by_month(self) -> bool:
        """Its columns are months (their headings never wrap)."""
        return self.chart.series == "rows"

    def table(self) -> tuple[list[str], list[list[int | str]]]:
        """The table as an export writes it: the headers, then a row per row (its label first)."""
        headers = [self.title, *self.columns]
        return headers, [[row.label, *(cell.exported for cell in row.cells)] for row in self.rows]

    def as_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "clause": self.clause,
            "columns": self.columns,
            "rows": [
                {
                    "label": row.label,
                    "cells": [{"value": cell.value, "text": cell.text, "url": cell.url} for cell in row.cells],
                }
                for row in self.rows
            ],
            "chart": self.chart_data(),
        }


def number(value: int, url: str = "") -> Cell:
    return Cell(value, f"{value:,}", url if value else "")


def days(value: int | None) -> Cell:
    return Cell(value, "—" if value is None else str(value))


def signed(value: int) -> Cell:
    """A change: +3, −2, 0."""
    return Cell(value, f"{value:+,}" if value else "0")


def share(part: int, whole: int) -> Cell:
    if not whole:
        return Cell(None, "—")
    value = round(100 * part / whole, 1)
    return Cell(value, f"{value:g}%")


@dataclass(frozen=True)
class Scope:
    """Whose figures: ``area`` and the offices below it, a period, optionally one town."""

    area: Office
    office_ids: list[int]
    period: Period
    today: dt.date
    town: Town | None = None
    # The user reads people (the worklist behind the pipeline's numbers names them).
    reads_people: bool = False

    def link(self, name: str, *, by_area: bool = True, **filters: Any) -> str:
        """The records behind a number: list ``name`` filtered to the area (and town) and
        ``filters`` (dates as YYYY-MM-DD). ``by_area=False``: a town's figure, whose town says
        where (the stock is the town's, whichever office registered its people)."""
        params: dict[str, Any] = {"area": self.area.pk} if by_area else {}
        if self.town is not None and name == "registrations":
            params["town"] = self.town.pk
        params.update(filters)
        return f"{records_url(name)}?{query_string(params)}"


# What ``quote_plus`` leaves as it is: a link's names, numbers, dates and codes.
_PLAIN = re.compile(r"[\w.~-]*", re.ASCII)


def query_string(params: dict[str, Any]) -> str:
    """``urlencode(params)`` (dates as YYYY-MM-DD), quoting only the values that need it: a page
    has some 400 links, whose values are nearly all numbers, dates and codes."""
    pairs = []
    for key, value in params.items():
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        pairs.append(f"{key}={text if _PLAIN.fullmatch(text) else quote_plus(text)}")
    return "&".join(pairs)


@functools.cache
def records_url(name: str) -> str:
    return reverse(f"stats:records_{name}")


def _month_columns(period: Period) -> list[str]:
    return [*month_labels(period.months), _("Total")]


def _monthly_row(
    scope: Scope, label: str, value_of: Callable[[dt.date], int], link_of: Callable[[dt.date, dt.date], str] | None
) -> Row:
    """One row of a month-by-month table: a cell per month of the period, then the total."""
    cells, total = [], 0
    for month in scope.period.months:
        first, last = scope.period.month_bounds(month)
        value = value_of(month)
        total += value
        cells.append(number(value, link_of(first, last) if link_of and value else ""))
    cells.append(number(total, link_of(scope.period.start, scope.period.end) if link_of and total else ""))
    return Row(label, cells)


def _chart_months(period: Period) -> tuple[int, ...]:
    return tuple(range(len(period.months)))


def settlements_figure(scope: Scope, cubes: Cubes, *, decision: str) -> Figure:
    """Settlements approved (or refused) per category (S1.1 … S5.1) and month of decision."""
    measure = f"decided_{decision}"
    per_month: Counter[tuple[dt.date, str]] = Counter()
    for (month, _office, kind, category), counts in cubes.cases.items():
        if kind == SETTLEMENT:
            per_month[(month, category)] += counts[measure]
    rows = [
        _monthly_row(
            scope,
            str(category.label),
            lambda month, code=category.code: per_month[(month, code)],
            lambda first, last, code=category.code: scope.link(
                "cases", kind=SETTLEMENT, category=code, decided_from=first, decided_to=last, decision=decision
            ),
        )
        for category in get_kind(SETTLEMENT).categories
    ]
    approved = decision == "approved"
    return Figure(
        slug=f"settlements-{decision}",
        title=_("Settlements approved, by category") if approved else _("Settlements refused, by category"),
        clause="E1 · S1–S5",
        note=_("Counted in the month of the decision (Beijing time)."),
        columns=_month_columns(scope.period),
        rows=rows,
        chart=Chart(series="rows", columns=_chart_months(scope.period), stacked=True),
    )


def settled_by_household_figure(scope: Scope, cubes: Cubes) -> Figure:
    """People settled per 户别 (S7.1) and month: the applicants and families placed in a
    household by a completed settlement."""
    from hukou_portal.people.models import HouseholdType

    per_month: Counter[tuple[dt.date, str]] = Counter()
    for (month, _category, household_type), people in cubes.settled.items():
        per_month[(month, household_type)] += people
    rows = [
        _monthly_row(
            scope,
            str(label),
            lambda month, code=code: per_month[(month, code)],
            lambda first, last, code=code: scope.link(
                "settled", household_type=code, joined_from=first, joined_to=last
            ),
        )
        for code, label in HouseholdType.choices
    ]
    return Figure(
        slug="settled-by-household",
        title=_("People settled, by household type"),
        clause="E1 · S7.1",
        note=_(
            "Applicants and family members placed in a household (户) by a settlement, in the month they joined it."
        ),
        columns=_month_columns(scope.period),
        rows=rows,
        chart=Chart(series="rows", columns=_chart_months(scope.period), stacked=True),
    )


def _processing_columns() -> list[str]:
    return [_("Accepted"), _("Decided"), _("Approved"), _("Refused"), _("Completed"), _("Overdue now")]


def _timeliness_columns() -> list[str]:
    return [
        _("Decided"),
        _("Decided within the deadline"),
        _("Share within the deadline"),
        _("Decided after a request for documents"),
        _("Share with a request for documents"),
        _("Median working days"),
        _("90th percentile working days"),
    ]


def _office_columns() -> list[str]:
    return [
        _("Accepted"),
        _("Decided"),
        _("Completed"),
        _("Share within the deadline"),
        _("Share with a request for documents"),
        _("Median working days"),
        _("90th percentile working days"),
        _("Overdue now"),
    ]


@dataclass(frozen=True)
class Measures:
    """One row of the processing figures: its counts and times, and the links to the cases."""

    scope: Scope
    counts: Counter[str]
    times: Counter[int]
    overdue: int
    filters: dict[str, Any]

    def link(self, **more: Any) -> str:
        return self.scope.link("cases", **self.filters, **more)

    @property
    def decided(self) -> int:
        return self.counts["decided_approved"] + self.counts["decided_rejected"]

    def cell(self, name: str) -> Cell:
        start, end = self.scope.period.start, self.scope.period.end
        decided = {"decided_from": start, "decided_to": end}
        counts = self.counts
        if name == "received":
            return number(counts["received"], self.link(accepted_from=start, accepted_to=end))
        if name == "decided":
            return number(self.decided, self.link(**decided))
        if name in ("approved", "rejected"):
            return number(counts[f"decided_{name}"], self.link(**decided, decision=name))
        if name == "completed":
            return number(counts["completed"], self.link(completed_from=start, completed_to=end))
        if name == "within":
            return number(counts["decided_within_deadline"], self.link(**decided, within_deadline="1"))
        if name == "within_share":
            return share(counts["decided_within_deadline"], self.decided)
        if name == "supplemented":
            return number(counts["decided_after_supplement"], self.link(**decided, supplemented="1"))
        if name == "supplement_share":
            return share(counts["decided_after_supplement"], self.decided)
        if name in ("median", "p90"):
            return days(percentile(self.times, 0.5 if name == "median" else 0.9))
        if name == "overdue":
            return number(self.overdue, self.link(overdue="1"))
        raise KeyError(name)

    def row(self, label: str, names: tuple[str, ...]) -> Row:
        return Row(label, [self.cell(name) for name in names])


PROCESSING = ("received", "decided", "approved", "rejected", "completed", "overdue")
TIMELINESS = ("decided", "within", "within_share", "supplemented", "supplement_share", "median", "p90")
BY_OFFICE = ("received", "decided", "completed", "within_share", "supplement_share", "median", "p90", "overdue")


def _by_kind(scope: Scope, cubes: Cubes) -> list[tuple[str, Measures]]:
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    times: defaultdict[str, Counter[int]] = defaultdict(Counter)
    overdue: Counter[str] = Counter()
    for (_month, _office, kind, _category), measures in cubes.cases.items():
        counts[kind].update(measures)
    for (_office, kind, _category), histogram in cubes.times.items():
        times[kind].update(histogram)
    for (_office, kind), n in cubes.overdue.items():
        overdue[kind] += n
    return [
        (str(kind.label), Measures(scope, counts[kind.code], times[kind.code], overdue[kind.code], {"kind": kind.code}))
        for kind in all_kinds()
    ]


def processing_by_kind_figure(scope: Scope, cubes: Cubes) -> Figure:
    """Cases accepted, decided and completed, and overdue now, per kind of case."""
    return Figure(
        slug="processing-by-kind",
        title=_("Processing, by kind of case"),
        clause="E1",
        note=_("Accepted (受理), decided and completed (办结) in the period. Overdue: open now, past the deadline."),
        columns=_processing_columns(),
        rows=[measures.row(label, PROCESSING) for label, measures in _by_kind(scope, cubes)],
        chart=Chart(series="columns", columns=(0, 1)),
    )


def timeliness_by_kind_figure(scope: Scope, cubes: Cubes) -> Figure:
    """How long the period's decisions took, per kind: within the deadline, after a 补正."""
    return Figure(
        slug="timeliness-by-kind",
        title=_("Processing time, by kind of case"),
        clause="E1",
        note=_(
            "Working days from acceptance (受理) to decision over the published holiday calendar, the days "
            "waiting for documents (补正) not counted. A request for documents: at least one 补正 before the decision."
        ),
        columns=_timeliness_columns(),
        rows=[measures.row(label, TIMELINESS) for label, measures in _by_kind(scope, cubes)],
        chart=Chart(series="columns", columns=(5, 6)),
    )


def units_of(area: Office, offices: Iterable[Office]) -> tuple[list[Office], dict[int, Office]]:
    """The area's direct sub-units (county bureaus under the city, stations under a county) and,
    for each office of the area, the unit whose subtree holds it; the area's own cases count as
    a unit of their own (本级)."""
    offices = list(offices)
    children = sorted((o for o in offices if o.parent_id == area.pk), key=lambda o: o.code)
    unit_of: dict[int, Office] = {}
    for office in offices:
        unit_of[office.pk] = next((c for c in children if office.path.startswith(c.path)), area)
    return [area, *children], unit_of


def processing_by_office_figure(scope: Scope, cubes: Cubes, offices: Iterable[Office]) -> Figure:
    """The same measures per unit of the area: which office takes how long."""
    units, unit_of = units_of(scope.area, offices)
    counts: defaultdict[int, Counter[str]] = defaultdict(Counter)
    times: defaultdict[int, Counter[int]] = defaultdict(Counter)
    overdue: Counter[int] = Counter()
    for (_month, office_id, _kind, _category), measures in cubes.cases.items():
        counts[unit_of[office_id].pk].update(measures)
    for (office_id, _kind, _category), histogram in cubes.times.items():
        times[unit_of[office_id].pk].update(histogram)
    for (office_id, _kind), n in cubes.overdue.items():
        overdue[unit_of[office_id].pk] += n
    rows = []
    for unit in units:
        if unit == scope.area:
            if unit.pk not in counts and unit.pk not in overdue:
                continue  # a bureau that takes no cases itself shows no 本级 row
            label, filters = _("%(office)s (own cases)") % {"office": unit.name}, {"office": unit.pk}
        else:
            label, filters = unit.name, {"area": unit.pk}
        rows.append(Measures(scope, counts[unit.pk], times[unit.pk], overdue[unit.pk], filters).row(label, BY_OFFICE))
    return Figure(
        slug="processing-by-office",
        title=_("Processing, by office"),
        clause="E1",
        note=_("Each office with the offices below it."),
        columns=_office_columns(),
        rows=rows,
        chart=Chart(series="columns", columns=(5, 6)),
    )


def registrations_figure(scope: Scope, cubes: Cubes) -> Figure:
    """Local residence registrations (居住登记) started and ended per month, and the net change."""
    started: Counter[dt.date] = Counter()
    ended: Counter[dt.date] = Counter()
    for (month, _office, _town), counts in cubes.registrations.items():
        started[month] += counts["started"]
        ended[month] += counts["ended"]
    rows = [
        _monthly_row(
            scope,
            _("Registrations started"),
            lambda month: started[month],
            lambda first, last: scope.link("registrations", started_from=first, started_to=last),
        ),
        _monthly_row(
            scope,
            _("Registrations ended"),
            lambda month: ended[month],
            lambda first, last: scope.link("registrations", ended_from=first, ended_to=last),
        ),
    ]
    net = [signed(int(s.value or 0) - int(e.value or 0)) for s, e in zip(rows[0].cells, rows[1].cells, strict=True)]
    rows.append(Row(_("Net change"), net))
    return Figure(
        slug="registrations",
        title=_("Residence registrations, by month"),
        clause="E1 · R1",
        note=_(
            "Declared (申报) and changed (变更) registrations start one; a change or a cancellation (注销) ends one. "
            "Counted at the office of the case that made them."
        ),
        columns=_month_columns(scope.period),
        rows=rows,
        chart=Chart(series="rows", columns=_chart_months(scope.period), rows=2),
    )


def registrations_by_town_figure(scope: Scope, cubes: Cubes) -> Figure:
    """Registrations started and ended in the period per town — where people move in and out —
    and the stock (实有人口) at the end of the period's last rolled-up day."""
    per_town: defaultdict[int | None, Counter[str]] = defaultdict(Counter)
    for (_month, _office, town_id), counts in cubes.registrations.items():
        per_town[town_id].update(counts)
    for town_id in cubes.stock:
        per_town.setdefault(town_id, Counter())
    towns = Town.objects.in_bulk([town_id for town_id in per_town if town_id is not None])
    start, end, stock_day = scope.period.start, scope.period.end, cubes.stock_day
    rows = []
    for town_id in sorted(per_town, key=lambda t: (t is None, towns[t].name if t in towns else "")):
        counts, stock = per_town[town_id], cubes.stock.get(town_id, Counter())
        label = towns[town_id].name if town_id in towns else _("No town recorded")
        town_filter = {"town": town_id} if town_id is not None else {"no_town": "1"}

        def link(town_filter: dict[str, Any] = town_filter, **filters: Any) -> str:
            return scope.link("registrations", **filters, **town_filter)

        rows.append(
            Row(
                label,
                [
                    number(counts["started"], link(started_from=start, started_to=end)),
                    number(counts["ended"], link(ended_from=start, ended_to=end)),
                    signed(counts["started"] - counts["ended"]),
                    number(stock["residents"], link(in_force_on=stock_day, by_area=False))
                    if stock_day
                    else Cell(None, "—"),
                    number(stock["permits_valid"]) if stock_day else Cell(None, "—"),
                ],
            )
        )
    movement = _(
        "Population movement: registrations started (inflow) and ended (outflow) in each town or sub-district."
    )
    if stock_day is not None:
        stock_note = _(
            "Registered residents and valid permits (实有人口) at the end of %(day)s, the period's last day rolled up."
        ) % {"day": stock_day.isoformat()}
    else:
        stock_note = _("The registered residents (实有人口) appear once a day of the period is rolled up.")
    return Figure(
        slug="registrations-by-town",
        title=_("Residence registrations, by town"),
        clause="E1 · 四(三)",
        note=f"{movement} {stock_note}",
        columns=[
            _("Registrations started"),
            _("Registrations ended"),
            _("Net change"),
            _("Registered residents at the end"),
            _("Valid permits at the end"),
        ],
        rows=rows,
        chart=Chart(series="columns", columns=(0, 1)),
    )


def permits_figure(scope: Scope, cubes: Cubes) -> Figure:
    """Permits issued (new ones; of them, by conversion R3.1), endorsed (签注) and lapsed, per month."""
    per_month: defaultdict[dt.date, Counter[str]] = defaultdict(Counter)
    for (month, _office), counts in cubes.permits.items():
        per_month[month].update(counts)
    rows = [
        _monthly_row(
            scope,
            _("Permits issued"),
            lambda month: per_month[month]["issued"],
            lambda first, last: scope.link("permits", issued_from=first, issued_to=last, how="new"),
        ),
        _monthly_row(
            scope,
            _("of them by conversion (R3.1)"),
            lambda month: per_month[month]["converted"],
            lambda first, last: scope.link("permits", issued_from=first, issued_to=last, how="converted"),
        ),
        _monthly_row(scope, _("Endorsements (签注)"), lambda month: per_month[month]["endorsed"], None),
        _monthly_row(scope, _("Permits lapsed (endorsement overdue)"), lambda month: per_month[month]["lapsed"], None),
    ]
    return Figure(
        slug="permits",
        title=_("Residence permits, by month"),
        clause="E1 · R2 · R3.1",
        note=_(
            "Issued: new permits at the issuing office (a replacement after a loss is not a new permit). Endorsed: "
            "at the endorsing office. Lapsed: on the day after the last endorsed day, when no endorsement came in time."
        ),
        columns=_month_columns(scope.period),
        rows=rows,
        chart=Chart(series="rows", columns=_chart_months(scope.period)),
    )


# The inflow table names the origins with the most registrations; the rest are summed in one row.
INFLOW_ROWS = 15


def inflow_figure(scope: Scope, cubes: Cubes) -> Figure:
    """Registrations started in the period by the origin of the person's ID number (the city of
    its first four digits): where the people registering here come from."""
    named = origins(cubes.inflow)
    total = sum(origin.started for origin in named)
    start, end = scope.period.start, scope.period.end
    rows = []
    for origin in named[:INFLOW_ROWS]:
        if origin.code == "":
            label = _("Origin unknown")
        elif origin.province == origin.city or not origin.city:
            label = origin.province or origin.code
        else:
            label = f"{origin.province} · {origin.city}"
        link = scope.link("registrations", started_from=start, started_to=end, origin=origin.code or "unknown")
        if scope.town is not None:
            link = scope.link(
                "registrations", started_from=start, started_to=end, origin=origin.code or "unknown", town=scope.town.pk
            )
        rows.append(Row(label, [number(origin.started, link), share(origin.started, total)]))
    rest = named[INFLOW_ROWS:]
    if rest:
        others = sum(origin.started for origin in rest)
        rows.append(Row(_("%(count)d other places") % {"count": len(rest)}, [number(others), share(others, total)]))
    return Figure(
        slug="inflow-by-origin",
        title=_("Where the people registering come from"),
        clause="E1 · 四(三)",
        note=_(
            "Residence registrations started in the period, by the prefecture-level city of the person's citizen ID "
            "number (where it was issued; 湖州市 for moves within Huzhou)."
        ),
        columns=[_("Registrations started"), _("Share")],
        rows=rows,
        chart=Chart(series="columns", columns=(0,)),
    )


def pipeline_figure(scope: Scope) -> Figure:
    """Reform effect (E1): who reaches N1 / N2 in the next 90 days — the nightly snapshot — beside
    the settlements applied for under S5.1 / S1.2 in the 90 days before it. A state of now: it
    does not follow the period picker."""
    from .pipeline import MILESTONE_CATEGORY, N1, N2, pipeline

    board = pipeline(office_ids=scope.office_ids, as_of=scope.today)
    months = list(board.months)
    worklist = f"{reverse('notifications:worklist')}?days=90" if scope.reads_people else ""
    labels = {
        N1: _("Permit holders reaching the holding period (N1, S5.1)"),
        N2: _("Tenants reaching the lease filing period (N2, S1.2)"),
    }
    rows = []
    for milestone in (N1, N2):
        applied = board.applied_for(milestone)
        applied_link = (
            scope.link(
                "cases",
                kind=SETTLEMENT,
                category=MILESTONE_CATEGORY[milestone],
                accepted_from=board.applied_from,
                accepted_to=board.day,
            )
            if board.day is not None
            else ""
        )
        rows.append(
            Row(
                labels[milestone],
                [
                    *(number(board.people(milestone, month)) for month in months),
                    number(board.people(milestone), worklist),
                    number(applied, applied_link),
                ],
            )
        )
    if board.day is None:
        note = _("No nightly snapshot yet: the figure appears after the first night of the statistics job.")
    else:
        note = _(
            "Snapshot of the night of %(day)s: who reaches the milestone from %(first)s to %(last)s, "
            "and the settlements accepted (受理) under that clause from %(applied)s to %(day)s."
        ) % {
            "day": board.day.isoformat(),
            "first": (board.day + ONE_DAY).isoformat(),
            "last": board.window_end.isoformat() if board.window_end else "",
            "applied": board.applied_from.isoformat() if board.applied_from else "",
        }
    return Figure(
        slug="pipeline",
        title=_("Reform effect: who may soon apply, and who applied"),
        clause="E1 · N1 · N2",
        note=note,
        columns=[
            *month_labels(months),
            _("Next 90 days"),
            _("Applied for in the last 90 days"),
        ],
        rows=rows if board.day is not None else [],
        chart=Chart(series="columns", columns=(len(months), len(months) + 1)),
    )


@dataclass(frozen=True)
class Dashboard:
    figures: list[Figure]
    missing: tuple[dt.date, dt.date] | None  # days left out: not rolled up yet


def dashboard_figures(scope: Scope, offices: Iterable[Office]) -> Dashboard:
    """Every figure of the dashboard, from one load of the sums."""
    town_id = scope.town.pk if scope.town is not None else None
    cubes = load_cubes(office_ids=scope.office_ids, period=scope.period, today=scope.today, town_id=town_id)
    figures = [
        settlements_figure(scope, cubes, decision="approved"),
        settlements_figure(scope, cubes, decision="rejected"),
        settled_by_household_figure(scope, cubes),
        processing_by_kind_figure(scope, cubes),
        timeliness_by_kind_figure(scope, cubes),
        processing_by_office_figure(scope, cubes, offices),
        registrations_figure(scope, cubes),
        registrations_by_town_figure(scope, cubes),
        inflow_figure(scope, cubes),
        permits_figure(scope, cubes),
        pipeline_figure(scope),
    ]
    return Dashboard(figures=figures, missing=cubes.missing)
