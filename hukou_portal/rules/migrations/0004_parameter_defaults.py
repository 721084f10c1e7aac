"""RULES.md's defaults are in force right after migrate (a real deployment never runs the demo)."""

from django.db import migrations


def defaults(apps, schema_editor):
    from hukou_portal.rules.reference_data import load_parameter_defaults

    load_parameter_defaults(apps.get_model("rules", "RuleParameterValue"), schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_rule_parameters")]

    operations = [migrations.RunPython(defaults, migrations.RunPython.noop)]
