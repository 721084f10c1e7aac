"""N1 and N2 once per permit or lease filing, whatever date a parameter change gives them.

A permit or filing reminded twice before this rule (the months were raised after its first
reminder) keeps both rows; the later ones get their milestone prefixed with ``superseded:`` so the
constraint holds without deleting what was sent.
"""

from django.db import migrations, models


def supersede_repeats(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    seen = set()
    for row in (
        Notification.objects.filter(kind__in=["N1", "N2"])
        .exclude(milestone__startswith="superseded:")
        .order_by("milestone", "id")
        .iterator()
    ):
        key = (row.kind, row.subject_type, row.subject_id, row.recipient, row.channel)
        if key in seen:
            row.milestone = f"superseded:{row.milestone}"
            row.save(update_fields=["milestone"])
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_default_templates")]

    operations = [
        migrations.RunPython(supersede_repeats, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind__in", ("N1", "N2"))) & ~models.Q(("milestone__startswith", "superseded:")),
                fields=("kind", "subject_type", "subject_id", "recipient", "channel"),
                name="notification_once_per_subject",
            ),
        ),
    ]
