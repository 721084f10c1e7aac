"""Benchmark: every list page and the header search at city scale, keyset against OFFSET, in one run.

    DATABASE_URL=postgres://hukou:hukou@127.0.0.1:5432/hukou .venv/bin/python bench/lists.py

PostgreSQL only. Creates a throwaway database (``bench_lists``, dropped afterwards), runs
``seed_demo`` for the offices and the demo users, then fills it set-based (``INSERT … SELECT
generate_series``; the audit trail by ``COPY`` with a valid hash chain, since its rows may only
be inserted; people by ``COPY`` too, their ID numbers sealed as the portal seals them) in two
halves. Defaults: 400,000 people at 月河 and 100,000 elsewhere, 100,000 cases (85% at 月河,
every state, kind and deadline), 1,000,000 audit events, 200,000 permits, 200,000 lease
filings, 200,000 residence registrations, 2,000 users. ``--scale 0.1`` for a quick run. At
half and at full size it requests each list page through Django's test ``Client``, signed in
as a 月河 officer, supervisor, auditor or administrator, and measures:

- the wall time (median of ``--repeat`` runs) of page 1 and of a deep page (the cursor of the
  row ``--depth`` rows down the list's order), and their ratio (keyset: about 1);
- the baseline, in the same run: the same view with the same queryset paged by Django's
  ``Paginator`` (``COUNT(*)`` + ``OFFSET``) at the same row; the deep page must show the same rows;
- the SQL queries of each page: as many at half as at full size, as many deep as on page 1, and
  never a ``COUNT(`` or an ``OFFSET`` (the header's unread-reminder badge excepted, as in
  ``tests/core/test_lists.py``);
- at full size, ``EXPLAIN ANALYZE`` of every query of the page: no Seq Scan over a table of more
  than 10,000 rows, no sort spilled to disk; the main query's plan is summarised;
- the header search (POST): a full case number, a serial tail, a name prefix, a full ID number.

It prints a table, writes it to ``bench/RESULTS.md`` (its own section; ``--no-write`` to skip)
and exits 1 when a rule is broken. Not part of ``make test``: run it by hand.
"""

# ruff: noqa: S608  (the SQL below is built from integers and codes this script made, never from input)

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hukou_portal.settings.test")

import django

django.setup()

from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hukou_portal.core import lists

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION_START = "<!-- bench/lists.py: start -->"
SECTION_END = "<!-- bench/lists.py: end -->"
BIG_TABLE_ROWS = 10_000  # a Seq Scan over a table larger than this breaks the rules
DEEP_OVER_FIRST_MAX = 3.0
SERIAL_FROM = 1000  # generated case serials start here, clear of the demo's cases
VIEW_MODULES = (
    "hukou_portal.casework.views",
    "hukou_portal.people.views",
    "permits.views",
    "registration.views",
    "hukou_portal.accounts.views",
    "hukou_portal.audit.views",
)

# Common surnames, most common first: a name's first character is drawn with a skew to the
# front, so 王 starts about one name in ten, as in Zhejiang.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞斌宇浩凯文辉力健建国志新海波鑫晨欣怡佳琪雪婷嘉子涵"
)


# --- sizes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    people: int  # at 月河
    people_elsewhere: int
    cases: int
    audit: int
    permits: int
    leases: int
    registrations: int
    users: int

    def scaled(self, factor: float) -> Sizes:
        return Sizes(**{name: max(60, int(value * factor)) for name, value in self.__dict__.items()})

    def describe(self) -> str:
        return (
            f"{self.people:,} people at 月河 and {self.people_elsewhere:,} elsewhere, {self.cases:,} cases, "
            f"{self.audit:,} audit events, {self.permits:,} permits, {self.leases:,} lease filings, "
            f"{self.registrations:,} registrations, {self.users:,} users"
        )


DEFAULT_SIZES = Sizes(
    people=400_000,
    people_elsewhere=100_000,
    cases=100_000,
    audit=1_000_000,
    permits=200_000,
    leases=200_000,
    registrations=200_000,
    users=2_000,
)


def halves(total: int, part: int) -> tuple[int, int]:
    """The [lo, hi) range of rows the half ``part`` (0 or 1) adds."""
    middle = total // 2
    return (0, middle) if part == 0 else (middle, total)


# --- filling the database -----------------------------------------------------------------------


def sql(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


def has_table(name: str) -> bool:
    return scalar(f"SELECT to_regclass('{name}') IS NOT NULL") is True


def scalar(statement: str) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(statement)
        row = cursor.fetchone()
    return row[0] if row else None


def pg_array(values: list[Any]) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" if isinstance(v, str) else str(int(v)) for v in values) + "]"


@dataclass
class Place:
    """The ids the fill refers to: offices, towns, users, groups."""

    yuehe: int
    others: list[int]  # every other station
    yuehe_town: int
    other_towns: list[int]
    officer: int  # yuehe_officer
    supervisor: int
    seeded_people: int  # the demo's people (they have permits and registrations already)
    yuehe_officers: list[int] = field(default_factory=list)  # generated counter officers at 月河

    @classmethod
    def load(cls) -> Place:
        from hukou_portal.accounts.models import Office, User
        from hukou_portal.people.models import Town

        yuehe = Office.objects.get(code="33050201")
        return cls(
            yuehe=yuehe.pk,
            others=list(
                Office.objects.filter(level=Office.Level.STATION).exclude(pk=yuehe.pk).values_list("pk", flat=True)
            ),
            yuehe_town=Town.objects.get(area__code="330502", name="月河街道").pk,
            other_towns=list(Town.objects.exclude(area__code="330502").values_list("pk", flat=True)[:20]),
            officer=User.objects.get(username="yuehe_officer").pk,
            supervisor=User.objects.get(username="yuehe_supervisor").pk,
            seeded_people=scalar("SELECT coalesce(max(id), 0) FROM people_person"),
        )


def install_helpers() -> None:
    """SQL functions for the fill (this database is thrown away afterwards)."""
    sql(
        f"""
        CREATE OR REPLACE FUNCTION bench_name() RETURNS text VOLATILE LANGUAGE sql AS $$
            SELECT substr('{SURNAMES}', 1 + floor(power(random(), 2) * {len(SURNAMES)})::int, 1)
                || substr('{GIVEN}', 1 + floor(random() * {len(GIVEN)})::int, 1)
                || CASE WHEN random() < 0.6 THEN substr('{GIVEN}', 1 + floor(random() * {len(GIVEN)})::int, 1)
                   ELSE '' END
        $$;
        """
    )


def name_like_bench_name(rng: Any) -> str:
    """``bench_name()`` in Python, for rows written by COPY."""
    given = GIVEN[int(rng.random() * len(GIVEN))]
    if rng.random() < 0.6:
        given += GIVEN[int(rng.random() * len(GIVEN))]
    return SURNAMES[int(rng.random() ** 2 * len(SURNAMES))] + given


def fill_users(place: Place, total: int, part: int) -> None:
    """Staff: 15% at 月河 (counter officers, one in ten also a supervisor), the rest spread over
    the other stations."""
    lo, hi = halves(total, part)
    yuehe_share = max(1, total * 15 // 100)
    sql(
        f"""
        INSERT INTO accounts_user (password, is_superuser, username, email, is_staff, is_active, date_joined,
                                   full_name, office_id, is_demo, must_change_password, authz_version)
        SELECT '!', false, 'staff' || lpad(g::text, 6, '0'), '', false, g % 50 <> 0, now(), bench_name(),
               CASE WHEN g < {yuehe_share} THEN {place.yuehe}
                    ELSE ({pg_array(place.others)})[1 + g % {len(place.others)}] END, false, false, 0
        FROM generate_series({lo}, {hi - 1}) g
        """
    )
    sql(
        """
        INSERT INTO accounts_user_groups (user_id, group_id)
        SELECT u.id, grp.id FROM accounts_user u JOIN auth_group grp
            ON grp.name = 'counter_officer' OR (grp.name = 'supervisor' AND u.id % 10 = 0)
        WHERE u.username LIKE 'staff%' AND NOT EXISTS (SELECT 1 FROM accounts_user_groups ug WHERE ug.user_id = u.id)
        """
    )
    place.yuehe_officers = [
        row
        for (row,) in _rows(
            f"SELECT id FROM accounts_user WHERE office_id = {place.yuehe} AND username LIKE 'staff%' ORDER BY id"
        )
    ] or [place.officer]


def _rows(statement: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement)
        return list(cursor.fetchall())


def fill_people(place: Place, sizes: Sizes, part: int) -> None:
    """People at 月河 and elsewhere: valid ID numbers (unique by row number), stored as the portal
    stores them — sealed and indexed (people.id_vault), so made in Python and written by COPY —
    common surnames, recorded at random moments over five years. Then the lookup tables the
    other fills join on (person by row number, per side)."""
    import random

    from hukou_portal.people import id_numbers, id_vault
    from hukou_portal.people.models import Person

    rng = random.Random(1000 + part)
    now = timezone.now()
    columns = (
        "id_number_index, id_number_sealed, id_number_key_id, name, mobile, office_id, created_at, updated_at,"
        " origin_area"
    )
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f"COPY people_person ({columns}) FROM STDIN") as copy:
        for lo_total, total, office in ((0, sizes.people, "yuehe"), (sizes.people, sizes.people_elsewhere, "other")):
            lo, hi = halves(total, part)
            area = "330502" if office == "yuehe" else "330503"
            for g in range(lo_total + lo, lo_total + hi):
                birth = dt.date(1950, 1, 1) + dt.timedelta(days=g % 20000)
                number = id_numbers.make(address_code=area, birth_date=birth, sequence=(g // 20000) % 1000)
                index = id_vault.blind_index(number)
                key, sealed = id_vault.seal(number, purpose=Person.ID_NUMBER_PURPOSE, index=index)
                office_id = place.yuehe if office == "yuehe" else place.others[g % len(place.others)]
                recorded = now - dt.timedelta(seconds=rng.random() * 1825 * 86400)
                name = name_like_bench_name(rng)
                copy.write_row(
                    (index, sealed, key, name, f"139{g % 100000000:08d}", office_id, recorded, recorded, area)
                )
    if has_table("people_personoffice"):  # the office that recorded each person has served them
        sql(
            f"""
            INSERT INTO people_personoffice (person_id, office_id, first_at, first_via, last_at, last_via)
            SELECT id, office_id, created_at, 'recorded', created_at, 'recorded' FROM people_person p
            WHERE id > {place.seeded_people}
              AND NOT EXISTS (SELECT 1 FROM people_personoffice po WHERE po.person_id = p.id)
            """
        )
    sql("DROP TABLE IF EXISTS bench_yuehe; DROP TABLE IF EXISTS bench_other")
    sql(
        f"""
        CREATE TEMP TABLE bench_yuehe AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id FROM people_person
            WHERE office_id = {place.yuehe} AND id > {place.seeded_people};
        CREATE TEMP TABLE bench_other AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id, office_id FROM people_person
            WHERE office_id <> {place.yuehe} AND id > {place.seeded_people};
        CREATE UNIQUE INDEX ON bench_yuehe (rn);
        CREATE UNIQUE INDEX ON bench_other (rn);
        ANALYZE bench_yuehe; ANALYZE bench_other;
        """
    )


def _person_join(g: str, *, distinct: bool) -> str:
    """A person for row ``g``: nine in ten at 月河. ``distinct`` gives every row its own person
    (permits and registrations: one active each)."""
    if distinct:
        yuehe_rn = f"({g} - ({g} + 9) / 10)"
        other_rn = f"({g} / 10)"
    else:
        yuehe_rn = other_rn = f"({g} * 7919)"
    return f"""
        LEFT JOIN bench_yuehe y ON {g} % 10 <> 0 AND y.rn = {yuehe_rn} % (SELECT count(*) FROM bench_yuehe)
        LEFT JOIN bench_other o ON {g} % 10 = 0 AND o.rn = {other_rn} % (SELECT count(*) FROM bench_other)
    """


def fill_cases(place: Place, total: int, part: int) -> None:
    """Cases of every kind and state: open ones (approved and rejected ones too, until they are
    completed) opened in the last 40 days with a deadline 28 days after acceptance, so some are
    overdue and some due within days; completed and withdrawn ones over three years.
    Numbers HZ-<area>-<year>-<serial>, serials per area and year."""
    from hukou_portal.casework.kinds import all_kinds

    pairs = [(kind.code, category.code) for kind in all_kinds() for category in kind.categories]
    kinds, categories = [k for k, _ in pairs], [c for _, c in pairs]
    lo, hi = halves(total, part)
    at_yuehe = "(g % 100) < 85"
    sql(
        f"""
        WITH base AS (
            SELECT g, random() AS rs, random() AS rk, random() AS rt, random() AS ro
            FROM generate_series({lo}, {hi - 1}) g
        ), shaped AS (
            SELECT b.*, CASE
                WHEN rs < 0.05 THEN 'draft' WHEN rs < 0.20 THEN 'submitted' WHEN rs < 0.35 THEN 'in_review'
                WHEN rs < 0.40 THEN 'supplement_requested' WHEN rs < 0.50 THEN 'pending_approval'
                WHEN rs < 0.55 THEN 'approved' WHEN rs < 0.58 THEN 'rejected' WHEN rs < 0.93 THEN 'completed'
                ELSE 'withdrawn' END AS status
            FROM base b
        ), timed AS (
            SELECT s.*, CASE WHEN status IN ('completed', 'withdrawn')
                             THEN now() - interval '1 day' * (40 + rt * 1000)
                             ELSE now() - interval '1 day' * (rt * 40) END AS opened
            FROM shaped s
        )
        INSERT INTO casework_case (reference, kind, category, applicant_id, office_id, assigned_officer_id, status,
            reviewed_by_id, decision, decided_by_id, decided_at, rejection_reason, clock_started_on, paused_on,
            paused_working_days, deadline, deadline_calendar_missing, version, created_at, updated_at,
            supplement_requests)
        SELECT
            'HZ-' || CASE WHEN {at_yuehe} THEN '330502' ELSE '330503' END || '-' || (2023 + g % 4)::text || '-'
                || lpad((g / 4 + {SERIAL_FROM})::text, 6, '0'),
            ({pg_array(kinds)})[1 + floor(rk * {len(kinds)})::int],
            ({pg_array(categories)})[1 + floor(rk * {len(kinds)})::int],
            coalesce(y.id, o.id),
            CASE WHEN {at_yuehe} THEN {place.yuehe} ELSE o.office_id END,
            CASE WHEN NOT {at_yuehe} THEN NULL WHEN ro < 0.3 THEN {place.officer}
                 ELSE ({pg_array(place.yuehe_officers)})[1 + floor(ro * {len(place.yuehe_officers)})::int] END,
            status, NULL,
            CASE WHEN status IN ('approved', 'completed') THEN 'approved' WHEN status = 'rejected' THEN 'rejected'
                 ELSE '' END,
            CASE WHEN status IN ('approved', 'rejected', 'completed') THEN {place.supervisor} END,
            CASE WHEN status IN ('approved', 'rejected', 'completed') THEN opened + interval '20 days' END,
            CASE WHEN status = 'rejected' THEN '材料不符' ELSE '' END,
            CASE WHEN status <> 'draft' THEN opened::date END,
            CASE WHEN status = 'supplement_requested' THEN opened::date + 10 END,
            0,
            CASE WHEN status <> 'draft' THEN opened::date + 28 END,
            false, 1, opened, opened, CASE WHEN status = 'supplement_requested' THEN 1 ELSE 0 END
        FROM timed c
        LEFT JOIN bench_yuehe y ON {at_yuehe} AND y.rn = (g * 7919) % (SELECT count(*) FROM bench_yuehe)
        LEFT JOIN bench_other o ON NOT {at_yuehe} AND o.rn = (g * 7919) % (SELECT count(*) FROM bench_other)
        """
    )
    if has_table("people_personoffice"):  # the office of each case has served its applicant
        sql(
            """
            INSERT INTO people_personoffice (person_id, office_id, first_at, first_via, last_at, last_via)
            SELECT applicant_id, office_id, min(created_at), 'case', max(created_at), 'case' FROM casework_case
            GROUP BY applicant_id, office_id
            ON CONFLICT (person_id, office_id) DO UPDATE SET
                last_at = greatest(people_personoffice.last_at, excluded.last_at), last_via = 'case'
            """
        )


def fill_permits(place: Place, total: int, part: int) -> None:
    lo, hi = halves(total, part)
    sql(
        f"""
        INSERT INTO permits_residencepermit (number, holder_id, office_id, area_code, issued_on, held_since,
            endorsed_until, status, replaces_id, case_id, token, key_id, created_at)
        SELECT 'ZJ' || CASE WHEN g % 10 <> 0 THEN '330502' ELSE '330503' END || lpad(g::text, 10, '0'),
               coalesce(y.id, o.id), CASE WHEN g % 10 <> 0 THEN {place.yuehe} ELSE o.office_id END,
               CASE WHEN g % 10 <> 0 THEN '330502' ELSE '330503' END, issued, issued,
               issued + 365 * (1 + (current_date - issued) / 365),
               CASE WHEN g % 17 = 0 THEN 'cancelled' ELSE 'active' END, NULL, NULL, 'bench', 'bench', now()
        FROM (SELECT g, current_date - floor(random() * 1825)::int AS issued FROM generate_series({lo}, {hi - 1}) g) s
        {_person_join("g", distinct=True)}
        """
    )


def fill_leases(place: Place, total: int, part: int) -> None:
    lo, hi = halves(total, part)
    sql(
        f"""
        INSERT INTO registration_leasefiling (filing_number, filed_on, town_id, address, is_urban, housing, landlord,
            tenant_id, term_start, term_end, office_id, recorded_by_id, created_at)
        SELECT 'HZZL' || (2021 + g % 6)::text || '-' || lpad(g::text, 7, '0'), filed,
               CASE WHEN g % 10 <> 0 THEN {place.yuehe_town}
                    ELSE ({pg_array(place.other_towns)})[1 + g % {len(place.other_towns)}] END,
               '基准路' || (g % 500)::text || '号', g % 5 <> 0, CASE WHEN g % 3 = 0 THEN 'public' ELSE 'private' END,
               bench_name(), coalesce(y.id, o.id), filed, filed + 730,
               CASE WHEN g % 10 <> 0 THEN {place.yuehe} ELSE o.office_id END, {place.officer}, now()
        FROM (SELECT g, current_date - floor(random() * 1825)::int AS filed FROM generate_series({lo}, {hi - 1}) g) s
        {_person_join("g", distinct=False)}
        """
    )


def fill_registrations(place: Place, total: int, part: int) -> None:
    """Four in five registered locally and in force; one in five registered elsewhere, ended."""
    lo, hi = halves(total, part)
    sql(
        f"""
        INSERT INTO registration_residenceregistration (person_id, source, region_code, town_id, address, started_on,
            ended_on, case_id, recorded_by_id, created_at)
        SELECT coalesce(y.id, o.id), CASE WHEN g % 5 = 0 THEN 'elsewhere' ELSE 'local' END,
               CASE WHEN g % 5 = 0 THEN '330106' ELSE '330502' END,
               CASE WHEN g % 5 = 0 THEN NULL ELSE {place.yuehe_town} END, '基准路' || (g % 500)::text || '号', started,
               CASE WHEN g % 5 = 0 THEN started + 365 END, NULL, {place.officer}, now()
        FROM (SELECT g, current_date - floor(random() * 3650)::int AS started FROM generate_series({lo}, {hi - 1}) g) s
        {_person_join("g", distinct=True)}
        """
    )


# What the trail holds, by share: each generated event copies the values of a real event of
# its action written by seed_demo's workflow (a document upload names its requirement, a
# decision its status and reason, ...), so a page renders what a real page renders.
AUDIT_ACTIONS = {
    "case.created": 5,
    "case.submit": 8,
    "case.start_review": 8,
    "case.forward": 4,
    "case.approve_at_counter": 3,
    "case.reject_at_counter": 1,
    "case.request_supplement": 2,
    "case.complete": 4,
    "case.withdraw": 1,
    "document.uploaded": 12,
    "document.verdict": 6,
    "person.viewed": 20,
    "person.found_by_id_number": 3,
    "auth.signed_in": 12,
    "permit.issued": 4,
    "lease_filing.recorded": 4,
    "registration.created": 3,
}


@dataclass(frozen=True)
class EventShape:
    action: str
    about_case: bool
    object_type: str
    object_repr: str
    old_values: dict[str, Any]
    new_values: dict[str, Any]
    note: str


def event_shapes() -> list[EventShape]:
    """One shape per share point, copied from the demo's events (their values and notes)."""
    from hukou_portal.audit.models import AuditEvent

    seen: dict[str, list[EventShape]] = {}
    for event in AuditEvent.objects.filter(action__in=AUDIT_ACTIONS).order_by("id"):
        seen.setdefault(event.action, []).append(
            EventShape(
                event.action,
                event.case_id is not None,
                event.object_type,
                event.object_repr,
                event.old_values,
                event.new_values,
                event.note,
            )
        )
    shapes = []
    for action, share in AUDIT_ACTIONS.items():
        examples = seen.get(action) or [
            EventShape(action, action.startswith(("case.", "document.")), "people.person", "某人", {}, {}, "")
        ]
        shapes += [examples[i % len(examples)] for i in range(share)]
    return shapes


def fill_audit(place: Place, total: int, part: int, *, now: dt.datetime, shapes: list[EventShape]) -> None:
    """Audit events over three years (the first half the older half), 60% by 月河 staff, case
    events on cases of the actor's office. Inserted by COPY, each with the hash of the one
    before (audit.chain), so ``audit_verify`` walks the trail as it would a real one."""
    import random

    from hukou_portal.audit.chain import GENESIS, active_key, event_hash

    lo, hi = halves(total, part)
    rng = random.Random(part)
    yuehe_users = [pk for (pk,) in _rows(f"SELECT id FROM accounts_user WHERE office_id = {place.yuehe}")]
    other_users = _rows(f"SELECT id, office_id FROM accounts_user WHERE office_id <> {place.yuehe}")
    cases_by_office: dict[int, list[tuple[int, str]]] = {}
    for pk, office_id, reference in _rows("SELECT id, office_id, reference FROM casework_case"):
        cases_by_office.setdefault(office_id, []).append((pk, reference))
    other_cases = [c for office, rows in cases_by_office.items() if office != place.yuehe for c in rows]
    start = now - dt.timedelta(days=3 * 365)
    step = (now - start) / total
    # One lane of the chain (audit.services.record spreads concurrent writers over several).
    prev = scalar("SELECT hash FROM audit_auditevent WHERE lane = 0 ORDER BY id DESC LIMIT 1") or GENESIS
    columns = (
        "occurred_at, actor_id, actor_office_id, action, case_id, object_type, object_id, object_repr, "
        "old_values, new_values, note, ip_address, request_id, prev_hash, hash, outcome, chain_key_id, lane"
    )
    chain_key_id = active_key()[0]  # keyed chain (issue 10): each event names the key it was signed with
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f"COPY audit_auditevent ({columns}) FROM STDIN") as copy:
        for k in range(lo, hi):
            shape = shapes[rng.randrange(len(shapes))]
            if rng.random() < 0.6:
                actor, office = rng.choice(yuehe_users), place.yuehe
                pool = cases_by_office.get(place.yuehe, [])
            else:
                actor, office = rng.choice(other_users)
                pool = other_cases
            case_id, case_ref = rng.choice(pool) if shape.about_case and pool else (None, "")
            object_id = str(case_id) if case_id is not None else str(rng.randrange(1, 500_000))
            object_repr = case_ref if shape.object_type == "casework.case" and case_ref else shape.object_repr
            event = SimpleNamespace(
                occurred_at=(start + step * k).replace(microsecond=rng.randrange(1_000_000)),
                actor_id=actor,
                actor_office_id=office,
                action=shape.action,
                case_id=case_id,
                object_type=shape.object_type,
                object_id=object_id,
                object_repr=object_repr,
                old_values=shape.old_values,
                new_values=shape.new_values,
                note=shape.note,
                ip_address=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                request_id=f"{k:032x}",
                outcome="success",
                chain_key_id=chain_key_id,
            )
            digest = event_hash(event, prev)
            copy.write_row(
                (
                    event.occurred_at,
                    actor,
                    office,
                    shape.action,
                    case_id,
                    shape.object_type,
                    object_id,
                    object_repr,
                    json.dumps(shape.old_values, ensure_ascii=False),
                    json.dumps(shape.new_values, ensure_ascii=False),
                    shape.note,
                    event.ip_address,
                    event.request_id,
                    prev,
                    digest,
                    event.outcome,
                    chain_key_id,
                    0,
                )
            )
            prev = digest


def check_audit_chain_sample() -> None:
    """The last 200 events of lane 0 chain and hash as audit_verify expects (the whole walk takes
    minutes)."""
    from hukou_portal.audit.chain import event_hash
    from hukou_portal.audit.models import AuditEvent

    events = list(AuditEvent.objects.filter(lane=0).order_by("-id")[:200])[::-1]
    for before, event in itertools.pairwise(events):
        assert event.prev_hash == before.hash, f"audit chain broken at #{event.pk}"
    for event in events:
        assert event_hash(event, event.prev_hash) == event.hash, f"audit hash wrong at #{event.pk}"


def fill(place: Place, sizes: Sizes, part: int, *, now: dt.datetime, shapes: list[EventShape]) -> dict[str, float]:
    took: dict[str, float] = {}

    def step(name: str, function: Callable[[], None]) -> None:
        began = time.perf_counter()
        function()
        took[name] = time.perf_counter() - began

    step("users", lambda: fill_users(place, sizes.users, part))
    step("people", lambda: fill_people(place, sizes, part))
    step("cases", lambda: fill_cases(place, sizes.cases, part))
    step("permits", lambda: fill_permits(place, sizes.permits, part))
    step("lease filings", lambda: fill_leases(place, sizes.leases, part))
    step("registrations", lambda: fill_registrations(place, sizes.registrations, part))
    step("audit events", lambda: fill_audit(place, sizes.audit, part, now=now, shapes=shapes))
    step("ANALYZE", lambda: sql("ANALYZE"))
    return took


def table_rows() -> dict[str, int]:
    tables = (
        "people_person",
        "casework_case",
        "permits_residencepermit",
        "registration_leasefiling",
        "registration_residenceregistration",
        "accounts_user",
        "audit_auditevent",
    )
    return {name: scalar(f"SELECT count(*) FROM {name}") for name in tables}


# --- the pages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    label: str
    url: str
    role: str  # officer | supervisor | auditor | admin (of 月河) | zhili_officer
    table: str  # the list's main table (for EXPLAIN)
    search: str = ""  # a header search: the text posted to /search/ (filled in at run time)

    @property
    def is_search(self) -> bool:
        return self.url == "/search/"


LIST_TARGETS = [
    Target("case queue: office (open cases)", "/cases/", "officer", "casework_case"),
    Target("case queue: all (全部)", "/cases/all/", "officer", "casework_case"),
    Target("case queue: all, by case number", "/cases/all/?sort=reference", "officer", "casework_case"),
    Target("case queue: overdue", "/cases/queue/overdue/", "officer", "casework_case"),
    Target("case queue: status=completed", "/cases/?status=completed", "officer", "casework_case"),
    Target("case queue: due_within=3", "/cases/?due_within=3", "officer", "casework_case"),
    Target("case queue: approval (supervisor)", "/cases/queue/approval/", "supervisor", "casework_case"),
    Target("people", "/people/", "officer", "people_person"),
    Target("people: name starts with 王", "/people/?q=王", "officer", "people_person"),
    Target("people: by name", "/people/?sort=name", "officer", "people_person"),
    # A station that has served a small share of the city's people (织里: one of nine others).
    Target("people at 织里 (few of the city's)", "/people/", "zhili_officer", "people_person"),
    Target("residence permits", "/permits/", "officer", "permits_residencepermit"),
    Target("lease filings", "/registration/lease-filings/", "officer", "registration_leasefiling"),
    Target("registrations", "/registration/registrations/", "officer", "registration_residenceregistration"),
    Target("users (administrator)", "/accounts/users/", "admin", "accounts_user"),
    Target("audit trail (auditor)", "/audit/", "auditor", "audit_auditevent"),
    Target("audit trail: action=case.submit", "/audit/?action=case.submit", "auditor", "audit_auditevent"),
]


def search_targets() -> list[Target]:
    """The header search's four kinds of text, taken from rows of 月河 at run time."""
    from hukou_portal.accounts.models import Office
    from hukou_portal.casework.models import Case
    from hukou_portal.people.models import Person

    yuehe = Office.objects.get(code="33050201")
    case = list(Case.objects.filter(office=yuehe, reference__startswith="HZ-330502-2026-").order_by("id")[:1001])[-1]
    person = list(Person.objects.filter(office=yuehe).order_by("id")[:1235])[-1]
    serial = case.reference.rsplit("-", 1)[1]
    return [
        Target("search: full case number", "/search/", "officer", "casework_case", search=case.reference),
        Target("search: serial tail", "/search/", "officer", "casework_case", search=serial.lstrip("0")),
        Target("search: name prefix 王", "/search/", "officer", "people_person", search="王"),
        Target("search: full ID number", "/search/", "officer", "people_person", search=person.id_number),
    ]


# --- measuring ----------------------------------------------------------------------------------


def _badge(query: str) -> bool:
    """The header's unread-reminder badge: a COUNT of one user's unread inbox rows, by index
    (the base page's, not the list's; tests/core/test_lists.py allows it the same way)."""
    return 'FROM "notifications_notification"' in query and '"user_id" =' in query


# Reference data read once per request when a page's rows name it (settlement's document names,
# core.request_context.request_memo): not counted, but never more than once per request.
ONCE_PER_REQUEST = {'FROM "settlement_settlementdocument"': 7}  # one query per settlement category


def counted(queries: list[str], result: Measured) -> int:
    """The page's queries, less the once-per-request reference reads (checked on the side)."""
    count = len(queries)
    for marker, most in ONCE_PER_REQUEST.items():
        reads = sum(marker in q for q in queries)
        if reads > most:
            result.bad_queries.append(f"{reads} reads of {marker} in one request (at most {most})")
        count -= reads
    return count


def forbidden(queries: list[str]) -> list[str]:
    """COUNT( or OFFSET in a page's queries (the badge excepted)."""
    return [q for q in queries if ("COUNT(" in q.upper() and not _badge(q)) or " OFFSET " in q.upper()]


@contextmanager
def recording_tables() -> Iterator[list[Any]]:
    """Patch the views' ``list_table`` to remember the table each request built."""
    built: list[Any] = []
    original = lists.list_table

    def recorder(*args: Any, **kwargs: Any) -> Any:
        table = original(*args, **kwargs)
        built.append(table)
        return table

    with _patched_views(recorder):
        yield built


def offset_list_table(
    request: Any,
    table_class: type[lists.ListTable],
    queryset: Any,
    *,
    per_page: int = lists.PER_PAGE,
    default_sort: str | None = None,
    **table_kwargs: Any,
) -> Any:
    """The baseline: the same queryset in the same order, paged by Django's Paginator (COUNT +
    OFFSET) at ``?page=N``."""
    sort = table_class.sort_from(request.GET.get(lists.SORT_PARAM), default_sort)
    keys = [lists.Key.parse(spec) for spec in table_class.keys_for(sort)]
    table = table_class(queryset.order_by(*(key.expression() for key in keys)), order_by=sort, **table_kwargs)
    table.paginate(Paginator, per_page=per_page, page=request.GET.get("page") or 1)
    return table


@contextmanager
def _patched_views(replacement: Callable[..., Any]) -> Iterator[None]:
    import importlib

    patches = [mock.patch.object(importlib.import_module(name), "list_table", replacement) for name in VIEW_MODULES]
    for patch in patches:
        patch.start()
    try:
        yield
    finally:
        for patch in patches:
            patch.stop()


def request(client: Client, target: Target, url: str | None = None) -> tuple[float, list[str], Any]:
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        is_search = target.is_search
        response = client.post("/search/", {"q": target.search}) if is_search else client.get(url or target.url)
        elapsed = time.perf_counter() - began
    if response.status_code not in (200, 302):
        raise RuntimeError(f"{target.label}: {url or target.url} answered {response.status_code}")
    return elapsed, [q["sql"] for q in captured.captured_queries], response


def with_param(url: str, name: str, value: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{name}={value}"


@dataclass
class Measured:
    target: Target
    rows: int | None = None  # rows in the list for this user (None: a search)
    depth: int = 0  # the deep page starts at this row
    first_s: float = 0.0
    deep_s: float | None = None
    baseline_s: float | None = None
    first_queries: int = 0
    deep_queries: int | None = None
    bad_queries: list[str] = field(default_factory=list)  # COUNT/OFFSET in our pages
    same_rows: bool = True  # the deep page shows the rows OFFSET shows there
    status: int = 200
    deep_url: str | None = None
    first_sql_s: float | None = None  # the list's main query alone
    deep_sql_s: float | None = None
    baseline_sql_s: float | None = None  # the baseline's COUNT and OFFSET queries together
    plans: list[PlanCheck] = field(default_factory=list)


def measure(client: Client, target: Target, *, depth: int, repeat: int) -> Measured:
    result = Measured(target)
    if target.is_search:
        request(client, target)  # warm
        times, queries = [], []
        for _ in range(repeat):
            elapsed, sql_text, response = request(client, target)
            times.append(elapsed)
            queries.append(counted(sql_text, result))
            result.bad_queries += forbidden(sql_text)
        result.status = response.status_code
        result.first_s = statistics.median(times)
        result.first_queries = max(queries)
        return result

    with recording_tables() as built:
        _t, first_sql, _response = request(client, target)
    table = built[-1]
    paginator = table.paginator
    ordered = paginator.queryset.order_by(*(key.expression() for key in paginator.keys))
    per_page = paginator.per_page
    result.rows = ordered.count()  # setup only, untimed
    depth = (min(depth, result.rows - per_page) // per_page) * per_page
    deep_url = baseline_url = None
    if depth >= per_page:
        result.depth = depth
        record = ordered[depth - 1 : depth].get()
        deep_url = with_param(target.url, lists.CURSOR_PARAM, paginator.cursor_for(record, forward=True))
        baseline_url = with_param(target.url, "page", str(depth // per_page + 1))
        expected = list(ordered.values_list("pk", flat=True)[depth : depth + per_page])
        with recording_tables() as built:
            _t, deep_sql, _r = request(client, target, deep_url)
        ours = [row.pk for row in built[-1].page]
        with recording_tables_baseline() as base:
            _t, baseline_sql, _r = request(client, target, baseline_url)
        theirs = [row.record.pk for row in base[-1].page.object_list]
        result.same_rows = ours == expected == theirs
        # The list's own queries alone, run again and again: the database's share of the page.
        result.first_sql_s = time_sql(main_queries(first_sql, target), repeat)
        result.deep_sql_s = time_sql(main_queries(deep_sql, target), repeat)
        result.baseline_sql_s = time_sql(main_queries(baseline_sql, target, baseline=True), repeat)

    first, deep, baseline, first_q, deep_q = [], [], [], [], []
    for _ in range(repeat):
        elapsed, sql_text, _r = request(client, target)
        first.append(elapsed)
        first_q.append(counted(sql_text, result))
        result.bad_queries += forbidden(sql_text)
        if deep_url and baseline_url:
            elapsed, sql_text, _r = request(client, target, deep_url)
            deep.append(elapsed)
            deep_q.append(counted(sql_text, result))
            result.bad_queries += forbidden(sql_text)
            with _patched_views(offset_list_table):
                elapsed, _sql, _r = request(client, target, baseline_url)
            baseline.append(elapsed)
    result.first_s = statistics.median(first)
    result.first_queries = max(first_q)
    if deep:
        result.deep_s = statistics.median(deep)
        result.baseline_s = statistics.median(baseline)
        result.deep_queries = max(deep_q)
    result.deep_url = deep_url
    return result


def main_queries(queries: list[str], target: Target, *, baseline: bool = False) -> list[str]:
    """The list's own query (``FROM <table> … LIMIT``); for the baseline its COUNT as well."""
    found = [q for q in queries if f'FROM "{target.table}"' in q and " LIMIT " in q.upper()]
    if baseline:
        found += [q for q in queries if "COUNT(" in q.upper() and target.table in q and not _badge(q)]
    return found


def time_sql(queries: list[str], repeat: int) -> float | None:
    if not queries:
        return None
    times = []
    with connection.cursor() as cursor:
        for _ in range(repeat + 1):
            began = time.perf_counter()
            for query in queries:
                cursor.execute(query)
                cursor.fetchall()
            times.append(time.perf_counter() - began)
    return statistics.median(times[1:])


@contextmanager
def recording_tables_baseline() -> Iterator[list[Any]]:
    built: list[Any] = []

    def recorder(*args: Any, **kwargs: Any) -> Any:
        table = offset_list_table(*args, **kwargs)
        built.append(table)
        return table

    with _patched_views(recorder):
        yield built


# --- plans --------------------------------------------------------------------------------------


@dataclass
class PlanCheck:
    page: str  # "page 1" or "deep"
    query: str
    plan: list[str]
    seq_scans: list[str]  # big tables read by Seq Scan
    spills: list[str]  # sorts on disk
    main: bool
    execution_ms: float


def explain_page(client: Client, target: Target, url: str | None, big: dict[str, int], label: str) -> list[PlanCheck]:
    _t, queries, _r = request(client, target, url)
    checks = []
    main_seen = False
    for query in queries:
        if not query.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query)
            plan = [row[0] for row in cursor.fetchall()]
        seq = [
            f"Seq Scan on {m.group(1)}"
            for line in plan
            if (m := re.search(r"Seq Scan on (\w+)", line)) and big.get(m.group(1), 0) > BIG_TABLE_ROWS
        ]
        spills = [line.strip() for line in plan if "Disk:" in line or "external" in line]
        is_main = not main_seen and f'FROM "{target.table}"' in query and " LIMIT " in query.upper()
        main_seen = main_seen or is_main
        took = next((float(m.group(1)) for line in plan if (m := re.search(r"Execution Time: ([\d.]+)", line))), 0.0)
        checks.append(PlanCheck(label, query, plan, seq, spills, is_main, took))
    return checks


def summarise(plan: list[str]) -> str:
    """The scans and sorts of a plan, in order: "Index Scan Backward using x on t; Sort; ..."."""
    parts = []
    for line in plan:
        text = line.strip().removeprefix("->").strip()
        text = text.split("  (cost")[0].split(" (cost")[0]
        if any(word in text for word in ("Scan", "Sort", "Hash Join", "Nested Loop", "Merge Join", "Aggregate")):
            text = re.sub(r"\s+", " ", text)
            text = re.sub(r" (\w+) \1$", r" \1", text)  # "on t t" (alias) -> "on t"
            if text not in parts:
                parts.append(text)
    return "; ".join(parts)


# --- the run ------------------------------------------------------------------------------------


def clients() -> dict[str, Client]:
    from hukou_portal.accounts.models import User
    from tests.helpers import sign_in

    signed_in = {
        role: sign_in(Client(), User.objects.get(username=f"yuehe_{role}"))
        for role in ("officer", "supervisor", "auditor", "admin")
    }
    signed_in["zhili_officer"] = sign_in(Client(), User.objects.get(username="zhili_officer"))
    return signed_in


def run_all(targets: list[Target], *, depth: int, repeat: int) -> dict[str, Measured]:
    signed_in = clients()
    measured = {}
    for target in targets:
        measured[target.label] = measure(signed_in[target.role], target, depth=depth, repeat=repeat)
        m = measured[target.label]
        print(
            f"  {target.label:<36} page 1 {ms(m.first_s):>9} deep {ms(m.deep_s):>9} OFFSET {ms(m.baseline_s):>9}"
            f" | query {ms(m.first_sql_s):>8} deep {ms(m.deep_sql_s):>8} OFFSET {ms(m.baseline_sql_s):>9}"
            f" | queries {m.first_queries}" + (f"/{m.deep_queries}" if m.deep_queries is not None else ""),
            flush=True,
        )
    return measured


def explain_all(targets: list[Target], measured: dict[str, Measured]) -> None:
    signed_in = clients()
    big = {name: count for name, count in table_rows().items()}
    for target in targets:
        m = measured[target.label]
        m.plans = explain_page(signed_in[target.role], target, None, big, "page 1")
        if m.deep_url:
            m.plans += explain_page(signed_in[target.role], target, m.deep_url, big, "deep")


def ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.1f} ms"


def ratio(a: float | None, b: float | None) -> str:
    return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}"


def check_rules(half: dict[str, Measured], full: dict[str, Measured]) -> list[str]:
    broken = []
    for label, m in full.items():
        h = half[label]
        if h.first_queries != m.first_queries:
            broken.append(f"{label}: {h.first_queries} queries at half size, {m.first_queries} at full size")
        if h.deep_queries is not None and m.deep_queries is not None and h.deep_queries != m.deep_queries:
            broken.append(f"{label}: deep page {h.deep_queries} queries at half size, {m.deep_queries} at full size")
        if m.deep_queries is not None and m.deep_queries != m.first_queries:
            broken.append(f"{label}: deep page runs {m.deep_queries} queries, page 1 {m.first_queries}")
        for bad in h.bad_queries + m.bad_queries:
            broken.append(f"{label}: COUNT or OFFSET in our page: {bad[:200]}")
        if m.deep_s is not None and m.deep_s / m.first_s > DEEP_OVER_FIRST_MAX:
            broken.append(f"{label}: deep page {m.deep_s / m.first_s:.1f}x page 1 (bound {DEEP_OVER_FIRST_MAX})")
        deep_sql, first_sql = m.deep_sql_s, m.first_sql_s
        if deep_sql is not None and first_sql is not None and deep_sql > DEEP_OVER_FIRST_MAX * first_sql + 0.002:
            broken.append(f"{label}: the deep page's query takes {ms(deep_sql)}, page 1's {ms(first_sql)}")
        if not (h.same_rows and m.same_rows):
            broken.append(f"{label}: the deep page does not show the rows OFFSET shows there")
        for plan in m.plans:
            for scan in plan.seq_scans:
                broken.append(f"{label} ({plan.page}): {scan}: {plan.query[:160]}")
            for spill in plan.spills:
                broken.append(f"{label} ({plan.page}): sort on disk: {spill}")
    return broken


def report(
    sizes: Sizes, rows: dict[str, int], half: dict[str, Measured], full: dict[str, Measured], took: dict[str, Any]
) -> str:
    pages = [
        "| page | rows it lists | page 1 | deep page (from row) | deep / page 1 | OFFSET page, same row "
        "| OFFSET / ours | queries at half / full size (deep page) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, m in full.items():
        h = half[label]
        deep = f"{ms(m.deep_s)} ({m.depth:,})" if m.deep_s is not None else "–"
        queries = f"{h.first_queries} / {m.first_queries}"
        if m.deep_queries is not None:
            queries += f" ({h.deep_queries} / {m.deep_queries})"
        rows_text = f"{m.rows:,}" if m.rows is not None else ("one: redirect" if m.status == 302 else "results page")
        pages.append(
            f"| {label} | {rows_text} | {ms(m.first_s)} | {deep} | {ratio(m.deep_s, m.first_s)} "
            f"| {ms(m.baseline_s)} | {ratio(m.baseline_s, m.deep_s)} | {queries} |"
        )
    plans = [
        "| page | page 1 | deep page | deep / page 1 | COUNT + OFFSET | baseline / ours "
        "| plan of the list's query at full size (the deep page's where there is one) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label, m in full.items():
        mains = [p for p in m.plans if p.main]
        chosen = next((p for p in mains if p.page == "deep"), mains[0] if mains else None)
        if chosen is None:  # a search: its slowest query
            chosen = max(m.plans, key=lambda p: p.execution_ms, default=None)
        plan = summarise(chosen.plan).replace("|", "/") if chosen else "–"
        first_sql = m.first_sql_s if m.first_sql_s is not None else (chosen.execution_ms / 1000 if chosen else None)
        plans.append(
            f"| {label} | {ms(first_sql)} | {ms(m.deep_sql_s)} | {ratio(m.deep_sql_s, m.first_sql_s)} "
            f"| {ms(m.baseline_sql_s)} | {ratio(m.baseline_sql_s, m.deep_sql_s)} | {plan} |"
        )
    head = [
        f"Run on {dt.date.today().isoformat()} on {platform.node() or 'this machine'}: {os.cpu_count()} cores, "
        f"PostgreSQL {scalar('SHOW server_version').split()[0]} on the same host, Python {platform.python_version()}. "
        f"Load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (other work shares the machine).",
        "",
        f"Sizes: {sizes.describe()}. Rows at full size: "
        + ", ".join(f"{name} {count:,}" for name, count in rows.items())
        + f". Fill: {took['fill']:.0f} s for both halves; measuring: {took['measure']:.0f} s.",
        "",
        f"**Whole pages** (median of {took['repeat']} requests through Django's test client: middleware, queries, "
        "template). The deep page is the one after the row the depth names, reached by its cursor. The baseline "
        "is the same view, queryset and order paged by Django's `Paginator` (`COUNT(*)` + `OFFSET`) at the same "
        "row; it showed the same rows. Queries per page exclude once-per-request reference reads (settlement's "
        "document names, at most 7).",
        "",
        *pages,
        "",
        f"**The list's own query alone** (median of {took['repeat']} runs; for the baseline its `COUNT(*)` and its "
        "`OFFSET` query together), and its plan (`EXPLAIN ANALYZE`).",
        "",
        *plans,
    ]
    return "\n".join(head)


def write_results(text: str, broken: list[str], command: str) -> None:
    section = "\n".join(
        [
            SECTION_START,
            "# Lists and the header search at city scale",
            "",
            f"`{command}`",
            "",
            text,
            "",
            "Rules: "
            + ("all kept." if not broken else f"{len(broken)} broken:\n\n" + "\n".join(f"- {x}" for x in broken)),
            SECTION_END,
        ]
    )
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if SECTION_START in current and SECTION_END in current:
        before, rest = current.split(SECTION_START, 1)
        after = rest.split(SECTION_END, 1)[1]
        updated = before + section + after
    else:
        updated = current.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(updated, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every default size (0.1: a quick run)")
    parser.add_argument("--people", type=int, help="people at 月河 (default 400,000 × scale)")
    parser.add_argument("--cases", type=int)
    parser.add_argument("--audit", type=int)
    parser.add_argument("--permits", type=int)
    parser.add_argument("--leases", type=int)
    parser.add_argument("--depth", type=int, default=10_000, help="the deep page starts this many rows down")
    parser.add_argument("--repeat", type=int, default=5, help="requests per measurement (the median is reported)")
    parser.add_argument("--database", default="bench_lists", help="the throwaway database (dropped afterwards)")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (to look into it)")
    parser.add_argument(
        "--only", action="append", default=[], help="measure only the pages whose label starts with this (repeatable)"
    )
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        print("bench/lists.py measures PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    sizes = DEFAULT_SIZES.scaled(args.scale) if args.scale != 1.0 else DEFAULT_SIZES
    overrides = {k: getattr(args, k) for k in ("people", "cases", "audit", "permits", "leases") if getattr(args, k)}
    sizes = Sizes(**{**sizes.__dict__, **overrides})
    command = "DATABASE_URL=postgres://hukou:hukou@127.0.0.1:5432/hukou .venv/bin/python bench/lists.py " + " ".join(
        sys.argv[1:]
    )

    from django.core.management import call_command

    connection.settings_dict.setdefault("TEST", {})["NAME"] = args.database
    began = time.perf_counter()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"database {args.database} created and migrated in {time.perf_counter() - began:.0f} s", flush=True)
    broken: list[str] = []
    try:
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        install_helpers()
        place = Place.load()
        now = timezone.now()
        took: dict[str, Any] = {"repeat": args.repeat}

        fill_began = time.perf_counter()
        shapes = event_shapes()
        steps = fill(place, sizes, 0, now=now, shapes=shapes)
        print("half filled: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()), flush=True)
        fill_time = time.perf_counter() - fill_began

        measure_began = time.perf_counter()
        targets = [
            target
            for target in LIST_TARGETS + search_targets()
            if not args.only or any(target.label.startswith(prefix) for prefix in args.only)
        ]
        print("at half size:", flush=True)
        half = run_all(targets, depth=args.depth, repeat=max(1, args.repeat // 2))
        measure_time = time.perf_counter() - measure_began

        fill_began = time.perf_counter()
        steps = fill(place, sizes, 1, now=now, shapes=shapes)
        print("full: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()), flush=True)
        check_audit_chain_sample()
        took["fill"] = fill_time + time.perf_counter() - fill_began

        measure_began = time.perf_counter()
        print("at full size:", flush=True)
        full = run_all(targets, depth=args.depth, repeat=args.repeat)
        explain_all(targets, full)
        took["measure"] = measure_time + time.perf_counter() - measure_began

        rows = table_rows()
        text = report(sizes, rows, half, full, took)
        broken = check_rules(half, full)
        print()
        print(text)
        print()
        print("rules: all kept" if not broken else "RULES BROKEN:\n" + "\n".join(f"  - {b}" for b in broken))
        if not args.no_write:
            write_results(text, broken, command.strip())
            print(f"written to {RESULTS}")
    finally:
        if args.keep:
            print(f"kept the database {args.database}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
