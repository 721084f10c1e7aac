"""Benchmark of the city at full size (issue 14): rows B1–B12, each against a baseline measured in the same run.

    DATABASE_URL=postgres://hukou:hukou@127.0.0.1:5432/hukou .venv/bin/python bench/city.py generate \\
        --people 1000000 --permits 500000 --filings 200000 --cases 100000 --audit 2000000
    DATABASE_URL=postgres://hukou:hukou@127.0.0.1:5432/hukou .venv/bin/python bench/city.py measure

PostgreSQL only. ``generate`` builds a database of its own (``bench_city``; replaced if it is
there): migrated, ``seed_demo`` for the offices and demo users, then filled set-based by
``bench/lists.py``'s fill (``INSERT … SELECT generate_series``; people and the audit trail by
``COPY``, ID numbers sealed and the hash chain valid, as the portal writes them), 46 % of the
people at 月河 (``--yuehe-share``: nine permits in ten are there, one per person; B4 takes its own
case in and gives it 500 events when measuring). ``measure`` reads that database,
prints one JSON object per row — ``{"name", "value", "unit", "baseline", "ratio", "goal",
"pass"}`` — and a final line ``N passed, M failed``, writes the rows and the machine's state to
``bench/RESULTS.md`` (its own section) and exits 1 when a row fails. Every figure is the median
of ``--repeat`` (≥ 5) warm runs; every baseline is measured in the same run, on the same data.
Pages are requested through Django's test ``Client`` (the whole middleware stack, no test-run
template instrumentation), signed in as the demo users. The PostgreSQL settings the run saw are
printed with the results (docs/database.md says which to set).
"""

# ruff: noqa: S608  (the SQL below is built from integers and codes this script made, never from input)

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hukou_portal.settings.test")

import django

django.setup()

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches
from django.utils import timezone

from bench import lists as city_lists

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION_START = "<!-- bench/city.py: start -->"
SECTION_END = "<!-- bench/city.py: end -->"
DATABASE = "bench_city"
HISTORY_EVENTS = 500  # B4: the events a case gains


# --- rows ----------------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    value: float
    unit: str
    baseline: float | None
    ratio: float | None
    goal: str  # "ratio <= 3", "ratio >= 10", "value <= 6", "value == baseline"
    passed: bool
    note: str = ""

    def as_json(self) -> str:
        return json.dumps(
            {
                "name": self.name,
                "value": round(self.value, 3),
                "unit": self.unit,
                "baseline": None if self.baseline is None else round(self.baseline, 3),
                "ratio": None if self.ratio is None else round(self.ratio, 3),
                "goal": self.goal,
                "pass": self.passed,
            },
            ensure_ascii=False,
        )


def ratio_row(
    name: str,
    value_s: float,
    baseline_s: float,
    *,
    most: float | None = None,
    least: float | None = None,
    note: str = "",
) -> Row:
    """A timed row: ``ratio = value / baseline`` must be at most ``most`` or, for "times faster"
    goals, ``baseline / value`` at least ``least`` (reported as that ratio)."""
    if least is not None:
        ratio = baseline_s / value_s
        goal = f"baseline / value >= {least:g}"
        return Row(name, value_s * 1000, "ms", baseline_s * 1000, ratio, goal, ratio >= least, note)
    assert most is not None
    ratio = value_s / baseline_s
    return Row(
        name, value_s * 1000, "ms", baseline_s * 1000, ratio, f"value / baseline <= {most:g}", ratio <= most, note
    )


def median_time(function: Callable[[], Any], repeat: int) -> float:
    function()  # warm
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


# --- generate ------------------------------------------------------------------------------------


def use_database(name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name


def generate(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    at_yuehe = int(args.people * args.yuehe_share)
    if args.permits * 0.9 > at_yuehe:  # bench/lists.py gives nine permits in ten to 月河, one per person
        raise SystemExit(f"--yuehe-share {args.yuehe_share}: too few people at 月河 for 90 % of the permits")
    sizes = city_lists.Sizes(
        people=at_yuehe,
        people_elsewhere=args.people - at_yuehe,
        cases=args.cases,
        audit=args.audit,
        permits=args.permits,
        leases=args.filings,
        registrations=args.registrations,
        users=args.users,
    )
    connection.settings_dict.setdefault("TEST", {})["NAME"] = args.database
    began = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    print(f"database {args.database} created and migrated in {time.perf_counter() - began:.0f} s", flush=True)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    city_lists.install_helpers()
    place = city_lists.Place.load()
    now = timezone.now()
    shapes = city_lists.event_shapes()
    for part in (0, 1):
        steps = city_lists.fill(place, sizes, part, now=now, shapes=shapes)
        print(f"half {part + 1} of 2: " + ", ".join(f"{k} {v:.0f} s" for k, v in steps.items()), flush=True)
    align_case_serials()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the planner's statistics, as after a night's autovacuum
    city_lists.check_audit_chain_sample()
    rows = city_lists.table_rows()
    print(json.dumps({"database": args.database, "rows": rows}, ensure_ascii=False))
    print(f"generated in {time.perf_counter() - began:.0f} s")
    return 0


def give_a_case_history(case: Any, events: int) -> None:
    """``events`` audit events about ``case`` in all, written by ``record`` as an officer's notes
    are (the case page's timeline reads the trail)."""
    from hukou_portal.accounts.models import User
    from hukou_portal.audit.services import record

    officer = User.objects.get(username="yuehe_officer")
    with transaction.atomic():
        for number in range(max(0, events - case.audit_events.count())):
            record(action="case.note_added", actor=officer, case=case, target=case, note=f"基准备注 {number}")


def align_case_serials() -> None:
    """Move each area's and year's case counter past the generated case numbers, so that a case
    taken in during the measurement gets the next free number (as after a data migration)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO casework_referenceserial (series, area_code, year, last_serial)
            SELECT 'case', split_part(reference, '-', 2), split_part(reference, '-', 3)::int,
                   max(split_part(reference, '-', 4)::int)
            FROM casework_case GROUP BY 2, 3
            ON CONFLICT (series, area_code, year) DO UPDATE
                SET last_serial = greatest(casework_referenceserial.last_serial, excluded.last_serial)
            """
        )


# --- the views only the benchmark has (its baselines) --------------------------------------------


def install_baseline_views() -> None:
    """Mount the baselines beside the portal's own URLs, behind the same middleware."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.shortcuts import redirect, render
    from django.template import engines
    from django.urls import include, path
    from django.views.generic import ListView

    from hukou_portal.casework.models import OPEN_STATUSES, Case
    from hukou_portal.people.id_vault import blind_index
    from hukou_portal.people.models import Person

    naive_template = engines["django"].from_string(
        """{% extends "base.html" %}{% block content %}
        <h1>案件</h1><table class="table">
        {% for case in object_list %}<tr><td><a href="/cases/{{ case.pk }}/">{{ case.reference }}</a></td>
        <td>{{ case.get_kind_display }}</td><td>{{ case.person.name }}</td><td>{{ case.get_status_display }}</td>
        <td>{{ case.deadline|default:"" }}</td><td>{{ case.assigned_officer|default:"" }}</td>
        <td>{{ case.office.name }}</td></tr>{% endfor %}</table>
        <p>第 {{ page_obj.number }} 页，共 {{ paginator.num_pages }} 页</p>{% endblock %}"""
    )

    class NaiveQueue(ListView):  # type: ignore[type-arg]
        """What a first version would write: a ListView, COUNT + OFFSET, a query per related row."""

        paginate_by = 50

        def get_queryset(self):  # type: ignore[no-untyped-def]
            return Case.objects.filter(office=self.request.user.office, status__in=OPEN_STATUSES).order_by(
                "deadline", "-created_at", "-id"
            )

        def get_template_names(self):  # type: ignore[no-untyped-def]
            return naive_template

    @login_required
    def one_insert(request):  # type: ignore[no-untyped-def]
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_one_insert (at) VALUES (now())")
        return redirect("/")

    @login_required
    def by_id_number(request):  # type: ignore[no-untyped-def]
        person = Person.objects.filter(id_number_index=blind_index(request.POST["q"])).first()
        return render(request, "base.html", {"title": person.name if person else ""})

    @login_required
    def by_reference(request):  # type: ignore[no-untyped-def]
        case = Case.objects.filter(reference=request.POST["q"]).values_list("pk", flat=True).first()
        return HttpResponse(status=302, headers={"Location": f"/cases/{case}/"})

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_one_insert (id bigserial PRIMARY KEY, at timestamptz)")
    module = types.ModuleType("bench_city_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("bench/naive-queue/", login_required(NaiveQueue.as_view())),
        path("bench/one-insert/", one_insert),
        path("bench/by-id-number/", by_id_number),
        path("bench/by-reference/", by_reference),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules["bench_city_urls"] = module
    settings.ROOT_URLCONF = "bench_city_urls"
    clear_url_caches()


# --- measuring -----------------------------------------------------------------------------------


def signed_in(username: str) -> Client:
    from hukou_portal.accounts.models import User
    from tests.helpers import sign_in

    return sign_in(Client(), User.objects.get(username=username))


def page(
    client: Client, url: str, *, post: dict[str, str] | None = None, expect: tuple[int, ...] = (200,)
) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, post) if post is not None else client.get(url)
    if response.status_code not in expect:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return [query["sql"] for query in captured.captured_queries]


def sql_floor(queries: list[str], repeat: int) -> float:
    """The page's own SELECTs run again straight on the database: the time no page can beat."""
    selects = [q for q in queries if q.lstrip().upper().startswith("SELECT")]
    return city_lists.time_sql(selects, repeat) or 0.0


def b1_b2_b3(repeat: int) -> list[Row]:
    officer = signed_in("yuehe_officer")
    rows = []
    ours = median_time(lambda: page(officer, "/cases/"), repeat)
    naive = median_time(lambda: page(officer, "/bench/naive-queue/"), repeat)
    rows.append(ratio_row("B1 queue page 1 vs a naive ListView (paginate_by=50)", ours, naive, least=10))
    queries = page(officer, "/cases/")
    rows.append(
        Row("B1 queue page 1: SQL queries", len(queries), "queries", None, None, "value <= 6", len(queries) <= 6)
    )
    floor = sql_floor(queries, repeat)
    rows.append(ratio_row("B1 queue page 1 vs its own SQL floor", ours, floor, most=3))

    target = city_lists.LIST_TARGETS[0]
    assert target.url == "/cases/"
    measured = city_lists.measure(officer, target, depth=10**9, repeat=repeat)  # the last full page
    assert measured.deep_s is not None
    rows.append(
        ratio_row(
            f"B2 queue page near the end (row {measured.depth:,} of {measured.rows:,}) vs page 1",
            measured.deep_s,
            measured.first_s,
            most=1.3,
        )
    )

    by_role = {"officer": officer, "auditor": signed_in("yuehe_auditor")}
    for target in city_lists.LIST_TARGETS:
        if target.role not in by_role or "?" in target.url or target.url in ("/cases/all/", "/cases/queue/overdue/"):
            continue
        queries = page(by_role[target.role], target.url)
        counting = [q for q in queries if "COUNT(" in q.upper() and not city_lists._badge(q)]
        spent = city_lists.time_sql(counting, repeat) or 0.0
        exact = city_lists.time_sql([f'SELECT COUNT(*) FROM "{target.table}"'], repeat) or 0.0
        rows.append(
            Row(
                f"B3 counting on {target.label} vs exact COUNT(*) of {target.table}",
                spent * 1000,
                "ms",
                exact * 1000,
                spent / exact,
                "value / baseline <= 0.05",
                spent / exact <= 0.05,
                note=f"{len(counting)} counting queries on the page",
            )
        )
    return rows


def b4(repeat: int) -> list[Row]:
    """One case's page when it is new and after it gains 500 events of history: nothing else
    differs. The case is taken in at the counter first, so it has every row its kind needs."""
    from hukou_portal.casework.models import Case
    from hukou_portal.people.models import Town

    officer = signed_in("yuehe_officer")
    town = Town.objects.get(area__code="330502", name="月河街道").pk
    response = officer.post("/cases/new/residence_declaration/", intake_post(fresh_applicants(1)[0], town))
    assert response.status_code == 302, response.status_code
    case = Case.objects.get(pk=int(response["Location"].strip("/").rsplit("/", 1)[-1]))
    url = f"/cases/{case.pk}/"
    new_events = case.audit_events.count()
    short_s, short_q = median_time(lambda: page(officer, url), repeat), len(page(officer, url))
    give_a_case_history(case, HISTORY_EVENTS)
    long_s, long_q = median_time(lambda: page(officer, url), repeat), len(page(officer, url))
    events = case.audit_events.count()
    return [
        ratio_row(f"B4 case page with {events} events vs with {new_events} (the same case)", long_s, short_s, most=1.5),
        Row(
            f"B4 case page queries with {events} events vs with {new_events}",
            long_q,
            "queries",
            short_q,
            None,
            "value == baseline",
            long_q == short_q,
        ),
        Row("B4 case page: SQL queries", short_q, "queries", None, None, "value <= 6", short_q <= 6),
    ]


def officer_office() -> int:
    from hukou_portal.accounts.models import User

    return User.objects.get(username="yuehe_officer").office_id


def b5(repeat: int) -> list[Row]:
    """The reminder sweep's finders against a loop over every permit and filing (the same
    night's milestones), and a forced rerun of a swept night against its first run."""
    from bench.reminders import naive
    from hukou_portal.notifications.models import SweepState
    from hukou_portal.notifications.selectors import MILESTONE_PARAMETERS, parameter_history_until
    from hukou_portal.notifications.services import _due_n1, _due_n2, sweep

    today = timezone.localdate()
    night = (today, today + dt.timedelta(days=1))
    history = parameter_history_until(keys=MILESTONE_PARAMETERS, as_of=night[1])

    def finders() -> int:
        return len({(d.subject_type, d.subject_id) for d in _due_n1(*night, history) + _due_n2(*night, history)})

    found, looped = finders(), naive(start=night[0], end=night[1])
    finders_s = median_time(finders, repeat)
    naive_s = median_time(lambda: naive(start=night[0], end=night[1]), max(1, repeat // 2))

    def rewind() -> None:
        for kind in ("N1", "N2", "N3", "N4"):
            SweepState.objects.update_or_create(kind=kind, defaults={"swept_to": night[0]})

    first_runs, reruns = [], []
    for _ in range(repeat):
        with transaction.atomic():
            rewind()
            began = time.perf_counter()
            sweep(as_of=night[1])
            first_runs.append(time.perf_counter() - began)
            rewind()  # forced: the same night again; everything it finds exists
            began = time.perf_counter()
            created = sweep(as_of=night[1])
            reruns.append(time.perf_counter() - began)
            assert sum(created.values()) == 0, "a rerun created reminders twice"
            transaction.set_rollback(True)  # leave the data as it was for the next round
    return [
        ratio_row(
            "B5 reminder sweep (N1+N2 finders) vs a naive loop over every row",
            finders_s,
            naive_s,
            least=30,
            note=f"that night: the finders {found} subjects, the loop {looped} milestones",
        ),
        ratio_row(
            "B5 forced rerun of a swept night vs its first run",
            statistics.median(reruns),
            statistics.median(first_runs),
            most=0.10,
        ),
    ]


def fresh_applicants(count: int, *, offset: int = 0) -> list[str]:
    """ID numbers of generated people with no case yet (the intake's applicants)."""
    from hukou_portal.people.models import Person

    rows = (
        Person.objects.filter(cases__isnull=True, name__startswith="李")
        .order_by("-id")
        .only("id", "id_number_sealed")[offset : offset + count]
    )
    return [person.id_number for person in rows]


def intake_post(id_number: str, town: int) -> dict[str, str]:
    return {
        "category": "rented",
        "applicant_id_number": id_number,
        "details-town": str(town),
        "details-address": "红旗路 1 号 101 室",
        "details-lived_since": "2026-10-01",
    }


def b8(repeat: int) -> list[Row]:
    from hukou_portal.people.models import Town

    officer = signed_in("yuehe_officer")
    town = Town.objects.get(area__code="330502", name="月河街道").pk
    applicants = iter(fresh_applicants(repeat * 2 + 2))
    intake_s = median_time(
        lambda: page(
            officer, "/cases/new/residence_declaration/", post=intake_post(next(applicants), town), expect=(302,)
        ),
        repeat,
    )
    insert_s = median_time(lambda: page(officer, "/bench/one-insert/", post={}, expect=(302,)), repeat)
    queries = page(
        officer, "/cases/new/residence_declaration/", post=intake_post(next(applicants), town), expect=(302,)
    )
    return [
        ratio_row("B8 intake POST (residence declaration) vs a one-INSERT view", intake_s, insert_s, most=3),
        Row("B8 intake POST: SQL queries", len(queries), "queries", None, None, "(reported)", True),
    ]


def b9(repeat: int) -> list[Row]:
    from hukou_portal.casework.models import Case
    from hukou_portal.people.models import Person

    officer = signed_in("yuehe_officer")
    person = Person.objects.filter(office_id=officer_office()).order_by("-id")[1234]
    reference = Case.objects.filter(office_id=officer_office()).order_by("-id").values_list("reference", flat=True)[432]
    rows = []
    for label, query, baseline_url in (
        ("full ID number", person.id_number, "/bench/by-id-number/"),
        ("case number", reference, "/bench/by-reference/"),
    ):
        ours = median_time(lambda q=query: page(officer, "/search/", post={"q": q}, expect=(302,)), repeat)
        theirs = median_time(lambda q=query, u=baseline_url: page(officer, u, post={"q": q}, expect=(200, 302)), repeat)
        rows.append(ratio_row(f"B9 search by {label} vs the unique-index lookup alone", ours, theirs, most=3))
    name = person.name[:2]
    named = median_time(lambda: page(officer, "/search/", post={"q": name}, expect=(200, 302)), repeat)
    rows.append(
        Row(f"B9 search by name ({name}…)", named * 1000, "ms", None, None, "value <= 20 ms", named * 1000 <= 20)
    )
    return rows


def b10(repeat: int) -> list[Row]:
    auditor = signed_in("yuehe_auditor")
    ours = median_time(lambda: page(auditor, "/audit/"), repeat)
    floor = sql_floor(page(auditor, "/audit/"), repeat)
    return [ratio_row("B10 audit trail page vs its own SQL floor", ours, floor, most=3)]


def b11(seconds: float, users: int) -> list[Row]:
    from bench.load import run_load
    from hukou_portal.casework.models import OPEN_STATUSES, Case

    cookies = []
    for _session in range(4):  # four sessions of 月河's officer, as four counters would hold
        client = signed_in("yuehe_officer")
        cookies.append("; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items()))
    cases = Case.objects.filter(office_id=officer_office(), status__in=OPEN_STATUSES).order_by("-id")[10:14]
    work = ["/cases/", *[f"/cases/{case.pk}/" for case in cases], "/people/?" + urlencode({"q": "王"})]
    results = run_load(
        database_url=database_url(),
        cookie_headers=cookies,
        phases={"home": ["/"], "work": work},
        users=users,
        seconds=seconds,
    )
    home, busy = results["home"], results["work"]
    errors = home["errors"] + busy["errors"]
    row = Row(
        f"B11 {users} users for {seconds:.0f} s on gunicorn: p95 of queue, case page, person search "
        "vs the home page's p95",
        busy["p95_ms"],
        "ms",
        home["p95_ms"],
        busy["p95_ms"] / home["p95_ms"],
        "value / baseline <= 2",
        busy["p95_ms"] / home["p95_ms"] <= 2 and errors == 0,
        note=f"{busy['rps']:.1f} req/s (home {home['rps']:.1f}), {errors} errors",
    )
    return [row]


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


# B12: intakes from several processes at once (each its own connection, as gunicorn's workers).


def _writer(job: tuple[str, str, list[str], int, float, str]) -> int:
    username, cookie_value, applicants, town, seconds, name = job
    from django.db import connections

    connections.close_all()
    use_database(name)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie_value
    done = 0
    deadline = time.perf_counter() + seconds
    for id_number in applicants:
        if time.perf_counter() >= deadline:
            break
        response = client.post("/cases/new/residence_declaration/", intake_post(id_number, town))
        if response.status_code != 302:
            raise RuntimeError(f"{username}: intake answered {response.status_code}")
        done += 1
    if time.perf_counter() < deadline:
        raise RuntimeError(f"{username} ran out of applicants")
    return done


def b12(seconds: float) -> list[Row]:
    from hukou_portal.people.models import Town

    stations = ["yuehe", "nanxun", "wukang", "zhicheng", "dipu", "zhili", "lianshi", "xinshi"]
    towns = {
        station: Town.objects.filter(station__users__username=f"{station}_officer").values_list("pk", flat=True).first()
        for station in stations
    }
    sessions = {
        station: signed_in(f"{station}_officer").cookies[settings.SESSION_COOKIE_NAME].value for station in stations
    }
    per_writer = int(seconds * 100)  # more than one writer can take in the time
    pool = fresh_applicants(per_writer * 9)
    audit_before = audit_head_id()

    def run(writers: int, offset: int) -> float:
        jobs = [
            (
                f"{station}_officer",
                sessions[station],
                pool[offset + k * per_writer : offset + (k + 1) * per_writer],
                towns[station] or towns["yuehe"],
                seconds,
                connection.settings_dict["NAME"],
            )
            for k, station in enumerate(stations[:writers])
        ]
        connection.close()
        context = multiprocessing.get_context("fork")
        with context.Pool(writers) as workers:
            began = time.perf_counter()
            done = sum(workers.map(_writer, jobs))
            elapsed = time.perf_counter() - began
        return done / elapsed

    one = run(1, 0)
    eight = run(8, per_writer)
    intact, checked = lanes_intact_since(audit_before)
    return [
        Row(
            "B12 intake throughput, 8 writers vs 1 writer",
            eight,
            "intakes/s",
            one,
            eight / one,
            "value / baseline >= 1.5",
            eight / one >= 1.5 and intact,
            note=f"audit chain since the run: {checked} events checked, {'intact' if intact else 'BROKEN'}",
        )
    ]


def audit_head_id() -> int:
    from hukou_portal.audit.models import AuditEvent

    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def lanes_intact_since(first_id: int) -> tuple[bool, int]:
    """Every event written since ``first_id`` links to the one before it in its lane and has the
    hash its content gives (the writers' events; the whole walk is ``audit_verify``)."""
    from hukou_portal.audit.chain import GENESIS, event_hash
    from hukou_portal.audit.models import AuditEvent

    heads: dict[int, str] = {}
    checked = 0
    for event in AuditEvent.objects.filter(pk__gt=first_id).order_by("id").iterator():
        if event.lane not in heads:
            before = AuditEvent.objects.filter(lane=event.lane, pk__lt=event.pk).order_by("-id").first()
            heads[event.lane] = before.hash if before else GENESIS
        if event.prev_hash != heads[event.lane] or event_hash(event, event.prev_hash) != event.hash:
            return False, checked
        heads[event.lane] = event.hash
        checked += 1
    return True, checked


# --- the run -------------------------------------------------------------------------------------


def machine_state() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        settings_seen = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "max_connections"):
            cursor.execute(f"SHOW {name}")
            settings_seen[name] = cursor.fetchone()[0]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.node()}: {os.cpu_count()} cores, PostgreSQL {version} on the same host "
        f"({', '.join(f'{k} {v}' for k, v in settings_seen.items())}), Python {platform.python_version()}; "
        f"load average at the end {load}"
    )


def write_results(rows: list[Row], sizes: dict[str, int], state: str, command: str, took: float) -> None:
    passed = sum(row.passed for row in rows)
    table = [
        "| row | value | baseline | ratio | goal | pass | note |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for row in rows:
        baseline = "–" if row.baseline is None else f"{row.baseline:,.1f} {row.unit}"
        ratio = "–" if row.ratio is None else f"{row.ratio:.3g}"
        table.append(
            f"| {row.name} | {row.value:,.1f} {row.unit} | {baseline} | {ratio} | {row.goal} | "
            f"{'yes' if row.passed else '**no**'} | {row.note} |"
        )
    section = "\n".join(
        [
            SECTION_START,
            "# The city at full size (issue 14: B1–B12)",
            "",
            f"`{command}`",
            "",
            f"Run on {timezone.localdate():%Y-%m-%d}, {state}. Measuring took {took:.0f} s.",
            "",
            "Rows in the database: " + ", ".join(f"{table} {count:,}" for table, count in sizes.items()) + ".",
            "",
            *table,
            "",
            f"{passed} passed, {len(rows) - passed} failed.",
            SECTION_END,
        ]
    )
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if SECTION_START in current and SECTION_END in current:
        before, rest = current.split(SECTION_START, 1)
        updated = before + section + rest.split(SECTION_END, 1)[1]
    else:
        updated = current.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(updated, encoding="utf-8")


MEASURES = ("B1", "B4", "B5", "B8", "B9", "B10", "B11", "B12")


def measure(args: argparse.Namespace) -> int:

    use_database(args.database)
    install_baseline_views()
    began = time.perf_counter()
    only = set(args.only) or set(MEASURES)
    rows: list[Row] = []
    steps: list[tuple[str, Callable[[], list[Row]]]] = [
        ("B1", lambda: b1_b2_b3(args.repeat)),
        ("B4", lambda: b4(args.repeat)),
        ("B5", lambda: b5(args.repeat)),
        ("B8", lambda: b8(args.repeat)),
        ("B9", lambda: b9(args.repeat)),
        ("B10", lambda: b10(args.repeat)),
        ("B11", lambda: b11(args.load_seconds, args.users)),
        ("B12", lambda: b12(args.write_seconds)),
    ]
    for key, step in steps:
        if key not in only:
            continue
        for row in step():
            rows.append(row)
            print(row.as_json(), flush=True)
            if row.note:
                print(f"  ({row.note})", file=sys.stderr, flush=True)
    passed = sum(row.passed for row in rows)
    print(f"{passed} passed, {len(rows) - passed} failed")
    if not args.no_write:
        command = "DATABASE_URL=… .venv/bin/python bench/city.py " + " ".join(sys.argv[1:])
        write_results(rows, city_lists.table_rows(), machine_state(), command, time.perf_counter() - began)
    return 0 if passed == len(rows) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate", help="build the data set in a database of its own")
    make.add_argument("--people", type=int, default=1_000_000)
    make.add_argument("--permits", type=int, default=500_000)
    make.add_argument("--filings", type=int, default=200_000)
    make.add_argument("--cases", type=int, default=100_000)
    make.add_argument("--audit", type=int, default=2_000_000)
    make.add_argument("--registrations", type=int, default=200_000)
    make.add_argument("--users", type=int, default=2_000)
    make.add_argument(
        "--yuehe-share",
        type=float,
        default=0.46,
        help="the share of the people at 月河 (at least 0.45 for 500,000 permits among 1,000,000 people)",
    )
    make.add_argument("--database", default=DATABASE)
    run = commands.add_parser("measure", help="measure B1–B12 on the generated data")
    run.add_argument("--database", default=DATABASE)
    run.add_argument("--repeat", type=int, default=5, help="warm runs per figure (the median is reported; at least 5)")
    run.add_argument("--only", action="append", default=[], choices=MEASURES, help="measure only these rows")
    run.add_argument("--users", type=int, default=20, help="B11: concurrent users")
    run.add_argument("--load-seconds", type=float, default=60.0, help="B11: seconds of load per phase")
    run.add_argument("--write-seconds", type=float, default=20.0, help="B12: seconds of writing per round")
    run.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("bench/city.py measures PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    if args.command == "measure" and args.repeat < 5:
        parser.error("--repeat must be at least 5")
    return generate(args) if args.command == "generate" else measure(args)


if __name__ == "__main__":
    sys.exit(main())
