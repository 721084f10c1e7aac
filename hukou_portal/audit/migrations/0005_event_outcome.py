"""Each event says whether the action succeeded, was denied or failed (existing ones: succeeded).

An ALTER TABLE, which the append-only triggers allow; no row is rewritten. SQLite adds the column
by copying the table, which drops its triggers: they are installed again right after.
"""

from django.db import migrations, models


def reinstall_guards(apps, schema_editor):
    from hukou_portal.audit import db_guards

    db_guards.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_event_chain_key_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="outcome",
            field=models.CharField(
                choices=[("success", "succeeded"), ("denied", "denied"), ("failed", "failed")],
                default="success",
                max_length=8,
                verbose_name="outcome",
            ),
        ),
        migrations.RunPython(reinstall_guards, migrations.RunPython.noop),
    ]
