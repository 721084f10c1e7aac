"""Inflow by origin (E1): local registrations started per day, office, town and the origin city of
the person's ID number — against hand-counted rows; office scoping; the unknown origin; the
rollup replaced idempotently; the stored days summed and named."""

import datetime as dt
import itertools
from collections import Counter

import pytest

from hukou_portal.casework.models import Case, Status
from hukou_portal.people.models import Person, Town
from hukou_portal.stats.inflow import Origin, inflow_rows, inflow_stored, origins, rollup_inflow_day
from hukou_portal.stats.models import InflowDay
from hukou_portal.stats.rollups import day_rows, rollup_day
from registration.models import ResidenceRegistration
from tests.helpers import valid_id_number

DAY = dt.date(2025, 3, 31)
BEFORE = DAY - dt.timedelta(days=1)
_serial = itertools.count(1)


def person_from(area_code: str, office) -> Person:
    serial = next(_serial)
    person = Person(name=f"来者{serial:03d}", office=office)
    person.id_number = valid_id_number(
        address_code=area_code, birth_date=dt.date(1985, 1, 1) + dt.timedelta(days=serial), sequence=serial
    )
    person.save()
    return person


def register(
    office,
    town: Town | None,
    area_code: str,
    *,
    started_on: dt.date = DAY,
    ended_on: dt.date | None = None,
    by_case: bool = True,
    source: str = ResidenceRegistration.Source.LOCAL,
    person: Person | None = None,
) -> ResidenceRegistration:
    """A registration of a new person from ``area_code``, made by a case of ``office``."""
    person = person or person_from(area_code, office)
    case = None
    if by_case:
        case = Case.objects.create(
            reference=f"HZ-INFLOW-2025-{next(_serial):06d}",
            kind="residence_declaration",
            category="rented",
            applicant=person,
            office=office,
            status=Status.COMPLETED,
            clock_started_on=started_on,
        )
    return ResidenceRegistration.objects.create(
        person=person,
        source=source,
        region_code=town.area.code if town else "330502",
        town=town,
        address="红旗路 1 号",
        started_on=started_on,
        ended_on=ended_on,
        case=case,
    )


@pytest.fixture
def towns(db):
    return {
        "yuehe": Town.objects.get(area__code="330502", name="月河街道"),
        "zhili": Town.objects.get(area__code="330502", name="织里镇"),
        "nanxun": Town.objects.filter(area__code="330503").order_by("name").first(),
    }


@pytest.fixture
def inflow_data(offices, towns):
    """31 March 2025, hand-counted: 月河 6 started (2 合肥, 1 安徽 with no town, 1 湖州, 1 仙桃, 1
    unknown), 织里 1 (合肥), 南浔 1 (贵阳); and what must not be counted that day."""
    yuehe, zhili, nanxun = offices.yuehe, offices.zhili, offices.nanxun_station
    register(yuehe, towns["yuehe"], "340104")  # 合肥市蜀山区
    register(yuehe, towns["yuehe"], "340102")  # 合肥市瑶海区: the same city
    register(yuehe, None, "341204")  # 阜阳: a registration with no town recorded
    register(yuehe, towns["yuehe"], "330503")  # from inside Huzhou: counted as 湖州市
    register(yuehe, towns["yuehe"], "429004")  # 仙桃 (a county-level city under the province)
    unknown = register(yuehe, towns["yuehe"], "340104")
    Person.objects.filter(pk=unknown.person_id).update(origin_area="")  # not backfilled: unknown
    register(zhili, towns["zhili"], "340104")
    register(nanxun, towns["nanxun"], "520102")  # 贵阳市南明区

    # Not counted on 31 March: started the day before (and ended on the 31st), made elsewhere
    # (evidence), made without a case.
    register(yuehe, towns["yuehe"], "340104", started_on=BEFORE, ended_on=DAY)
    register(yuehe, None, "320505", source=ResidenceRegistration.Source.ELSEWHERE, by_case=False)
    register(yuehe, towns["yuehe"], "340104", by_case=False)


EXPECTED = Counter(
    {
        # (office, town, origin city): filled in with ids by ``expected``
        ("yuehe", "yuehe", "3401"): 2,
        ("yuehe", None, "3412"): 1,
        ("yuehe", "yuehe", "3305"): 1,
        ("yuehe", "yuehe", "4290"): 1,
        ("yuehe", "yuehe", ""): 1,
        ("zhili", "zhili", "3401"): 1,
        ("nanxun_station", "nanxun", "5201"): 1,
    }
)


def expected(offices, towns, *, only: tuple[str, ...] | None = None) -> Counter:
    return Counter(
        {
            (getattr(offices, office).pk, towns[town].pk if town else None, city): n
            for (office, town, city), n in EXPECTED.items()
            if only is None or office in only
        }
    )


def stored(day: dt.date = DAY) -> Counter:
    return Counter(
        {
            (office_id, town_id, city): n
            for office_id, town_id, city, n in InflowDay.objects.filter(day=day).values_list(
                "office_id", "town_id", "origin_city", "started"
            )
        }
    )


def test_inflow_rows_match_the_hand_count(inflow_data, offices, towns):
    assert inflow_rows(day=DAY) == expected(offices, towns)
    assert inflow_rows(day=BEFORE) == Counter({(offices.yuehe.pk, towns["yuehe"].pk, "3401"): 1})
    assert inflow_rows(day=DAY + dt.timedelta(days=1)) == Counter()


def test_inflow_rows_are_scoped_to_the_offices_given(inflow_data, offices, towns):
    wuxing = [offices.wuxing.pk, offices.yuehe.pk, offices.zhili.pk]
    assert inflow_rows(day=DAY, office_ids=wuxing) == expected(offices, towns, only=("yuehe", "zhili"))
    assert inflow_rows(day=DAY, office_ids=[offices.nanxun_station.pk]) == expected(
        offices, towns, only=("nanxun_station",)
    )
    assert inflow_rows(day=DAY, office_ids=[offices.wuxing.pk]) == Counter()  # the bureau made none itself
    assert inflow_rows(day=DAY, office_ids=[]) == Counter()


def test_summed_over_origins_they_are_the_registrations_started(inflow_data):
    by_place: Counter = Counter()
    for (office_id, town_id, _city), n in inflow_rows(day=DAY).items():
        by_place[(office_id, town_id)] += n
    started = {key: counts["started"] for key, counts in day_rows(day=DAY).registrations.items() if counts["started"]}
    assert by_place == Counter(started)


def test_rollup_inflow_day_stores_the_day_and_a_rerun_replaces_it(inflow_data, offices, towns):
    rollup_inflow_day(day=BEFORE)
    rollup_inflow_day(day=DAY)
    rollup_inflow_day(day=DAY)  # a rerun (or a second worker) never doubles
    assert stored() == expected(offices, towns)
    assert stored(BEFORE) == Counter({(offices.yuehe.pk, towns["yuehe"].pk, "3401"): 1})

    # A correction of the base rows, then the day rolled up again: replaced, other days untouched.
    ResidenceRegistration.objects.filter(case__office=offices.nanxun_station, started_on=DAY).delete()
    rollup_inflow_day(day=DAY)
    assert stored() == expected(offices, towns, only=("yuehe", "zhili"))
    assert stored(BEFORE) == Counter({(offices.yuehe.pk, towns["yuehe"].pk, "3401"): 1})


def test_rollup_inflow_day_stores_rows_it_is_given(offices, towns):
    rows = Counter({(offices.yuehe.pk, towns["yuehe"].pk, "3401"): 3, (offices.zhili.pk, None, ""): 0})
    assert rollup_inflow_day(day=DAY, rows=rows) is rows
    assert stored() == Counter({(offices.yuehe.pk, towns["yuehe"].pk, "3401"): 3})  # no row for a zero
    rollup_inflow_day(day=DAY, rows=Counter())
    assert not InflowDay.objects.exists()


def test_the_daily_rollup_and_the_inflow_rollup_keep_each_others_rows(inflow_data, offices, towns):
    """``rollups.rollup_day`` and ``rollup_inflow_day`` each replace their own tables' rows: in
    either order, the day's inflow rows stay right."""
    rollup_day(day=DAY)
    rollup_inflow_day(day=DAY)
    rollup_day(day=DAY)
    assert stored() == expected(offices, towns)


def test_inflow_stored_sums_the_period_for_the_offices(inflow_data, offices, towns):
    for day in (BEFORE, DAY):
        rollup_inflow_day(day=day)
    wuxing = [offices.wuxing.pk, offices.yuehe.pk, offices.zhili.pk]
    assert inflow_stored(office_ids=wuxing, first=BEFORE, last=DAY) == Counter(
        {"3401": 4, "3412": 1, "3305": 1, "4290": 1, "": 1}
    )
    assert inflow_stored(office_ids=wuxing, first=DAY, last=DAY, town_id=towns["zhili"].pk) == Counter({"3401": 1})
    assert inflow_stored(office_ids=[offices.nanxun_station.pk], first=BEFORE, last=BEFORE) == Counter()
    city = [o.pk for o in (offices.city, offices.wuxing, offices.nanxun, offices.yuehe, offices.zhili)]
    city.append(offices.nanxun_station.pk)
    assert sum(inflow_stored(office_ids=city, first=BEFORE, last=DAY).values()) == 9


def test_origins_are_named_most_first_and_the_unknown_last():
    table = origins(Counter({"": 5, "4290": 1, "3305": 1, "3401": 4, "9905": 2, "5201": 0}))
    assert table == [
        Origin("3401", "安徽省", "合肥市", 4),
        Origin("9905", "", "", 2),  # a code the data set does not know keeps its count, unnamed
        Origin("3305", "浙江省", "湖州市", 1),
        Origin("4290", "湖北省", "省直辖县级行政单位", 1),
        Origin("", "", "", 5),
    ]
    assert [origin.is_huzhou for origin in table] == [False, False, True, False, False]
