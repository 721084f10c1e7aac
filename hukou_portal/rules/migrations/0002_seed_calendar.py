"""Seed the working-day calendar from the chinese-calendar package for every year it knows.

Later years are entered and published by administrators in the portal (工作日历).
"""

from django.db import migrations


def seed(apps, schema_editor):
    from hukou_portal.rules.reference_data import load_package_calendar

    load_package_calendar(
        apps.get_model("rules", "CalendarYear"), apps.get_model("rules", "CalendarDay"), schema_editor.connection.alias
    )


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
