"""Database triggers that refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) of audit events."""

from django.db import migrations


def install(apps, schema_editor):
    from hukou_portal.audit import db_guards

    db_guards.install(schema_editor.connection)


def remove(apps, schema_editor):
    from hukou_portal.audit import db_guards

    db_guards.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [migrations.RunPython(install, remove)]
