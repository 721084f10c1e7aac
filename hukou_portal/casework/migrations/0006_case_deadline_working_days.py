"""Each case keeps the processing time it was accepted with (``case_deadline_days`` per kind).

Cases accepted before this migration were counted with the working days their kind declared
(there was no parameter then); they keep exactly those, so no deadline moves.
"""

from django.db import migrations, models


def keep_the_days_counted(apps, schema_editor):
    from hukou_portal.casework.kinds import get_kind

    Case = apps.get_model("casework", "Case")
    for kind in Case.objects.filter(clock_started_on__isnull=False).values_list("kind", flat=True).distinct():
        try:
            days = get_kind(kind).deadline_working_days
        except KeyError:  # a kind no longer registered: its cases keep no count (never guessed)
            continue
        Case.objects.filter(kind=kind, clock_started_on__isnull=False, deadline_working_days__isnull=True).update(
            deadline_working_days=days
        )


class Migration(migrations.Migration):
    dependencies = [("casework", "0005_open_cases_by_deadline_index")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="deadline_working_days",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="processing time in working days"
            ),
        ),
        migrations.RunPython(keep_the_days_counted, migrations.RunPython.noop),
    ]
