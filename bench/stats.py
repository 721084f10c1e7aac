"""Benchmark: the statistics' figures over a year, read from the daily rollups, against the same
aggregates computed from the base tables in raw SQL, on the same data, in one run.

    DATABASE_URL=postgres://hukou:hukou@127.0.0.1:5432/hukou .venv/bin/python bench/stats.py
    .venv/bin/python bench/stats.py --cases 100000 --permits 500000 --registrations 1000000

PostgreSQL only. Creates a throwaway database (``hukou_bench_stats``, removed afterwards) with the
test office tree, fills one year (2025) of cases (some completed, some after a 补正, some permit
conversions and settlements), permits (some endorsed on time, some late, some lapsed, some
ended), endorsements, local residence registrations over several towns, and the people settled
into four households of the four types, set-based (``INSERT … SELECT generate_series``) spread
over the offices; rolls the year up (``rollup_rebuild``, timed), then measures for a county
bureau's user (吴兴分局 and its stations):

- ``figures()`` for 2025-01-01 … 2025-12-31 (rollups up to 30 December, 31 December live), once
  without the stock (``stock=False``) and once with the stock per town at the end of 31 December,
  computed live;
- the baseline: the same figures from the base tables in raw SQL (counts with FILTER, the median
  and 90th percentile of working days to decision with ``percentile_disc`` over a cumulative
  working-day index built from the holiday calendar, the lapses from every endorsement period's
  end, the stock at the end of 31 December with EXISTS over the endorsement history);

asserts that every number is equal, and exits 1 when the counts take more than 0.2× the
baseline's time (DESIGN.md, "Evaluation"). The live stock is timed apart: a snapshot of the rows in
force costs about what the raw SQL's does, whatever the rollups (docs/statistics.md). Not part of
``make test``: run it by hand.
"""

# ruff: noqa: S608  (the SQL below is built from integers and dates this script made, never from input)

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hukou_portal.settings.test")

import django

django.setup()

from django.db import connection

YEAR_FROM, YEAR_TO = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
TODAY = YEAR_TO  # the last day of the period is "today": computed live


def sql(statement: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def fill(*, cases: int, permits: int, registrations: int, office_ids: list[int], town_ids: list[int]) -> None:
    """Set-based rows over 2025, on every office in turn. A small pool of people (their ID numbers
    sealed by the portal) is reused as applicants, holders and settlers: the figures never read them."""
    from hukou_portal.accounts.models import Office
    from hukou_portal.people import id_numbers
    from hukou_portal.people.models import Household, HouseholdType, Person, Town

    office = Office.objects.get(pk=office_ids[0])
    pool = Person.objects.bulk_create(
        Person(
            id_number=id_numbers.make(
                address_code="330502", birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=i), sequence=1
            ),
            name="测",
            office=office,
        )
        for i in range(500)
    )
    people = "ARRAY[" + ",".join(str(p.pk) for p in pool) + "]"
    offices = "ARRAY[" + ",".join(str(pk) for pk in office_ids) + "]"
    towns = "ARRAY[" + ",".join(str(pk) for pk in town_ids) + "]"
    n_offices, n_towns = len(office_ids), len(town_ids)
    # Accepted on a day of 2025; two in three decided 1–40 days later (at any minute of the day,
    # so some cross UTC midnight), some after a 补正 pause (and some after a 补正 answered the same
    # day: no pause); three in four of the decided completed 0–2 days later; the deadline 20 days
    # after acceptance. One in thirty is a permit conversion, one in thirty a settlement.
    sql(f"""
        INSERT INTO casework_case (reference, kind, category, applicant_id, office_id, status, decision,
            decided_at, completed_at, supplement_requests, rejection_reason, clock_started_on,
            deadline_working_days, paused_working_days, deadline, deadline_calendar_missing, version,
            created_at, updated_at)
        SELECT 'B-' || g,
            CASE WHEN g % 30 = 1 THEN 'permit_conversion' WHEN g % 30 = 4 THEN 'settlement'
                 WHEN g % 3 = 0 THEN 'residence_change' ELSE 'residence_declaration' END,
            CASE WHEN g % 2 = 0 THEN 'rented' ELSE 'owned' END,
            ({people})[(1 + g % 500)::int], ({offices})[(1 + g % {n_offices})::int],
            CASE WHEN g % 3 = 2 THEN 'in_review' WHEN g % 7 = 0 THEN 'rejected' ELSE 'approved' END,
            CASE WHEN g % 3 = 2 THEN '' WHEN g % 7 = 0 THEN 'rejected' ELSE 'approved' END,
            decided,
            CASE WHEN g % 4 <> 0 THEN decided + make_interval(days => (g % 3)::int, mins => ((g * 13) % 600)::int)
                 END,
            CASE WHEN g % 5 = 0 THEN 1 + (g % 2)::int WHEN g % 11 = 0 THEN 1 ELSE 0 END,
            '', accepted, 20, CASE WHEN g % 5 = 0 THEN (g % 4)::int ELSE 0 END, accepted + 20, false, 1, now(), now()
        FROM (SELECT g, accepted,
                CASE WHEN g % 3 = 2 THEN NULL
                     ELSE (accepted + (1 + (g / 3) % 40)::int)::timestamp AT TIME ZONE 'Asia/Shanghai'
                          + make_interval(mins => ((g * 37) % 1440)::int) END AS decided
              FROM (SELECT g, DATE '2025-01-01' + ((g * 7919) % 365)::int AS accepted
                    FROM generate_series(1::bigint, {cases}) g) a) s
    """)
    conversions = [pk for (pk,) in sql("SELECT id FROM casework_case WHERE kind = 'permit_conversion' ORDER BY id")]
    conversion_ids = "ARRAY[" + ",".join(str(pk) for pk in conversions or [0]) + "]"
    # Permits: the first 500 active (one per holder), the others ended 1–200 days after issue;
    # endorsed for 30–89 days; one in ten issued by a conversion case.
    sql(f"""
        INSERT INTO permits_residencepermit (number, holder_id, office_id, area_code, issued_on, held_since,
            endorsed_until, status, ended_on, case_id, token, key_id, created_at)
        SELECT 'BP' || g, ({people})[(1 + g % 500)::int], ({offices})[(1 + g % {n_offices})::int], '330502',
            issued, issued, issued + 30 + (g % 60)::int,
            CASE WHEN g <= 500 THEN 'active' ELSE 'cancelled' END,
            CASE WHEN g <= 500 THEN NULL ELSE issued + 1 + (g % 200)::int END,
            CASE WHEN g % 10 = 0 AND {len(conversions)} > 0
                 THEN ({conversion_ids})[(1 + g % {max(1, len(conversions))})::int] END,
            'bench', 'bench', now()
        FROM (SELECT g, DATE '2025-01-01' + ((g * 104729) % 365)::int AS issued
              FROM generate_series(1::bigint, {permits}) g) s
    """)
    # Endorsements (签注), in 2025 only: one permit in three on time (up to 19 days before its end,
    # sometimes at another office), one in three late (1–15 days after its end: it lapsed first).
    sql(f"""
        INSERT INTO permits_permitendorsement (permit_id, endorsed_on, previous_until, until, office_id,
            endorsed_by_id, created_at)
        SELECT id, endorsed_on, endorsed_until, endorsed_on + 365,
            CASE WHEN id % 7 = 0 THEN ({offices})[(1 + id % {n_offices})::int] ELSE office_id END, NULL, now()
        FROM (SELECT id, office_id, endorsed_until,
                CASE WHEN id % 3 = 0 THEN endorsed_until - (id % 20)::int
                     ELSE endorsed_until + 1 + (id % 15)::int END AS endorsed_on
              FROM permits_residencepermit WHERE id % 3 <> 2) e
        WHERE endorsed_on <= DATE '2025-12-31'
    """)
    sql("""
        UPDATE permits_residencepermit p SET endorsed_until = e.until
        FROM permits_permitendorsement e WHERE e.permit_id = p.id
    """)
    # Local registrations, each made by a case of its own (one-to-one), in the towns in turn; the
    # first 300 still in force (one per person), the others ended (about half within the year).
    sql(f"""
        INSERT INTO registration_residenceregistration (person_id, source, region_code, town_id, address,
            started_on, ended_on, case_id, created_at)
        SELECT c.applicant_id, 'local', '330502', ({towns})[(1 + c.id % {n_towns})::int], '红旗路 1 号', started,
            CASE WHEN rn > 300 THEN started + (c.id % 400)::int END, c.id, now()
        FROM (SELECT id, applicant_id, row_number() OVER (ORDER BY id) AS rn,
                DATE '2025-01-01' + ((id::bigint * 31) % 365)::int AS started
              FROM casework_case ORDER BY id LIMIT {registrations}) c
    """)
    # Settlements: each completed settlement case places 1–3 people in one of four households (one
    # per type); the third is a host recorded as registered there (not a settlement). Every
    # membership has ended since (one active membership per person), and some people joined a
    # household without a settlement case (not counted).
    town = Town.objects.get(pk=town_ids[0])
    households = Household.objects.bulk_create(
        Household(
            number=f"BH{i}",
            type=kind,
            area=town.area,
            town=town,
            address="红旗路 1 号" if kind == HouseholdType.FAMILY else "",
            address_key="红旗路1号" if kind == HouseholdType.FAMILY else "",
            unit_name="" if kind == HouseholdType.FAMILY else f"单位{i}",
            head=pool[0] if kind == HouseholdType.FAMILY else None,
            office=office,
        )
        for i, kind in enumerate(HouseholdType.values)
    )
    homes = "ARRAY[" + ",".join(str(h.pk) for h in households) + "]"
    sql(f"""
        INSERT INTO people_householdmember (household_id, person_id, relation, joined_on, join_reason, join_case_id,
            moved_in_from, left_on, leave_reason, created_at)
        SELECT ({homes})[(1 + (c.id / 30 + k) % 4)::int], ({people})[(1 + (c.id + k) % 500)::int], 'other', joined,
            CASE WHEN k = 2 THEN 'recorded' WHEN c.id % 7 = 0 THEN 'moved_in_from_elsewhere' ELSE 'settled' END,
            c.id, '', joined + 1, 'moved_to_household', now()
        FROM (SELECT id, (completed_at AT TIME ZONE 'Asia/Shanghai')::date AS joined FROM casework_case
              WHERE kind = 'settlement' AND completed_at IS NOT NULL) c,
             generate_series(0, 2) k
        WHERE k <= c.id % 3
        UNION ALL
        SELECT ({homes})[1], ({people})[(1 + g % 500)::int], 'other', DATE '2025-01-01' + (g % 365)::int,
            'moved_in', NULL, '', DATE '2025-01-02' + (g % 365)::int, 'moved_to_household', now()
        FROM generate_series(1, 1000) g
    """)
    sql("ANALYZE")


def fill_residents(*, people: int, office_id: int, town_ids: list[int]) -> None:
    """``people`` residents registered in the towns before the portal opened (as an import leaves
    them: no case), their ID numbers sealed and indexed as the portal stores them (made in Python,
    written by COPY), from several provinces; a local registration each, set-based: started on a
    day of 2019–2024, one in ten ended on a day of 2025. They are the stock per town (实有人口);
    the registrations made and ended in a period are the cases' own (``fill``)."""
    from django.utils import timezone

    from hukou_portal.people import id_numbers, id_vault
    from hukou_portal.people.models import Person

    first_id = sql("SELECT coalesce(max(id), 0) FROM people_person")[0][0]
    areas = ("330502", "330503", "341102", "320102", "510104", "410105")  # Huzhou, Anhui, Jiangsu, …
    now = timezone.now()
    columns = "name, mobile, office_id, id_number_index, id_number_sealed, id_number_key_id, origin_area, created_at"
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY people_person ({columns}, updated_at) FROM STDIN") as copy,
    ):
        for g in range(people):
            area = areas[g % len(areas)]
            number = id_numbers.make(
                address_code=area,
                birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=g % 20000),
                sequence=500 + (g // 20000) % 500,  # fill()'s applicants have sequence 1
            )
            index = id_vault.blind_index(number)
            key, sealed = id_vault.seal(number, purpose=Person.ID_NUMBER_PURPOSE, index=index)
            copy.write_row(("居民", "", office_id, index, sealed, key, area, now, now))
    towns = "ARRAY[" + ",".join(str(pk) for pk in town_ids) + "]"
    sql(f"""
        INSERT INTO registration_residenceregistration (person_id, source, region_code, town_id, address,
            started_on, ended_on, case_id, created_at)
        SELECT id, 'local', '330502', ({towns})[(1 + id % {len(town_ids)})::int], '红旗路 2 号',
            DATE '2019-01-01' + (id % 2191)::int,
            CASE WHEN id % 10 = 0 THEN DATE '2025-01-01' + ((id * 7) % 365)::int END, NULL, now()
        FROM people_person WHERE id > {first_id}
    """)
    sql("ANALYZE")


def workday_index() -> None:
    """The baseline's calendar: for each day, the working days from 1 January 2024 up to it, so
    the working days in (a, b] are index(b) − index(a) — the portal's convention."""
    from hukou_portal.rules.calendar import WorkCalendar

    calendar = WorkCalendar.load()
    rows, count, day = [], 0, dt.date(2024, 1, 1)
    while day <= dt.date(2026, 3, 31):
        count += calendar.is_working_day(day)
        rows.append((day, count))
        day += dt.timedelta(days=1)
    sql("CREATE TABLE bench_workday (day date PRIMARY KEY, idx integer NOT NULL)")
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO bench_workday VALUES (%s, %s)", rows)


def baseline(office_ids: list[int], *, stock: bool = True, stock_on: dt.date = YEAR_TO) -> dict[str, Any]:
    """The figures of the year straight from the base tables, one statement per figure group;
    with ``stock``, the stock per town at the end of ``stock_on`` (the year's last day) too."""
    ids = ",".join(str(pk) for pk in office_ids)
    a, b = YEAR_FROM.isoformat(), YEAR_TO.isoformat()
    decided_day = "(c.decided_at AT TIME ZONE 'Asia/Shanghai')::date"
    ((received,),) = sql(
        f"SELECT count(*) FROM casework_case c WHERE c.office_id IN ({ids}) "
        f"AND c.clock_started_on BETWEEN '{a}' AND '{b}'"
    )
    ((approved, rejected, in_time, after_supplement, median, p90),) = sql(f"""
        SELECT count(*) FILTER (WHERE c.decision = 'approved'), count(*) FILTER (WHERE c.decision = 'rejected'),
            count(*) FILTER (WHERE {decided_day} <= c.deadline), count(*) FILTER (WHERE c.supplement_requests > 0),
            percentile_disc(0.5) WITHIN GROUP (ORDER BY greatest(0, w2.idx - w1.idx - c.paused_working_days)),
            percentile_disc(0.9) WITHIN GROUP (ORDER BY greatest(0, w2.idx - w1.idx - c.paused_working_days))
        FROM casework_case c
        LEFT JOIN bench_workday w1 ON w1.day = c.clock_started_on
        LEFT JOIN bench_workday w2 ON w2.day = {decided_day}
        WHERE c.office_id IN ({ids}) AND c.decision <> ''
          AND c.decided_at >= '{a}'::timestamp AT TIME ZONE 'Asia/Shanghai'
          AND c.decided_at < ('{b}'::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
    """)
    ((completed,),) = sql(f"""
        SELECT count(*) FROM casework_case c WHERE c.office_id IN ({ids})
          AND c.completed_at >= '{a}'::timestamp AT TIME ZONE 'Asia/Shanghai'
          AND c.completed_at < ('{b}'::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
    """)
    ((started, ended),) = sql(f"""
        SELECT count(*) FILTER (WHERE r.started_on BETWEEN '{a}' AND '{b}'),
               count(*) FILTER (WHERE r.ended_on BETWEEN '{a}' AND '{b}')
        FROM registration_residenceregistration r JOIN casework_case c ON c.id = r.case_id
        WHERE r.source = 'local' AND c.office_id IN ({ids})
    """)
    ((issued, converted),) = sql(f"""
        SELECT count(*), count(*) FILTER (WHERE c.kind = 'permit_conversion')
        FROM permits_residencepermit p LEFT JOIN casework_case c ON c.id = p.case_id
        WHERE p.office_id IN ({ids}) AND p.replaces_id IS NULL AND p.issued_on BETWEEN '{a}' AND '{b}'
    """)
    ((endorsed,),) = sql(
        f"SELECT count(*) FROM permits_permitendorsement e WHERE e.office_id IN ({ids}) "
        f"AND e.endorsed_on BETWEEN '{a}' AND '{b}'"
    )
    # Every end of an endorsement period: the permit's current one, and the one each late
    # endorsement found over. The permit lapsed the next day if it was in force at the end of it.
    in_force = """((p.replaces_id IS NULL AND p.issued_on <= {day})
            OR (p.replaces_id IS NOT NULL AND p.created_at < ({day} + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'))
        AND (p.status = 'active' OR p.ended_on > {day})"""
    ((lapsed,),) = sql(f"""
        SELECT count(*) FROM (
            SELECT id AS permit_id, endorsed_until AS period_end FROM permits_residencepermit
            UNION ALL
            SELECT permit_id, previous_until FROM permits_permitendorsement WHERE endorsed_on > previous_until
        ) ends
        JOIN permits_residencepermit p ON p.id = ends.permit_id
        WHERE p.office_id IN ({ids}) AND ends.period_end + 1 BETWEEN '{a}' AND '{b}'
          AND {in_force.format(day="ends.period_end")}
    """)
    settled = dict(
        sql(f"""
        SELECT h.type, count(*) FROM people_householdmember m
        JOIN casework_case c ON c.id = m.join_case_id JOIN people_household h ON h.id = m.household_id
        WHERE c.kind = 'settlement' AND m.join_reason IN ('settled', 'moved_in_from_elsewhere')
          AND c.office_id IN ({ids}) AND m.joined_on BETWEEN '{a}' AND '{b}'
        GROUP BY h.type ORDER BY h.type
    """)
    )
    figures = {
        "received": received,
        "decided_approved": approved,
        "decided_rejected": rejected,
        "decided_within_deadline": in_time,
        "median_working_days": median,
        "p90_working_days": p90,
        "registrations_started": started,
        "registrations_ended": ended,
        "permits_issued": issued,
        "completed": completed,
        "decided_after_supplement": after_supplement,
        "permits_converted": converted,
        "permits_endorsed": endorsed,
        "permits_lapsed": lapsed,
        "settled": sum(settled.values()),
        "settled_by_household_type": settled,
        "residents_at_end": None,
        "permits_valid_at_end": None,
    }
    if not stock:
        return figures
    # The stock at the end of ``stock_on``, in the towns the visible offices answer for (their open
    # station's, or — with none — their county-level bureau's area's).
    b = stock_on.isoformat()
    registered = f"""r.source = 'local' AND r.town_id IS NOT NULL AND r.started_on <= '{b}'
        AND (r.ended_on IS NULL OR r.ended_on > '{b}')"""
    valid = f"""{in_force.format(day=f"DATE '{b}'")} AND p.endorsed_until >= '{b}'
        AND NOT EXISTS (SELECT 1 FROM permits_permitendorsement e
                        WHERE e.permit_id = p.id AND e.endorsed_on > '{b}' AND e.previous_until < '{b}')"""
    ((residents, with_permit),) = sql(f"""
        SELECT count(*), count(*) FILTER (WHERE EXISTS (
            SELECT 1 FROM permits_residencepermit p WHERE p.holder_id = r.person_id AND {valid}))
        FROM registration_residenceregistration r
        WHERE {registered} AND r.town_id IN (
            SELECT t.id FROM people_town t JOIN people_area area ON area.id = t.area_id
            LEFT JOIN accounts_office s ON s.id = t.station_id
            WHERE (s.id IN ({ids}) AND s.is_active)
               OR ((s.id IS NULL OR NOT s.is_active) AND area.code IN (
                   SELECT area_code FROM accounts_office WHERE id IN ({ids}) AND level = 'county' AND is_active)))
    """)
    ((unregistered,),) = sql(f"""
        SELECT count(*) FROM permits_residencepermit p WHERE p.office_id IN ({ids}) AND {valid}
          AND NOT EXISTS (SELECT 1 FROM registration_residenceregistration r
                          WHERE r.person_id = p.holder_id AND {registered})
    """)
    return {**figures, "residents_at_end": residents, "permits_valid_at_end": with_permit + unregistered}


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--permits", type=int, default=500_000)
    parser.add_argument("--registrations", type=int, default=100_000, help="at most --cases (one per case)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("PostgreSQL only.")
        return 2

    from dataclasses import asdict

    from hukou_portal.accounts.roles import Role
    from hukou_portal.people.models import Town
    from hukou_portal.stats.models import RollupState
    from hukou_portal.stats.rollups import day_rows, rollup_rebuild
    from hukou_portal.stats.selectors import figures
    from tests.helpers import make_office_tree, make_user

    connection.settings_dict.setdefault("TEST", {})["NAME"] = "hukou_bench_stats"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        tree = make_office_tree()
        user = make_user(tree.wuxing, Role.SUPERVISOR, username="bench_wuxing")
        # 织里镇 has its station; the other towns are answered for by their county-level bureau.
        Town.objects.filter(area__code="330502", name="织里镇").update(station=tree.zhili)
        towns = [
            Town.objects.get(area__code=code, name=name).pk
            for code, name in (
                ("330502", "月河街道"),
                ("330502", "织里镇"),
                ("330503", "南浔镇"),
                ("330502", "八里店镇"),
            )
        ]
        began = time.perf_counter()
        fill(
            cases=args.cases,
            permits=args.permits,
            registrations=min(args.registrations, args.cases),
            office_ids=[office.pk for office in tree.all()],
            town_ids=towns,
        )
        print(
            f"filled {args.cases} cases, {args.permits} permits, registrations in {time.perf_counter() - began:.1f} s"
        )
        began = time.perf_counter()
        rollup_rebuild(from_day=YEAR_FROM, to_day=YEAR_TO - dt.timedelta(days=1))
        RollupState.objects.create(rolled_to=YEAR_TO - dt.timedelta(days=1))
        print(f"rolled up 364 days in {time.perf_counter() - began:.1f} s")
        workday_index()
        sql("ANALYZE")

        visible = [tree.wuxing.pk, tree.yuehe.pk, tree.zhili.pk]

        def ours(stock: bool) -> dict[str, Any]:
            return asdict(figures(user=user, period_from=YEAR_FROM, period_to=YEAR_TO, today=TODAY, stock=stock))

        # The counts (their cost must not grow with the base tables) and, apart, the stock at the
        # end of today: a live snapshot over the rows in force, which costs what the raw SQL's does.
        base_time, expected = timed(lambda: baseline(visible, stock=False), args.repeat)
        fig_time, got = timed(lambda: ours(False), args.repeat)
        stock_base_time, expected_all = timed(lambda: baseline(visible), args.repeat)
        stock_fig_time, got_all = timed(lambda: ours(True), args.repeat)
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            figures(user=user, period_from=YEAR_FROM, period_to=YEAR_TO, today=TODAY)
        live = day_rows(day=TODAY, office_ids=visible)
        print(
            f"today (live): {sum(sum(c.values()) for c in live.cases.values())} case events, "
            f"{sum(live.decision_times.values())} decisions timed"
        )
        print(f"figures() ran {len(queries)} queries:")
        for query in queries.captured_queries:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:110]}")
        print(f"{'figure':28} {'figures()':>12} {'raw SQL':>12}")
        for name, value in expected_all.items():
            if isinstance(value, dict):
                for key in sorted(set(value) | set(got_all[name])):
                    print(f"{name[:16] + ' ' + key:28.28} {got_all[name].get(key)!s:>12} {value.get(key)!s:>12}")
            else:
                print(f"{name:28} {got_all[name]!s:>12} {value!s:>12}")
        print(
            f"time (median of {args.repeat}), the counts: figures() {fig_time * 1000:.1f} ms, "
            f"raw SQL {base_time * 1000:.1f} ms, ratio {fig_time / base_time:.3f} (must be ≤ 0.2)"
        )
        print(
            f"with the stock at the end of today (live): figures() {stock_fig_time * 1000:.1f} ms, "
            f"raw SQL {stock_base_time * 1000:.1f} ms, ratio {stock_fig_time / stock_base_time:.3f}"
        )
        broken = []
        if got != expected or got_all != expected_all:
            broken.append("the figures differ from the raw-SQL aggregates")
        if fig_time > 0.2 * base_time:
            broken.append(f"figures() took {fig_time / base_time:.2f}× the raw SQL (> 0.2×)")
        for line in broken:
            print("BROKEN:", line)
        return 1 if broken else 0
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
