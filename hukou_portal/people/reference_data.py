"""Huzhou's county-level areas and towns (RULES.md "Reference data"), from the CSV beside.

Loaded by migration people.0002 and again after every migrate or flush (post_migrate), so a
test database that was flushed has them too. Only missing rows are added: an administrator's
corrections of urban flags are never overwritten.
"""

import csv
from pathlib import Path
from typing import Any

CSV_PATH = Path(__file__).resolve().parent / "data" / "huzhou-towns.csv"


def load_towns(area_model: Any, town_model: Any, using: str = "default") -> None:
    with CSV_PATH.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            area, _ = area_model.objects.using(using).get_or_create(
                code=row["area_code"], defaults={"name": row["area_name"]}
            )
            town_model.objects.using(using).get_or_create(
                area=area,
                name=row["town"],
                defaults={"kind": row["kind"], "is_urban": row["urban_default"] == "true"},
            )


def ensure_loaded(*args: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate: add any missing area or town."""
    from django.db import connections

    from .models import Area, Town

    if "people_town" in connections[using].introspection.table_names():
        load_towns(Area, Town, using)
