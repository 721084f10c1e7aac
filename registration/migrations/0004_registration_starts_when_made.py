"""Issue 11, finding 1: a registration opened by a declaration starts on the day the declaration
was accepted (受理), not on the move-in day the applicant stated — registrations made before
this rule are corrected. Moving a start later never makes periods overlap; a period that a
change or cancellation ended before that day keeps a single day."""

from django.db import migrations


def forwards(apps, schema_editor):
    ResidenceRegistration = apps.get_model("registration", "ResidenceRegistration")
    for registration in ResidenceRegistration.objects.filter(
        source="local", case__kind="residence_declaration", case__clock_started_on__isnull=False
    ).select_related("case"):
        made_on = registration.case.clock_started_on
        if registration.ended_on is not None and registration.ended_on < made_on:
            made_on = registration.ended_on
        if registration.started_on < made_on:
            registration.started_on = made_on
            registration.save(update_fields=["started_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0005_open_cases_by_deadline_index"),
        ("registration", "0003_lived_since_as_stated"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
