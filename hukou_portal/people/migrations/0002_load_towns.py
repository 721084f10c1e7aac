"""Load Huzhou's five county-level areas and their towns (RULES.md "Reference data").

The CSV is a starting point: administrators correct names and urban flags in the portal.
"""

import csv
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "huzhou-towns.csv"


def load_towns(apps, schema_editor):
    Area = apps.get_model("people", "Area")
    Town = apps.get_model("people", "Town")
    with CSV_PATH.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            area, _ = Area.objects.get_or_create(code=row["area_code"], defaults={"name": row["area_name"]})
            Town.objects.get_or_create(
                area=area,
                name=row["town"],
                defaults={"kind": row["kind"], "is_urban": row["urban_default"] == "true"},
            )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(load_towns, migrations.RunPython.noop)]
