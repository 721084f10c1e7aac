"""Load Huzhou's five county-level areas and their towns (RULES.md "Reference data").

The CSV is a starting point: administrators correct the urban flags in the portal.
"""

from django.db import migrations


def load_towns(apps, schema_editor):
    from hukou_portal.people.reference_data import load_towns

    load_towns(apps.get_model("people", "Area"), apps.get_model("people", "Town"), schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(load_towns, migrations.RunPython.noop)]
