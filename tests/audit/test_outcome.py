"""Events carry an outcome; a failed sign-in of a real account is filed under the account and
its office, so that station's auditors see it (an unknown name stays with the city level)."""

import pytest
from django.db import connection
from django.test import Client

from hukou_portal.audit import db_guards
from hukou_portal.audit.models import AuditEvent, Outcome
from hukou_portal.audit.services import record, verify_chain
from tests.helpers import sign_in


def test_events_succeed_by_default_and_can_say_denied_or_failed(staff):
    assert record(action="person.viewed", actor=staff.officer).outcome == Outcome.SUCCESS
    denied = record(action="person.viewed", actor=staff.officer, outcome=Outcome.DENIED)
    assert AuditEvent.objects.get(pk=denied.pk).outcome == "denied"
    assert verify_chain()[1] is None


def test_an_unknown_outcome_is_refused_and_nothing_is_written(staff):
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="outcome"):
        record(action="person.viewed", actor=staff.officer, outcome="maybe")
    assert AuditEvent.objects.count() == before


def test_the_outcome_is_covered_by_the_chain(staff):
    """Turning a "denied" into a "success" behind the portal's back breaks the chain there."""
    event = record(action="person.viewed", actor=staff.officer, outcome=Outcome.DENIED)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    db_guards.suspend(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET outcome = 'success' WHERE id = %s", [event.pk])
    finally:
        db_guards.install(connection)
    _checked, bad, why = verify_chain()
    assert bad is not None and bad.pk == event.pk
    assert "altered" in why


def _fail_sign_in(username: str) -> None:
    Client().post("/accounts/sign-in/", {"username": username, "password": "not-the-password"})


def test_a_failed_sign_in_of_a_real_account_is_filed_under_its_office(staff, offices):
    _fail_sign_in(staff.officer.username)
    event = AuditEvent.objects.filter(action="auth.sign_in_failed").latest("id")
    assert event.outcome == Outcome.FAILED
    assert event.actor is None  # nobody proved who typed it
    assert (event.object_type, event.object_id) == ("accounts.user", str(staff.officer.pk))
    assert event.actor_office_id == staff.officer.office_id
    assert "not-the-password" not in str(event.new_values)
    # The station's own auditor now sees it.
    page = sign_in(Client(), staff.auditor).get("/audit/", {"action": "auth.sign_in_failed"})
    assert page.status_code == 200
    assert list(page.context["table"].data) == [event]


def test_a_failed_sign_in_of_an_unknown_name_has_no_account_or_office(staff):
    _fail_sign_in("nobody-here")
    event = AuditEvent.objects.filter(action="auth.sign_in_failed").latest("id")
    assert (event.outcome, event.actor_office_id, event.object_id) == (Outcome.FAILED, None, "")
    assert event.new_values == {"username": "nobody-here"}
    page = sign_in(Client(), staff.auditor).get("/audit/", {"action": "auth.sign_in_failed"})
    assert event not in list(page.context["table"].data)
