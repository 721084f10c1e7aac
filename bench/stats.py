"""Benchmark: the statistics' figures over a year, read from the daily rollups, against the same
aggregates computed from the base tables in raw SQL, on the same data, in one run.

    DATABASE_URL=postgres://hukou:hukou@127.0.0.1:5432/hukou .venv/bin/python bench/stats.py
    .venv/bin/python bench/stats.py --cases 100000 --permits 500000 --registrations 1000000

PostgreSQL only. Creates a throwaway database (``hukou_bench_stats``, removed afterwards) with the
test office tree, fills one year (2025) of cases, permits and local residence registrations
set-based (``INSERT … SELECT generate_series``) spread over the offices, rolls the year up
(``rollup_rebuild``, timed), then measures for a county bureau's user (吴兴分局 and its stations):

- ``figures()`` for 2025-01-01 … 2025-12-31 (rollups up to 30 December, 31 December live);
- the baseline: the same figures from the base tables in raw SQL (counts with FILTER, the median
  and 90th percentile of working days to decision with ``percentile_disc`` over a cumulative
  working-day index built from the holiday calendar);

asserts that every number is equal, and exits 1 when the figures take more than 0.2× the
baseline's time (DESIGN.md, "Evaluation"). Not part of ``make test``: run it by hand.
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


def fill(*, cases: int, permits: int, registrations: int, office_ids: list[int], town_id: int) -> None:
    """Set-based rows over 2025, on every office in turn. A small pool of people (their ID numbers
    sealed by the portal) is reused as applicants and holders: the figures never read them."""
    from hukou_portal.accounts.models import Office
    from hukou_portal.people import id_numbers
    from hukou_portal.people.models import Person

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
    n_offices = len(office_ids)
    # Accepted on a day of 2025; two in three decided 1–40 days later (at any minute of the day,
    # so some cross UTC midnight), some after a 补正 pause; the deadline 20 days after acceptance.
    sql(f"""
        INSERT INTO casework_case (reference, kind, category, applicant_id, office_id, status, decision,
            decided_at, rejection_reason, clock_started_on, deadline_working_days, paused_working_days,
            deadline, deadline_calendar_missing, version, created_at, updated_at)
        SELECT 'B-' || g, CASE WHEN g % 3 = 0 THEN 'residence_change' ELSE 'residence_declaration' END,
            CASE WHEN g % 2 = 0 THEN 'rented' ELSE 'owned' END,
            ({people})[(1 + g % 500)::int], ({offices})[(1 + g % {n_offices})::int],
            CASE WHEN g % 3 = 2 THEN 'in_review' WHEN g % 7 = 0 THEN 'rejected' ELSE 'approved' END,
            CASE WHEN g % 3 = 2 THEN '' WHEN g % 7 = 0 THEN 'rejected' ELSE 'approved' END,
            CASE WHEN g % 3 = 2 THEN NULL
                 ELSE (accepted + (1 + (g / 3) % 40)::int)::timestamp AT TIME ZONE 'Asia/Shanghai'
                      + make_interval(mins => ((g * 37) % 1440)::int) END,
            '', accepted, 20, CASE WHEN g % 5 = 0 THEN (g % 4)::int ELSE 0 END, accepted + 20, false, 1, now(), now()
        FROM (SELECT g, DATE '2025-01-01' + ((g * 7919) % 365)::int AS accepted
              FROM generate_series(1::bigint, {cases}) g) s
    """)
    sql(f"""
        INSERT INTO permits_residencepermit (number, holder_id, office_id, area_code, issued_on, held_since,
            endorsed_until, status, token, key_id, created_at)
        SELECT 'BP' || g, ({people})[(1 + g % 500)::int], ({offices})[(1 + g % {n_offices})::int], '330502',
            issued, issued, issued + 365, 'cancelled', 'bench', 'bench', now()
        FROM (SELECT g, DATE '2025-01-01' + ((g * 104729) % 365)::int AS issued
              FROM generate_series(1::bigint, {permits}) g) s
    """)
    # Local registrations, each made by a case of its own (one-to-one), all ended (a person has one
    # active local registration at most, and the pool is small): about half end within the year.
    sql(f"""
        INSERT INTO registration_residenceregistration (person_id, source, region_code, town_id, address,
            started_on, ended_on, case_id, created_at)
        SELECT c.applicant_id, 'local', '330502', {town_id}, '红旗路 1 号', started,
            started + (c.id % 400)::int, c.id, now()
        FROM (SELECT id, applicant_id, DATE '2025-01-01' + ((id::bigint * 31) % 365)::int AS started FROM casework_case
              ORDER BY id LIMIT {registrations}) c
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


def baseline(office_ids: list[int]) -> dict[str, Any]:
    """The figures of the year straight from the base tables, one statement per table."""
    ids = ",".join(str(pk) for pk in office_ids)
    a, b = YEAR_FROM.isoformat(), YEAR_TO.isoformat()
    decided_day = "(c.decided_at AT TIME ZONE 'Asia/Shanghai')::date"
    ((received,),) = sql(
        f"SELECT count(*) FROM casework_case c WHERE c.office_id IN ({ids}) "
        f"AND c.clock_started_on BETWEEN '{a}' AND '{b}'"
    )
    ((approved, rejected, in_time, median, p90),) = sql(f"""
        SELECT count(*) FILTER (WHERE c.decision = 'approved'), count(*) FILTER (WHERE c.decision = 'rejected'),
            count(*) FILTER (WHERE {decided_day} <= c.deadline),
            percentile_disc(0.5) WITHIN GROUP (ORDER BY greatest(0, w2.idx - w1.idx - c.paused_working_days)),
            percentile_disc(0.9) WITHIN GROUP (ORDER BY greatest(0, w2.idx - w1.idx - c.paused_working_days))
        FROM casework_case c
        LEFT JOIN bench_workday w1 ON w1.day = c.clock_started_on
        LEFT JOIN bench_workday w2 ON w2.day = {decided_day}
        WHERE c.office_id IN ({ids}) AND c.decision <> ''
          AND c.decided_at >= '{a}'::timestamp AT TIME ZONE 'Asia/Shanghai'
          AND c.decided_at < ('{b}'::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
    """)
    ((started, ended),) = sql(f"""
        SELECT count(*) FILTER (WHERE r.started_on BETWEEN '{a}' AND '{b}'),
               count(*) FILTER (WHERE r.ended_on BETWEEN '{a}' AND '{b}')
        FROM registration_residenceregistration r JOIN casework_case c ON c.id = r.case_id
        WHERE r.source = 'local' AND c.office_id IN ({ids})
    """)
    ((issued,),) = sql(
        f"SELECT count(*) FROM permits_residencepermit p WHERE p.office_id IN ({ids}) "
        f"AND p.issued_on BETWEEN '{a}' AND '{b}'"
    )
    return {
        "received": received,
        "decided_approved": approved,
        "decided_rejected": rejected,
        "decided_within_deadline": in_time,
        "median_working_days": median,
        "p90_working_days": p90,
        "registrations_started": started,
        "registrations_ended": ended,
        "permits_issued": issued,
    }


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
        town = Town.objects.get(area__code="330502", name="月河街道")
        began = time.perf_counter()
        fill(
            cases=args.cases,
            permits=args.permits,
            registrations=min(args.registrations, args.cases),
            office_ids=[office.pk for office in tree.all()],
            town_id=town.pk,
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
        base_time, expected = timed(lambda: baseline(visible), args.repeat)
        fig_time, got = timed(
            lambda: asdict(figures(user=user, period_from=YEAR_FROM, period_to=YEAR_TO, today=TODAY)), args.repeat
        )
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
        for name, value in expected.items():
            print(f"{name:28} {got[name]!s:>12} {value!s:>12}")
        print(
            f"time (median of {args.repeat}): figures() {fig_time * 1000:.1f} ms, raw SQL {base_time * 1000:.1f} ms, "
            f"ratio {fig_time / base_time:.3f} (must be ≤ 0.2)"
        )
        broken = []
        if got != expected:
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
