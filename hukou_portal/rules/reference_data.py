"""The official working-day calendar from the chinese-calendar package, for the years it knows.

Loaded by migration rules.0002 and again after every migrate or flush (post_migrate); only
missing rows are added. A newer package release brings its new years in on the next migrate.
"""

from typing import Any


def load_package_calendar(year_model: Any, day_model: Any, using: str = "default") -> None:
    import chinese_calendar

    for year in sorted({day.year for day in chinese_calendar.holidays}):
        year_model.objects.using(using).get_or_create(year=year, defaults={"source": "package"})
    days = [
        day_model(date=date, kind="holiday", name=str(name))
        for date, name in chinese_calendar.holidays.items()
        if date.weekday() < 5
    ] + [
        day_model(date=date, kind="makeup_workday", name=str(name)) for date, name in chinese_calendar.workdays.items()
    ]
    existing = set(day_model.objects.using(using).values_list("date", flat=True))
    day_model.objects.using(using).bulk_create([day for day in days if day.date not in existing])


def ensure_loaded(*args: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    from .models import CalendarDay, CalendarYear

    if "rules_calendarday" in connections[using].introspection.table_names():
        load_package_calendar(CalendarYear, CalendarDay, using)
