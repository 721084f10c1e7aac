"""Inflow by origin (E1, population movement; issue 13, notice 四(三)): the local residence
registrations (居住登记) started per day, office and town, by the origin city of the person — the
first four digits of ``Person.origin_area``, the area that issued their ID number.

Counted as ``RegistrationDay.started`` is (``rollups.day_rows``): registrations made in Huzhou by
a case (``source=local``), at the office of that case, on their ``started_on`` (a date, so the
Asia/Shanghai day with no conversion); a change of address starts a registration too. Summed
over origin cities, a day's inflow rows equal its ``RegistrationDay.started``. People from inside
Huzhou (``3305``) are counted like anyone else, so a reader sees the moves within the city; a
person whose origin is not known (``origin_area`` empty) is counted under ``""``.

``inflow_rows`` is one GROUP BY over the day's registrations joined to their person (index
``registration_list_by_start``); ``rollup_inflow_day`` stores it in ``InflowDay`` the way
``rollups.rollup_day`` stores its tables (delete that day's rows, insert, one transaction);
``inflow_stored`` sums the stored days of a period. Names of the codes: ``core.areas.origin_names``.

Registrations made elsewhere (``source=elsewhere``, region codes) are not a second origin here:
they are evidence typed in when a person claims registration time (R3.2), often months after
the local registration started, and only for Zhejiang and the recognised regions (R3.3) — a
night's count would miss what is recorded later and say "previous residence in Zhejiang or the
Yangtze River Delta" for the few who have any, not where people come from.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Substr

from hukou_portal.core.areas import origin_names
from registration.models import ResidenceRegistration

from .models import InflowDay

InflowKey = tuple[int, int | None, str]  # office, town (None: none recorded), origin city ("": unknown)

UNKNOWN_ORIGIN = ""
HUZHOU = "3305"  # 湖州市: origin inside the city


def inflow_rows(*, day: dt.date, office_ids: Iterable[int] | None = None) -> Counter[InflowKey]:
    """Local registrations started on ``day`` per (office of their case, town, origin city), for
    every office or only ``office_ids``. One query."""
    registrations = ResidenceRegistration.objects.filter(
        source=ResidenceRegistration.Source.LOCAL, case__isnull=False, started_on=day
    )
    if office_ids is not None:
        registrations = registrations.filter(case__office_id__in=list(office_ids))
    rows: Counter[InflowKey] = Counter()
    for office_id, town_id, origin_city, n in (
        registrations.annotate(origin_city=Substr("person__origin_area", 1, 4))
        .values("case__office_id", "town_id", "origin_city")
        .annotate(n=Count("id"))
        .values_list("case__office_id", "town_id", "origin_city", "n")
        .order_by()
    ):
        rows[(office_id, town_id, origin_city or UNKNOWN_ORIGIN)] += n
    return rows


@transaction.atomic
def rollup_inflow_day(*, day: dt.date, rows: Counter[InflowKey] | None = None) -> Counter[InflowKey]:
    """Replace the ``InflowDay`` rows of ``day`` with ``rows`` — ``inflow_rows(day=day)`` unless
    given; given, they must be every office's (the day's rows of every office are replaced).
    Idempotent: a rerun or a second worker never doubles a count."""
    if rows is None:
        rows = inflow_rows(day=day)
    InflowDay.objects.filter(day=day).delete()
    InflowDay.objects.bulk_create(
        InflowDay(day=day, office_id=office_id, town_id=town_id, origin_city=origin_city, started=n)
        for (office_id, town_id, origin_city), n in rows.items()
        if n > 0
    )
    return rows


def inflow_stored(
    *, office_ids: Iterable[int], first: dt.date, last: dt.date, town_id: int | None = None
) -> Counter[str]:
    """Registrations started in [first, last] at ``office_ids`` (optionally one town), per origin
    city, from the rolled-up days only (the caller reads the days after ``rolled_to`` with
    ``inflow_rows``). One grouped query."""
    stored = InflowDay.objects.filter(day__gte=first, day__lte=last, office_id__in=list(office_ids))
    if town_id is not None:
        stored = stored.filter(town_id=town_id)
    return Counter(
        dict(stored.values("origin_city").annotate(n=Sum("started")).values_list("origin_city", "n").order_by())
    )


@dataclass(frozen=True)
class Origin:
    """One origin city of an inflow table, named: ``province``/``city`` from GB/T 2260 ("" when
    the data set does not know the code), ``code`` "" for people of unknown origin."""

    code: str
    province: str
    city: str
    started: int

    @property
    def is_huzhou(self) -> bool:
        return self.code == HUZHOU


def origins(counts: Counter[str]) -> list[Origin]:
    """The origin cities of ``counts`` (origin city → registrations started), named, most first
    (ties by code), the unknown origin last."""
    named = [Origin(code, *origin_names(code), started=n) for code, n in counts.items() if n > 0]
    return sorted(named, key=lambda origin: (origin.code == UNKNOWN_ORIGIN, -origin.started, origin.code))
