"""Reference data of the rules app: the official working-day calendar (chinese-calendar package,
for the years it knows) and the defaults of every rule parameter.

Loaded by migrations and again after every migrate or flush (post_migrate); only missing rows
are added. A newer package release brings its new years in on the next migrate.
"""

from typing import Any

from .calendar import forget


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
    forget()  # bulk_create sends no post_save: the kept calendar is emptied here


def load_parameter_defaults(value_model: Any, using: str = "default") -> None:
    """RULES.md's defaults, in force from the start, for every parameter that has no value yet."""
    from .parameters import DEFAULTS_EFFECTIVE_FROM, SPECS

    for key, spec in SPECS.items():
        if not value_model.objects.using(using).filter(key=key).exists():
            value_model.objects.using(using).create(
                key=key, value=spec.default, effective_from=DEFAULTS_EFFECTIVE_FROM, reason="RULES.md default"
            )


def ensure_loaded(*args: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    from .models import CalendarDay, CalendarYear, RuleParameterValue

    tables = connections[using].introspection.table_names()
    if "rules_calendarday" in tables:
        load_package_calendar(CalendarYear, CalendarDay, using)
    if "rules_ruleparametervalue" in tables:
        load_parameter_defaults(RuleParameterValue, using)
