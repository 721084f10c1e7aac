from django.db import migrations


def load(apps, schema_editor):
    from hukou_portal.notifications.reference_data import load_default_templates

    load_default_templates(apps.get_model("notifications", "MessageTemplate"), schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
