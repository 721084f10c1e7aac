"""Seed the working-day calendar from the chinese-calendar package for every year it knows.

Later years are entered and published by administrators in the portal (工作日历).
"""

from django.db import migrations


def seed(apps, schema_editor):
    import chinese_calendar

    CalendarYear = apps.get_model("rules", "CalendarYear")
    CalendarDay = apps.get_model("rules", "CalendarDay")
    years = sorted({day.year for day in chinese_calendar.holidays})
    for year in years:
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "package"})
    days = [
        CalendarDay(date=date, kind="holiday", name=str(name))
        for date, name in chinese_calendar.holidays.items()
        if date.weekday() < 5
    ] + [
        CalendarDay(date=date, kind="makeup_workday", name=str(name))
        for date, name in chinese_calendar.workdays.items()
    ]
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create([day for day in days if day.date not in existing])


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
