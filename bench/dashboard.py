"""Benchmark: the statistics dashboard — its page and its JSON — against the same aggregates
computed from the base tables in raw SQL, on the same data, in one run.

    DATABASE_URL=postgres://hukou:hukou@127.0.0.1:5432/hukou .venv/bin/python bench/dashboard.py
    .venv/bin/python bench/dashboard.py --cases 100000 --permits 500000 --registrations 100000 --people 1000000

PostgreSQL only. Fills a throwaway database (``hukou_bench_dashboard``, removed afterwards) with
``bench/stats.py``'s generator (one year, 2025, set-based; the people registered before the
portal by COPY, their ID numbers sealed), rolls it up to 30 December, and on
31 December ("today", read live, with the reform pipeline's snapshot of that night as the
nightly job takes it) measures for a county bureau's supervisor (吴兴分局 and its two
stations), year 2025:

- ``GET /stats/?period=year`` (the page: every figure's table, rendered) and
  ``GET /stats/figures.json?period=year`` (what the charts are drawn from), through Django's test
  client with the whole middleware stack (session, second factor, CSP);
- the baseline: the same numbers from the base tables in raw SQL — cases accepted and decided per
  month, kind and office, the median and 90th percentile of working days per kind and per office
  (``percentile_disc`` over a working-day index built from the holiday calendar), overdue cases
  now, registrations per month and town, permits per month; and ``bench/stats.py``'s year totals
  of completions, conversions, endorsements, lapses and settlements by household type, and the
  registered residents and valid permits (实有人口) at the end of 30 December, the page's stock day
  (timed also without the stock, and shown);

asserts that every number of the JSON equals the raw SQL's, and exits 1 when the page or the JSON
takes more than 0.2× the baseline's time (issue 13). Not part of ``make test``: run it by hand.
"""

# ruff: noqa: S608  (the SQL below is built from integers and dates this script made, never from input)

import argparse
import datetime as dt
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hukou_portal.settings.test")

import django

django.setup()

from django.db import connection

from bench.stats import YEAR_FROM, YEAR_TO, fill, fill_residents, sql, timed, workday_index
from bench.stats import baseline as year_baseline

NOW = dt.datetime.combine(YEAR_TO, dt.time(15, 0), tzinfo=ZoneInfo("Asia/Shanghai"))
STOCK_DAY = YEAR_TO - dt.timedelta(days=1)  # the page's stock: the end of the last rolled-up day
YEAR = {"period": "year", "on": YEAR_FROM.isoformat()}


def baseline(units: dict[int, int], kinds: list[str], towns: dict[int, str], *, stock: bool = True) -> dict[str, Any]:
    """The dashboard's numbers straight from the base tables. ``units``: office id → the unit of
    the area it is counted under (the office itself or the station holding it). ``year``: the
    year's totals of the other figures (``bench/stats.py``: completions, conversions, endorsements,
    lapses, settlements by household type) and, with ``stock``, the registered residents and valid
    permits (实有人口) at the end of the page's stock day."""
    ids = ",".join(str(pk) for pk in units)
    unit_of = " ".join(f"WHEN {office} THEN {unit}" for office, unit in units.items())
    a, b = YEAR_FROM.isoformat(), YEAR_TO.isoformat()
    decided_day = "(c.decided_at AT TIME ZONE 'Asia/Shanghai')::date"
    in_year = (
        f"c.decided_at >= '{a}'::timestamp AT TIME ZONE 'Asia/Shanghai' "
        f"AND c.decided_at < ('{b}'::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'"
    )
    numbers: dict[str, Any] = {"by_kind": defaultdict(dict), "by_unit": defaultdict(dict)}

    for kind, unit, received in sql(f"""
        SELECT c.kind, CASE c.office_id {unit_of} END, count(*) FROM casework_case c
        WHERE c.office_id IN ({ids}) AND c.clock_started_on BETWEEN '{a}' AND '{b}'
        GROUP BY GROUPING SETS ((c.kind), (2))
    """):
        target = numbers["by_kind"][kind] if kind is not None else numbers["by_unit"][unit]
        target["received"] = received
    for kind, unit, approved, rejected, in_time, median, p90 in sql(f"""
        SELECT c.kind, CASE c.office_id {unit_of} END,
            count(*) FILTER (WHERE c.decision = 'approved'), count(*) FILTER (WHERE c.decision = 'rejected'),
            count(*) FILTER (WHERE {decided_day} <= c.deadline),
            percentile_disc(0.5) WITHIN GROUP (ORDER BY greatest(0, w2.idx - w1.idx - c.paused_working_days)),
            percentile_disc(0.9) WITHIN GROUP (ORDER BY greatest(0, w2.idx - w1.idx - c.paused_working_days))
        FROM casework_case c
        LEFT JOIN bench_workday w1 ON w1.day = c.clock_started_on
        LEFT JOIN bench_workday w2 ON w2.day = {decided_day}
        WHERE c.office_id IN ({ids}) AND c.decision <> '' AND {in_year}
        GROUP BY GROUPING SETS ((c.kind), (2))
    """):
        target = numbers["by_kind"][kind] if kind is not None else numbers["by_unit"][unit]
        target.update(approved=approved, rejected=rejected, within=in_time, median=median, p90=p90)
    for kind, unit, overdue in sql(f"""
        SELECT c.kind, CASE c.office_id {unit_of} END, count(*) FROM casework_case c
        WHERE c.office_id IN ({ids}) AND c.status IN ('submitted', 'in_review', 'pending_approval')
          AND c.deadline < '{b}'
        GROUP BY GROUPING SETS ((c.kind), (2))
    """):
        target = numbers["by_kind"][kind] if kind is not None else numbers["by_unit"][unit]
        target["overdue"] = overdue
    numbers["registrations"] = {
        (month, column): n
        for month, column, n in sql(f"""
            SELECT date_trunc('month', d)::date, column_name, count(*) FROM (
                SELECT r.started_on AS d, 'started' AS column_name FROM registration_residenceregistration r
                    JOIN casework_case c ON c.id = r.case_id
                    WHERE r.source = 'local' AND c.office_id IN ({ids}) AND r.started_on BETWEEN '{a}' AND '{b}'
                UNION ALL
                SELECT r.ended_on, 'ended' FROM registration_residenceregistration r
                    JOIN casework_case c ON c.id = r.case_id
                    WHERE r.source = 'local' AND c.office_id IN ({ids}) AND r.ended_on BETWEEN '{a}' AND '{b}'
            ) s GROUP BY 1, 2
        """)
    }
    numbers["towns"] = {
        (towns[town], column): n
        for town, column, n in sql(f"""
            SELECT town_id, column_name, count(*) FROM (
                SELECT r.town_id, 'started' AS column_name FROM registration_residenceregistration r
                    JOIN casework_case c ON c.id = r.case_id
                    WHERE r.source = 'local' AND c.office_id IN ({ids}) AND r.started_on BETWEEN '{a}' AND '{b}'
                UNION ALL
                SELECT r.town_id, 'ended' FROM registration_residenceregistration r
                    JOIN casework_case c ON c.id = r.case_id
                    WHERE r.source = 'local' AND c.office_id IN ({ids}) AND r.ended_on BETWEEN '{a}' AND '{b}'
            ) s GROUP BY 1, 2
        """)
    }
    numbers["permits"] = dict(
        sql(f"""
            SELECT date_trunc('month', p.issued_on)::date, count(*) FROM permits_residencepermit p
            WHERE p.office_id IN ({ids}) AND p.issued_on BETWEEN '{a}' AND '{b}' GROUP BY 1
        """)
    )
    year = year_baseline(list(units), stock=stock, stock_on=STOCK_DAY)
    numbers["year"] = {name: year[name] for name in YEAR_MEASURES if stock or name not in STOCK_MEASURES}
    return numbers


STOCK_MEASURES = ("residents_at_end", "permits_valid_at_end")
YEAR_MEASURES = (
    "completed",
    "permits_converted",
    "permits_endorsed",
    "permits_lapsed",
    "settled_by_household_type",
    *STOCK_MEASURES,
)


def from_json(
    data: dict[str, Any],
    kinds: dict[str, str],
    units: dict[str, int],
    towns: dict[str, str],
    household_types: dict[str, str],
) -> dict:
    """The same numbers read back from the dashboard's JSON (labels turned back into keys)."""
    figures = {figure["slug"]: figure for figure in data["figures"]}
    columns = {
        "processing-by-kind": ["received", "decided", "approved", "rejected", "completed", "overdue"],
        "timeliness-by-kind": [
            "decided", "within", "within_share", "supplemented", "supplement_share", "median", "p90",
        ],
        "processing-by-office": [
            "received", "decided", "completed", "within_share", "supplement_share", "median", "p90", "overdue",
        ],
    }  # fmt: skip
    numbers: dict[str, Any] = {"by_kind": {}, "by_unit": {}}
    for slug, key, labels in (
        ("processing-by-kind", "by_kind", kinds),
        ("timeliness-by-kind", "by_kind", kinds),
        ("processing-by-office", "by_unit", units),
    ):
        for row in figures[slug]["rows"]:
            values = dict(zip(columns[slug], (cell["value"] for cell in row["cells"]), strict=True))
            if any(values.get(name) for name in ("received", "decided", "overdue")):
                numbers[key].setdefault(labels[row["label"]], {}).update(values)
    months = [YEAR_FROM.replace(month=m) for m in range(1, 13)]
    registrations = figures["registrations"]["rows"]
    numbers["registrations"] = {
        (month, column): row["cells"][index]["value"]
        for column, row in (("started", registrations[0]), ("ended", registrations[1]))
        for index, month in enumerate(months)
        if row["cells"][index]["value"]
    }
    numbers["towns"] = {
        (towns[row["label"]], column): row["cells"][index]["value"]
        for row in figures["registrations-by-town"]["rows"]
        for index, column in enumerate(("started", "ended"))
        if row["cells"][index]["value"]
    }
    permits = figures["permits"]["rows"][0]["cells"]
    numbers["permits"] = {
        month: permits[index]["value"] for index, month in enumerate(months) if permits[index]["value"]
    }
    total = {row["label"]: row["cells"][-1]["value"] for row in figures["permits"]["rows"]}
    _issued, converted, endorsed, lapsed = total.values()
    by_town = [[cell["value"] for cell in row["cells"]] for row in figures["registrations-by-town"]["rows"]]
    numbers["year"] = {
        "completed": sum(numbers_of(figures["processing-by-kind"], "completed")),
        "permits_converted": converted,
        "permits_endorsed": endorsed,
        "permits_lapsed": lapsed,
        "settled_by_household_type": {
            household_types[row["label"]]: row["cells"][-1]["value"]
            for row in figures["settled-by-household"]["rows"]
            if row["cells"][-1]["value"]
        },
        "residents_at_end": sum(cells[-2] or 0 for cells in by_town),
        "permits_valid_at_end": sum(cells[-1] or 0 for cells in by_town),
    }
    return numbers


def numbers_of(figure: dict[str, Any], column: str) -> list[int]:
    """A column of a processing figure's rows (``columns`` below names them)."""
    index = ["received", "decided", "approved", "rejected", "completed", "overdue"].index(column)
    return [row["cells"][index]["value"] for row in figure["rows"]]


def comparable(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Where the JSON and the raw SQL disagree, in words (empty when every number is equal)."""
    differences = []
    for key in ("by_kind", "by_unit"):
        for name, want in expected[key].items():
            have = got[key].get(name, {})
            decided = want.get("approved", 0) + want.get("rejected", 0)
            wanted = {
                "received": want.get("received", 0),
                "decided": decided,
                "median": want.get("median"),
                "p90": want.get("p90"),
                "overdue": want.get("overdue", 0),
            }
            if key == "by_kind":  # the office figure shows shares, not these counts
                wanted.update(
                    approved=want.get("approved", 0), rejected=want.get("rejected", 0), within=want.get("within", 0)
                )
            for measure, value in wanted.items():
                if have.get(measure) != value:
                    differences.append(f"{key} {name} {measure}: dashboard {have.get(measure)} ≠ SQL {value}")
        if set(got[key]) - set(expected[key]):
            differences.append(f"{key}: the dashboard has rows the SQL has not: {set(got[key]) - set(expected[key])}")
    for key in ("registrations", "towns", "permits", "year"):
        if got[key] != expected[key]:
            differences.append(f"{key}: dashboard {got[key]} ≠ SQL {expected[key]}")
    return differences


def table_sizes() -> str:
    tables = ("people_person", "registration_residenceregistration", "permits_residencepermit", "casework_case")
    return ", ".join(f"{name} {sql(f'SELECT count(*) FROM {name}')[0][0]:,}" for name in tables)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--permits", type=int, default=500_000)
    parser.add_argument("--registrations", type=int, default=100_000, help="at most --cases (one per case)")
    parser.add_argument(
        "--people", type=int, default=1_000_000, help="residents registered before the portal (the stock)"
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("PostgreSQL only.")
        return 2

    import time_machine
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from hukou_portal.accounts.roles import Role
    from hukou_portal.casework.kinds import all_kinds
    from hukou_portal.people.models import HouseholdType, Town
    from hukou_portal.stats.models import RollupState
    from hukou_portal.stats.pipeline import snapshot_pipeline
    from hukou_portal.stats.rollups import rollup_rebuild
    from tests.helpers import make_office_tree, make_user, sign_in

    connection.settings_dict.setdefault("TEST", {})["NAME"] = "hukou_bench_dashboard"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        tree = make_office_tree()
        user = make_user(tree.wuxing, Role.SUPERVISOR, username="bench_wuxing")
        # As bench/stats.py: 织里镇 has its station; the other towns are answered for by their bureau.
        Town.objects.filter(area__code="330502", name="织里镇").update(station=tree.zhili)
        towns = {
            Town.objects.get(area__code=code, name=name).pk: name
            for code, name in (
                ("330502", "月河街道"),
                ("330502", "织里镇"),
                ("330503", "南浔镇"),
                ("330502", "八里店镇"),
            )
        }
        began = time.perf_counter()
        fill(
            cases=args.cases,
            permits=args.permits,
            registrations=min(args.registrations, args.cases),
            office_ids=[office.pk for office in tree.all()],
            town_ids=list(towns),
        )
        fill_residents(people=args.people, office_id=tree.wuxing.pk, town_ids=list(towns))
        # The generator's second kind under its registered code (the dashboard lists the registered kinds).
        sql("UPDATE casework_case SET kind = 'registration_change' WHERE kind = 'residence_change'")
        print(f"filled in {time.perf_counter() - began:.1f} s: {table_sizes()}")
        began = time.perf_counter()
        rollup_rebuild(from_day=YEAR_FROM, to_day=YEAR_TO - dt.timedelta(days=1))
        RollupState.objects.create(rolled_to=YEAR_TO - dt.timedelta(days=1))
        print(f"rolled up 364 days in {time.perf_counter() - began:.1f} s")
        snapshot_pipeline(day=YEAR_TO)  # as the nightly job leaves it: the page shows tonight's pipeline
        workday_index()
        sql("ANALYZE")

        units = {tree.wuxing.pk: tree.wuxing.pk, tree.yuehe.pk: tree.yuehe.pk, tree.zhili.pk: tree.zhili.pk}
        kind_codes = [kind.code for kind in all_kinds()]
        base_time, expected = timed(lambda: baseline(units, kind_codes, towns), args.repeat)
        counts_time, _counts = timed(lambda: baseline(units, kind_codes, towns, stock=False), args.repeat)

        client = sign_in(Client(), user)
        page_url, json_url = reverse("stats:dashboard"), reverse("stats:figures")
        with time_machine.travel(NOW, tick=False), translation.override("zh-hans"):
            client.get(page_url, YEAR)  # the session's first read

            def page() -> int:
                response = client.get(page_url, YEAR)
                assert response.status_code == 200
                return len(response.content)

            def data() -> dict[str, Any]:
                response = client.get(json_url, YEAR)
                assert response.status_code == 200
                return response.json()

            page_time, size = timed(page, args.repeat)
            json_time, got_json = timed(data, args.repeat)
            with CaptureQueriesContext(connection) as queries:
                page()
            kinds = {str(kind.label): kind.code for kind in all_kinds()}
            offices = {tree.yuehe.name: tree.yuehe.pk, tree.zhili.name: tree.zhili.pk}
            from django.utils.translation import gettext

            offices[gettext("%(office)s (own cases)") % {"office": tree.wuxing.name}] = tree.wuxing.pk
            household_types = {str(label): value for value, label in HouseholdType.choices}
            got = from_json(got_json, kinds, offices, {name: name for name in towns.values()}, household_types)

        print(f"the page ran {len(queries)} queries and is {size / 1024:.0f} KB:")
        for query in queries.captured_queries:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:110]}")
        differences = comparable(expected, got)
        for name, row in sorted(expected["by_kind"].items()):
            print(f"  {name:24} {row}")
        print(
            f"time (median of {args.repeat}): raw SQL {base_time * 1000:.1f} ms; "
            f"page {page_time * 1000:.1f} ms (ratio {page_time / base_time:.3f}); "
            f"JSON {json_time * 1000:.1f} ms (ratio {json_time / base_time:.3f}); each must be ≤ 0.2"
        )
        print(
            f"without the stock (实有人口) in the baseline: raw SQL {counts_time * 1000:.1f} ms; "
            f"page {page_time / counts_time:.3f}×, JSON {json_time / counts_time:.3f}× (shown, not a target)"
        )
        broken = [f"numbers differ: {line}" for line in differences[:20]]
        if page_time > 0.2 * base_time:
            broken.append(f"the page took {page_time / base_time:.2f}× the raw SQL (> 0.2×)")
        if json_time > 0.2 * base_time:
            broken.append(f"the JSON took {json_time / base_time:.2f}× the raw SQL (> 0.2×)")
        for line in broken:
            print("BROKEN:", line)
        if not broken:
            print("OK: equal numbers, within 0.2×")
        return 1 if broken else 0
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
