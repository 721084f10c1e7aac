"""The chain in lanes: each event extends the last event of its lane (existing events: lane 0,
which they already form as one line), and no lane may fork.

An ALTER TABLE, which the append-only triggers allow; no row is rewritten. SQLite adds the column
by copying the table, which drops its triggers: they are installed again right after. The index
and the constraint are built with a lock on the table (a few seconds at two million events).
"""

from django.db import migrations, models


def reinstall_guards(apps, schema_editor):
    from hukou_portal.audit import db_guards

    db_guards.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_denied_access"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="lane",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["lane", "id"], name="audit_lane_head"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("lane", "prev_hash"), name="audit_lane_links_once"),
        ),
        migrations.RunPython(reinstall_guards, migrations.RunPython.noop),
    ]
