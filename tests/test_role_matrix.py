"""Every service that writes outside casework (whose own matrix is
tests/casework/test_workflow_matrix.py), called by an account of each role at the city bureau.

The expected column is written out by hand, not read from accounts.roles: a role that may act
writes and leaves its audit event; every other role is refused before anything is written,
neither the data nor the trail changes."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django_otp.plugins.otp_totp.models import TOTPDevice

from hukou_portal.accounts import services as accounts
from hukou_portal.accounts.models import Office
from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent, Outcome
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.notifications.models import MessageTemplate
from hukou_portal.notifications.services import message_template_update
from hukou_portal.people.models import Town
from hukou_portal.people.services import person_create, person_photo_take, town_set_urban, town_update
from hukou_portal.rules.services import calendar_day_add, parameter_schedule
from registration.services import lease_filing_record
from settlement.services import settlement_document_add
from tests.helpers import TEST_PASSWORD, make_user, valid_id_number
from tests.people import photo_files

OFFICER, SUPERVISOR, ADMIN, SECURITY, AUDITOR, ANALYST = (
    Role.COUNTER_OFFICER,
    Role.SUPERVISOR,
    Role.ADMINISTRATOR,
    Role.SECURITY_ADMINISTRATOR,
    Role.AUDITOR,
    Role.STATISTICIAN,
)
TOMORROW = dt.date.today() + dt.timedelta(days=1)


def _staff(offices: Any, username: str, role: str = OFFICER, office: Office | None = None) -> Any:
    user = make_user(office or offices.yuehe, role, username=username)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def _tenant(offices: Any) -> Any:
    return person_create(
        actor=make_user(offices.yuehe, OFFICER, username="recorder"), id_number=valid_id_number(), name="租客"
    )


# (name, roles that may, the write as a function of (actor, offices)); setup inside the function
# runs as the system, so only the actor's own call is judged.
WRITES: list[tuple[str, set[str], Callable[[Any, Any], Any]]] = [
    (
        "office_create",
        {ADMIN},
        lambda actor, o: accounts.office_create(
            actor=actor, code="33050299", name="新所", level=Office.Level.STATION, parent=o.wuxing, area_code="330502"
        ),
    ),
    (
        "office_update",
        {ADMIN},
        lambda actor, o: accounts.office_update(
            actor=actor, office_id=o.zhili.pk, name="织里所", area_code="330502", is_active=True
        ),
    ),
    (
        "user_create(officer)",
        {ADMIN, SECURITY},
        lambda actor, o: accounts.user_create(
            actor=actor, username="new_one", full_name="新人", office=o.yuehe, roles=[OFFICER], password=TEST_PASSWORD
        ),
    ),
    (
        "user_create(auditor)",
        {SECURITY},
        lambda actor, o: accounts.user_create(
            actor=actor, username="new_one", full_name="新人", office=o.yuehe, roles=[AUDITOR], password=TEST_PASSWORD
        ),
    ),
    (
        # At a county-level bureau: no police station holds an analyst.
        "user_create(analyst)",
        {ADMIN, SECURITY},
        lambda actor, o: accounts.user_create(
            actor=actor, username="new_one", full_name="新人", office=o.wuxing, roles=[ANALYST], password=TEST_PASSWORD
        ),
    ),
    (
        "user_update(+analyst)",
        {ADMIN, SECURITY},
        lambda actor, o: (
            lambda target: accounts.user_update(
                actor=actor,
                user_id=target.pk,
                full_name=target.full_name,
                email="",
                office=o.wuxing,
                roles={SUPERVISOR, ANALYST},
                is_active=True,
            )
        )(_staff(o, "target", SUPERVISOR, office=o.wuxing)),
    ),
    (
        "user_update(+supervisor)",
        {ADMIN, SECURITY},
        lambda actor, o: (
            lambda target: accounts.user_update(
                actor=actor,
                user_id=target.pk,
                full_name=target.full_name,
                email="",
                office=o.yuehe,
                roles={OFFICER, SUPERVISOR},
                is_active=True,
            )
        )(_staff(o, "target")),
    ),
    (
        "user_password_reset",
        {ADMIN},
        lambda actor, o: accounts.user_password_reset(
            actor=actor, user_id=_staff(o, "target").pk, password="Another-Password-2026"
        ),
    ),
    (
        "user_reset_second_factor",
        {SECURITY},
        lambda actor, o: accounts.user_reset_second_factor(actor=actor, user_id=_staff(o, "target").pk),
    ),
    (
        "user_end_sessions",
        {ADMIN, SECURITY},
        lambda actor, o: accounts.user_end_sessions(actor=actor, user_id=_staff(o, "target").pk),
    ),
    (
        "person_create",
        {OFFICER},
        lambda actor, o: person_create(actor=actor, id_number=valid_id_number(sequence=777), name="新人"),
    ),
    (
        "person_photo_take",
        {OFFICER},
        lambda actor, o: person_photo_take(
            actor=actor,
            person_id=_tenant(o).pk,
            upload=photo_files.upload(photo_files.jpeg((640, 480))),
            source="webcam",
            replacing=None,
        ),
    ),
    (
        "town_set_urban",
        {ADMIN},
        lambda actor, o: town_set_urban(
            actor=actor,
            town_id=Town.objects.get(area__code="330502", name="道场乡").pk,
            is_urban=True,
            reason="撤乡设街道",
        ),
    ),
    (
        "town_update(station)",
        {ADMIN},
        lambda actor, o: town_update(
            actor=actor,
            town_id=Town.objects.get(area__code="330502", name="织里镇").pk,
            is_urban=True,
            station_id=o.zhili.pk,
            reason="辖区划定",
        ),
    ),
    (
        "calendar_day_add",
        {ADMIN},
        lambda actor, o: calendar_day_add(actor=actor, date=dt.date(2099, 1, 5), kind="holiday", name="假日"),
    ),
    (
        "parameter_schedule",
        {ADMIN},
        lambda actor, o: parameter_schedule(
            actor=actor, key="lease_filing_min_months", value=5, effective_from=TOMORROW, reason="调整"
        ),
    ),
    (
        "message_template_update",
        {ADMIN},
        lambda actor, o: message_template_update(
            actor=actor,
            template_id=MessageTemplate.objects.get(kind="N1", channel="sms").pk,
            text="{name}，您已可按规定申请落户。",
        ),
    ),
    (
        "settlement_document_add",
        {ADMIN},
        lambda actor, o: settlement_document_add(actor=actor, category="talent", code="x_cert", label="证明"),
    ),
    (
        "lease_filing_record",
        {OFFICER},
        lambda actor, o: lease_filing_record(
            actor=actor,
            filing_number="HZ-2026-000999",
            filed_on=dt.date.today() - dt.timedelta(days=30),
            town=Town.objects.get(area__code="330502", name="月河街道"),
            address="月河街道某路1号",
            housing="private",
            landlord="房东",
            tenant=_tenant(o),
            term_start=dt.date.today() - dt.timedelta(days=30),
            term_end=dt.date.today() + dt.timedelta(days=335),
        ),
    ),
]


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize(("name", "allowed", "write"), WRITES, ids=[w[0] for w in WRITES])
def test_each_role_may_write_only_what_its_duty_needs(offices, role, name, allowed, write):
    actor = make_user(offices.city, role, username=f"city_{role}")
    if role in allowed:
        before = AuditEvent.objects.filter(actor=actor).count()
        write(actor, offices)
        assert AuditEvent.objects.filter(actor=actor, outcome=Outcome.SUCCESS).count() > before, name
        return
    # Refused: the service's transaction rolls back, so the actor has written nothing at all
    # (every write of a service leaves an event with its actor). What the call prepared first —
    # a target account, a tenant — is the system's, not the actor's.
    with pytest.raises((PermissionDenied, ApplicationError)):
        write(actor, offices)
    assert not AuditEvent.objects.filter(actor=actor).exists(), name
