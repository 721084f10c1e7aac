"""City scale, proven rather than assumed: a keyset walk sees every row once while rows are
inserted, and the lists' own queries are served by an index on PostgreSQL (the full-size plans
are in bench/RESULTS.md; here the planner is told to avoid a sequential scan wherever an index
can do, so a Seq Scan that remains means no index serves the query)."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hukou_portal.core.lists import KeysetPaginator
from hukou_portal.people.models import Person
from tests.core import list_data
from tests.helpers import sign_in


@pytest.mark.parametrize("ordering", [("-created_at", "-id"), ("name", "id")])
def test_a_keyset_walk_sees_every_row_once_while_rows_are_inserted(offices, ordering):
    before = list_data.people(offices.yuehe, 23)
    # Spread the recording times so that new rows sort first by time but anywhere by name.
    for number, person in enumerate(before):
        Person.objects.filter(pk=person.pk).update(created_at=timezone.now() - dt.timedelta(minutes=number))
    paginator = KeysetPaginator(Person.objects.all(), 5, ordering=ordering, sort="s")
    seen: Counter[int] = Counter()
    inserted: list[int] = []
    cursor = None
    while True:
        page = paginator.page(cursor)
        seen.update(person.pk for person in page)
        # Someone records two more people between two page views.
        inserted += [p.pk for p in list_data.people(offices.yuehe, 1, name="阿")]  # sorts before every 测试
        inserted += [p.pk for p in list_data.people(offices.yuehe, 1, name="赵")]  # sorts after every 测试
        if not page.has_next():
            break
        cursor = page.next_cursor
    assert all(seen[person.pk] == 1 for person in before), "a row that was there all along was missed or repeated"
    assert max(seen.values()) == 1
    assert set(seen) - {p.pk for p in before} <= set(inserted)
    if ordering[0] == "name":
        assert set(seen) & set(inserted), "rows inserted past the cursor are reached"


# The lists' own queries: (page, role, table, the index that reads it in the list's order).
PLANNED = [
    ("/cases/", "officer", "casework_case", "case_open_by_deadline_newest"),
    ("/cases/all/?sort=reference", "officer", "casework_case", "casework_case_reference_key"),
    ("/people/?q=测试", "officer", "people_person", "person_list_by_recorded"),
    ("/people/?sort=name", "officer", "people_person", "person_by_name_in_code_order"),
    ("/permits/", "officer", "permits_residencepermit", "permit_by_issue_date"),
    ("/registration/lease-filings/", "officer", "registration_leasefiling", "lease_filing_by_date"),
    ("/audit/", "auditor", "audit_auditevent", "audit_by_time"),
    ("/audit/?action=person.viewed", "auditor", "audit_auditevent", "audit_by_action_time|audit_by_time"),
]


def _plan(query: str) -> list[str]:
    """The plan PostgreSQL picks when it may neither scan a table whole nor sort its rows
    wherever an index can spare it that: what it does at a million rows, at test size."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + query)
        return [row[0].strip().removeprefix("->").strip() for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")
@pytest.mark.parametrize(("url", "role", "table", "index"), PLANNED)
def test_a_lists_own_query_reads_its_index_in_order(staff, offices, url, role, table, index):
    # No ANALYZE here: the statistics it writes outlive the test's transaction.
    list_data.populate(offices.yuehe, staff.officer, 30)
    client = sign_in(Client(), getattr(staff, role))
    client.get(url)  # what a list keeps is read on its first view
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    main = [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"] and " LIMIT " in q["sql"]]
    assert main, f"{url}: no query of {table} with a LIMIT"
    plan = _plan(main[0])
    shown = "\n".join(plan)
    assert not [line for line in plan if line.startswith(f"Seq Scan on {table}")], shown
    assert [line for line in plan if any(f"using {name} on {table}" in line for name in index.split("|"))], shown
    # The index gives the order: at most the tie-break on the id is sorted, within equal keys.
    assert not [line for line in plan if re.match(r"Sort\s+\(", line)], shown
