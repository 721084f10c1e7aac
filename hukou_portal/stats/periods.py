"""The dashboard's period: a calendar month, quarter or year around a day, or any range.

Days are Asia/Shanghai calendar days (the rollups' days). A period is shown a month per column,
so a custom range is limited to ``MAX_CUSTOM_MONTHS`` months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_CUSTOM_MONTHS = 36


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    YEAR = "year", gettext_lazy("Year")
    CUSTOM = "custom", gettext_lazy("Custom range")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    return add_months(day, 1) - dt.timedelta(days=1)


def month_label(month: dt.date) -> str:
    return _("%(year)d-%(month)02d") % {"year": month.year, "month": month.month}


def month_labels(months: list[dt.date]) -> list[str]:
    """Column headings for ``months``: the month alone (3月) when they are several months of one
    year (the period's label names the year), else with the year (2025年3月)."""
    if len(months) > 1 and len({month.year for month in months}) == 1:
        return [_("month %(month)d") % {"month": month.month} for month in months]
    return [month_label(month) for month in months]


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date

    @classmethod
    def around(cls, kind: str, day: dt.date) -> Period:
        """The month, quarter or year that holds ``day``."""
        if kind == PeriodKind.YEAR:
            return cls(kind, dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
        if kind == PeriodKind.QUARTER:
            first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
            return cls(kind, first, month_end(add_months(first, 2)))
        return cls(PeriodKind.MONTH, month_start(day), month_end(day))

    @property
    def months(self) -> list[dt.date]:
        """The first day of every month the period touches, in order."""
        months, month = [], month_start(self.start)
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months

    def month_bounds(self, month: dt.date) -> tuple[dt.date, dt.date]:
        """The part of ``month`` inside the period (a custom range may cut its first and last)."""
        return max(self.start, month), min(self.end, month_end(month))

    def step(self, direction: int) -> Period | None:
        """The period before (-1) or after (+1); None for a custom range."""
        if self.kind == PeriodKind.CUSTOM:
            return None
        months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[PeriodKind(self.kind)]
        return Period.around(self.kind, add_months(self.start, direction * months))

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return _("%(year)d") % {"year": self.start.year}
        if self.kind == PeriodKind.QUARTER:
            return _("Q%(quarter)d %(year)d") % {"year": self.start.year, "quarter": (self.start.month - 1) // 3 + 1}
        if self.kind == PeriodKind.MONTH:
            return month_label(self.start)
        return _("%(start)s to %(end)s") % {"start": self.start.isoformat(), "end": self.end.isoformat()}
