"""The audit trail only grows, and auditors see the events of their own offices."""

import pytest
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AppendOnlyError, AuditEvent
from hukou_portal.audit.services import record
from tests.helpers import make_user, sign_in


def test_events_cannot_be_changed_or_removed(staff):
    event = record(action="person.viewed", actor=staff.officer)
    event.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_unknown_actions_are_refused(staff):
    with pytest.raises(ValueError, match="Unknown audit action"):
        record(action="case.teleported", actor=staff.officer)


def test_station_auditor_sees_only_their_station(offices, staff):
    other = make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer")
    record(action="person.viewed", actor=staff.officer, note="own station")
    record(action="person.viewed", actor=other, note="sibling station")
    page = sign_in(Client(), staff.auditor).get("/audit/", {"action": "person.viewed"})
    assert [event.note for event in page.context["page"]] == ["own station"]


def test_city_auditor_also_sees_events_without_an_office(offices, staff):
    city_auditor = make_user(offices.city, Role.AUDITOR, username="city_auditor")
    record(action="auth.sign_in_failed", new={"username": "ghost"})
    page = sign_in(Client(), city_auditor).get("/audit/", {"action": "auth.sign_in_failed"})
    assert len(page.context["page"]) == 1
    station_page = sign_in(Client(), staff.auditor).get("/audit/", {"action": "auth.sign_in_failed"})
    assert len(station_page.context["page"]) == 0


def test_an_edit_that_changes_nothing_writes_no_event(offices, staff):
    from hukou_portal.accounts.services import office_update

    admin = make_user(offices.city, Role.ADMINISTRATOR, username="city_admin")
    office = offices.yuehe
    office_update(actor=admin, office_id=office.pk, name=office.name, area_code=office.area_code, is_active=True)
    assert not AuditEvent.objects.filter(action="office.updated").exists()
    office_update(actor=admin, office_id=office.pk, name="月河派出所（新）", area_code=office.area_code, is_active=True)
    event = AuditEvent.objects.get(action="office.updated")
    assert (event.old_values, event.new_values) == ({"name": "月河派出所"}, {"name": "月河派出所（新）"})


def test_id_numbers_typed_into_free_text_are_masked_in_the_trail(staff):
    from tests.helpers import valid_id_number

    number = valid_id_number()
    event = record(action="person.viewed", actor=staff.officer, note=f"核对 {number} 的材料", new={"said": number})
    event = AuditEvent.objects.get(pk=event.pk)
    assert number not in event.note and number not in str(event.new_values)
    assert f"{number[:6]}********{number[14:]}" in event.note


def test_id_numbers_are_masked_in_log_lines(caplog):
    import logging

    from hukou_portal.core.redaction import RedactIdNumbersLogFilter
    from tests.helpers import valid_id_number

    number = valid_id_number()
    logger = logging.getLogger("hukou.test")
    logger.addFilter(RedactIdNumbersLogFilter())
    with caplog.at_level(logging.INFO, logger="hukou.test"):
        logger.info("looked up %s", number)
        logger.info(f"looked up {number} again")
    assert number not in caplog.text
    assert caplog.text.count("********") == 2
