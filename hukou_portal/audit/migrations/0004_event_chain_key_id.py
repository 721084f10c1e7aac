"""Each event names the HMAC key that signed it; events from before keep an empty id (legacy).

Adding a column is an ALTER TABLE, which the append-only triggers allow (they refuse UPDATE,
DELETE and TRUNCATE only); existing rows are not rewritten. SQLite adds the column by copying the
table, which drops its triggers: they are installed again right after.
"""

from django.db import migrations, models


def reinstall_guards(apps, schema_editor):
    from hukou_portal.audit import db_guards

    db_guards.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_append_only_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain_key_id",
            field=models.CharField(blank=True, default="", editable=False, max_length=16),
        ),
        migrations.RunPython(reinstall_guards, migrations.RunPython.noop),
    ]
