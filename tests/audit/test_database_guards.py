"""Append-only below the ORM: triggers refuse changes, audit_verify finds what slips past,
and on PostgreSQL the application's role holds INSERT and SELECT only."""

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from hukou_portal.audit import db_guards
from hukou_portal.audit.chain import GENESIS
from hukou_portal.audit.models import AuditEvent
from hukou_portal.audit.services import record, verify_chain

needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles and TRUNCATE")


@pytest.fixture
def events(staff):
    created = [record(action="person.viewed", actor=staff.officer, note=f"第{i}次") for i in range(3)]
    if connection.vendor == "postgresql":
        # Django's foreign keys are deferred; fire their checks now, or PostgreSQL refuses the
        # TRUNCATE and ALTER TABLE below because of "pending trigger events".
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return created


def test_each_event_carries_the_hash_of_the_one_before(events):
    chain = list(AuditEvent.objects.order_by("id"))
    assert chain[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash
    assert len({event.hash for event in chain}) == len(chain)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET note = 'rewritten'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_sql_that_changes_the_trail_is_refused(events, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    notes = AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("id").values_list("note", flat=True)
    assert list(notes) == ["第0次", "第1次", "第2次"]


@needs_postgres
def test_truncate_is_refused_on_postgresql(events):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent CASCADE")
    assert AuditEvent.objects.count() >= 3


def test_audit_verify_passes_an_intact_chain(events, capsys):
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out


def test_audit_verify_names_a_row_altered_with_the_trigger_off(events):
    victim = events[1]
    db_guards.suspend(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET note = %s WHERE id = %s", ["篡改", victim.pk])
    db_guards.install(connection)
    _checked, bad, why = verify_chain()
    assert bad is not None and bad.pk == victim.pk
    assert "altered" in why
    with pytest.raises(CommandError, match=f"#{victim.pk}"):
        call_command("audit_verify")


def test_audit_verify_notices_a_removed_row(events):
    db_guards.suspend(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    db_guards.install(connection)
    _checked, bad, why = verify_chain()
    assert bad is not None and bad.pk == events[2].pk
    assert "link" in why


@needs_postgres
def test_lockdown_leaves_the_app_role_insert_and_select_only(events, staff):
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE hukou_app_test NOLOGIN")
        cursor.execute("GRANT hukou_app_test TO CURRENT_USER")
    call_command("audit_lockdown", "--app-role", "hukou_app_test", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE hukou_app_test")
        cursor.execute("SELECT count(*) FROM audit_auditevent")
        assert cursor.fetchone()[0] >= 3
        record(action="person.viewed", actor=staff.officer, note="as the app role")
        with pytest.raises(DatabaseError, match="must be owner"), transaction.atomic():
            db_guards.suspend(connection)
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            cursor.execute("UPDATE audit_auditevent SET note = 'x'")
        cursor.execute("UPDATE people_area SET name = name")  # the other tables stay writable
        cursor.execute("RESET ROLE")
