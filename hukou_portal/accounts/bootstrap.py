"""The top of the office tree, as DESIGN.md fixes it: the city bureau and five county-level
bureaus. Used by ``bootstrap_offices`` (a real deployment) and ``seed_demo`` (the demo)."""

from django.db import transaction

from .models import Office
from .services import office_create

CITY = ("330500", "湖州市公安局", "330500")
COUNTIES = [
    ("330502", "湖州市公安局吴兴分局", "330502"),
    ("330503", "湖州市公安局南浔分局", "330503"),
    ("330521", "德清县公安局", "330521"),
    ("330522", "长兴县公安局", "330522"),
    ("330523", "安吉县公安局", "330523"),
]


@transaction.atomic
def ensure_city_and_counties() -> tuple[Office, list[Office]]:
    """Create the city bureau and county-level bureaus that are missing; return all six."""
    code, name, area = CITY
    city = Office.objects.filter(code=code).first() or office_create(
        actor=None, code=code, name=name, level=Office.Level.CITY, parent=None, area_code=area
    )
    counties = [
        Office.objects.filter(code=code).first()
        or office_create(actor=None, code=code, name=name, level=Office.Level.COUNTY, parent=city, area_code=area)
        for code, name, area in COUNTIES
    ]
    return city, counties
