"""The default document list of each settlement category (administrators edit it afterwards)."""

from django.db import migrations


def load(apps, schema_editor):
    from settlement.reference_data import load_default_documents

    load_default_documents(apps.get_model("settlement", "SettlementDocument"), schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("settlement", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
