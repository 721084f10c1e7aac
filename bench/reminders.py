"""Benchmark: the reminder sweep against a naive per-row loop, on the same data, in one run.

    DATABASE_URL=postgres://hukou:hukou@127.0.0.1:5432/hukou \
        .venv/bin/python bench/reminders.py --permits 500000 --leases 200000

Creates a throwaway database (``test_<name>``, removed afterwards), fills it with permits and
lease filings whose dates spread over five years, then for one night's window measures:
- the sweep (``notifications.services.sweep``): wall time and number of SQL queries;
- a naive loop over every active permit and filing in Python, checking each one's milestone;
and reports the ratio. It sweeps the same night at half and at full table size, to show that
the sweep's query count does not grow with the table.
"""

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hukou_portal.settings.test")

import django

django.setup()

from django.db import connection
from django.test.utils import CaptureQueriesContext

BATCH = 5000


def fill(*, permits: int, leases: int, today: dt.date, start_at: int = 0) -> None:
    from hukou_portal.accounts.models import Office
    from hukou_portal.people import id_numbers
    from hukou_portal.people.models import Person, Town
    from permits.models import ResidencePermit
    from registration.models import LeaseFiling
    from settlement.eligibility import add_months

    office = Office.objects.get(code="33050201")
    user = office.users.first()
    town = Town.objects.get(area__code="330502", name="月河街道")
    rng = random.Random(start_at)
    day0 = dt.date(1960, 1, 1)

    def person(i: int) -> Person:
        birth = day0 + dt.timedelta(days=i % 15000)
        number = id_numbers.make(address_code="330502", birth_date=birth, sequence=(i // 15000) % 1000)
        return Person(id_number=number, name="测", mobile="13900000000", office=office)

    made = 0
    while made < permits:
        n = min(BATCH, permits - made)
        people = Person.objects.bulk_create([person(start_at + made + k) for k in range(n)])
        rows = []
        for k, holder in enumerate(people):
            issued = today - dt.timedelta(days=rng.randint(0, 5 * 365))
            rows.append(
                ResidencePermit(
                    number=f"B{start_at + made + k:010d}",
                    holder=holder,
                    office=office,
                    area_code="330502",
                    issued_on=issued,
                    held_since=issued,
                    endorsed_until=add_months(issued, 12 * (1 + (today - issued).days // 365)),
                    token="bench",
                    key_id="bench",
                )
            )
        ResidencePermit.objects.bulk_create(rows)
        made += n
    tenants = list(Person.objects.filter(office=office).values_list("pk", flat=True)[:leases])
    for chunk in range(0, len(tenants), BATCH):
        rows = []
        for offset, tenant_id in enumerate(tenants[chunk : chunk + BATCH]):
            filed = today - dt.timedelta(days=rng.randint(0, 5 * 365))
            rows.append(
                LeaseFiling(
                    filing_number=f"BL{start_at}-{chunk + offset:09d}",
                    filed_on=filed,
                    town=town,
                    address="基准路",
                    is_urban=True,
                    housing="private",
                    landlord="房东",
                    tenant_id=tenant_id,
                    term_start=filed,
                    term_end=filed + dt.timedelta(days=730),
                    office=office,
                    recorded_by=user,
                )
            )
        LeaseFiling.objects.bulk_create(rows)


def naive(*, start: dt.date, end: dt.date) -> int:
    """The per-row loop the sweep replaces: look at every permit and filing."""
    from hukou_portal.rules.selectors import parameters_in_force
    from permits.models import ResidencePermit
    from registration.models import LeaseFiling
    from settlement.eligibility import add_months

    params = parameters_in_force(end)
    due = 0
    for issued_on in ResidencePermit.objects.filter(status="active").values_list("issued_on", flat=True).iterator(2000):
        if start < add_months(issued_on, params["permit_holding_min_months"]) <= end:
            due += 1
    for filed_on in LeaseFiling.objects.values_list("filed_on", flat=True).iterator(2000):
        if start < add_months(filed_on, params["lease_filing_min_months"]) <= end:
            due += 1
    return due


def measure(label: str, function) -> tuple[float, int, object]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - began
    print(f"{label:<34} {elapsed:8.3f} s  {len(queries):5d} queries  -> {result}")
    return elapsed, len(queries), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--permits", type=int, default=500_000)
    parser.add_argument("--leases", type=int, default=200_000)
    args = parser.parse_args()

    from django.core.management import call_command

    from hukou_portal.notifications.models import Notification, SweepState
    from hukou_portal.notifications.selectors import MILESTONE_PARAMETERS, parameter_history_until
    from hukou_portal.notifications.services import _due_n1, _due_n2, sweep

    # Its own throwaway database, never the one the test suite uses.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        str(Path(tempfile.gettempdir()) / "hukou-bench.sqlite3") if connection.vendor == "sqlite" else "hukou_bench"
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        today = dt.date(2026, 12, 1)
        night = (today, today + dt.timedelta(days=1))

        def reset() -> None:
            Notification.objects.filter(subject_type__in=["permit", "lease_filing"]).delete()
            for kind in ("N1", "N2", "N3", "N4"):
                SweepState.objects.update_or_create(kind=kind, defaults={"swept_to": night[0]})

        half_p, half_l = args.permits // 2, args.leases // 2
        began = time.perf_counter()
        fill(permits=half_p, leases=half_l, today=today, start_at=1_000_000)
        print(f"filled {half_p} permits and {half_l} filings in {time.perf_counter() - began:.1f} s")
        reset()
        _t, half_queries, _ = measure("sweep of one night, half table", lambda: sweep(as_of=night[1]))

        began = time.perf_counter()
        fill(permits=args.permits - half_p, leases=args.leases - half_l, today=today, start_at=3_000_000)
        print(f"filled to {args.permits} permits and {args.leases} filings in {time.perf_counter() - began:.1f} s")
        reset()
        naive_time, _naive_queries, naive_due = measure(
            "naive per-row loop, same night", lambda: naive(start=night[0], end=night[1])
        )
        history = parameter_history_until(keys=MILESTONE_PARAMETERS, as_of=night[1])
        find_time, find_queries, found = measure(
            "sweep's N1+N2 finders, same night",
            lambda: len({(d.subject_type, d.subject_id) for d in _due_n1(*night, history) + _due_n2(*night, history)}),
        )
        sweep_time, full_queries, _created = measure(
            "whole sweep (N1-N4, inserts), same night", lambda: sweep(as_of=night[1])
        )
        subjects = Notification.objects.filter(kind__in=["N1", "N2"]).values("subject_type", "subject_id").distinct()
        print()
        print(
            f"ratio naive loop / sweep's finders (the same work: N1+N2 due that night): {naive_time / find_time:.1f}x"
        )
        print(
            "ratio naive loop / whole sweep (which also finds N3, N4 and inserts every row): "
            f"{naive_time / sweep_time:.1f}x"
        )
        print(f"queries: naive loop streams every row; finders {find_queries}")
        print(f"sweep queries at half and at full table size: {half_queries} and {full_queries}")
        print("  (a kind with reminders due adds three queries: staff, existing rows, insert; the table size none)")
        print(f"N1+N2 milestones that night: naive loop {naive_due}, finders {found}, sweep {subjects.count()}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
