"""Working-day arithmetic over the editable holiday calendar. Pure once loaded.

Conventions (used by every case deadline):
- a working day is Monday to Friday unless it is a public holiday, or any day that is a
  make-up working day (调休上班日);
- ``add_working_days(start, n)`` is the n-th working day after ``start`` (start not counted);
- ``working_days_between(a, b)`` counts the working days in (a, b];
- any date in a year without a published calendar raises ``CalendarMissing``: deadlines that
  reach such a year are flagged, never guessed.

The calendar is read on nearly every page (each case's deadline) and changes a few times a year:
``load`` keeps it in the cache, which every change to a day or a year empties (``forget``, on
the change and again when its transaction commits, so no request re-caches the old days in between).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction

ONE_DAY = dt.timedelta(days=1)
CACHE_KEY = "rules.work_calendar"
CACHE_SECONDS = 60 * 60  # a backstop: every change empties it at once


class CalendarMissing(Exception):
    def __init__(self, year: int) -> None:
        super().__init__(f"No working-day calendar for {year}")
        self.year = year


@dataclass(frozen=True)
class WorkCalendar:
    known_years: frozenset[int]
    holidays: frozenset[dt.date]
    makeup_workdays: frozenset[dt.date]

    @classmethod
    def load(cls) -> "WorkCalendar":
        """The calendar as published and edited, from the cache (read from the database when
        it is not there)."""
        return cache.get_or_set(CACHE_KEY, cls.read, CACHE_SECONDS)  # type: ignore[return-value]

    @classmethod
    def read(cls) -> "WorkCalendar":
        from .models import CalendarDay, CalendarYear

        days = list(CalendarDay.objects.values_list("date", "kind"))
        return cls(
            known_years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
            holidays=frozenset(d for d, kind in days if kind == CalendarDay.Kind.HOLIDAY),
            makeup_workdays=frozenset(d for d, kind in days if kind == CalendarDay.Kind.MAKEUP_WORKDAY),
        )

    def is_working_day(self, day: dt.date) -> bool:
        if day.year not in self.known_years:
            raise CalendarMissing(day.year)
        if day in self.makeup_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        day, left = start, count
        while left > 0:
            day += ONE_DAY
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def forget(**kwargs: Any) -> None:
    """A day or a year changed: the kept calendar is stale now, and again once the change commits
    (a request between the two would have read the old days)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
