"""Permits: R3.2 at the decision, issue on completion, signed e-permits that anyone can verify,
endorsement lapse and restore, replacement, cancellation with the registration."""

import base64
import datetime as dt
import json

import pytest
from django.conf import settings
from django.test import Client

from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework import services as case_services
from hukou_portal.casework.models import Case, Status
from hukou_portal.core.exceptions import ApplicationError
from permits import epermit, services
from permits.models import ResidencePermit
from tests.casework.factories import fresh
from tests.helpers import sign_in, zh
from tests.permits.factories import apply_for_permit, declare, issue_permit

D = dt.date


def test_r32_is_checked_at_the_decision_and_the_permit_issued_on_completion(staff, holder):
    declare(staff.officer, holder, accepted_on=D(2026, 6, 1))  # exactly 6 months on 2026-12-01
    case = apply_for_permit(staff.officer, staff.supervisor, holder)
    case_services.case_approve(case_id=case.pk, actor=staff.supervisor, expected_version=None)
    assert case.permit_application.__class__.objects.get(case=case).basis["eligible"] is True
    case_services.case_complete(case_id=case.pk, actor=staff.officer, expected_version=None)
    permit = ResidencePermit.objects.get(case=case)
    assert permit.number.startswith("ZJ3305022026")
    assert (permit.issued_on, permit.endorsed_until) == (D(2026, 12, 1), D(2027, 12, 1))
    assert permit.state_on(D(2026, 12, 1)) == "valid"
    assert AuditEvent.objects.filter(action="permit.issued", case=case).exists()


def test_five_months_of_registration_need_a_justification(staff, holder):
    declare(staff.officer, holder, accepted_on=D(2026, 6, 2))
    case = apply_for_permit(staff.officer, staff.supervisor, holder)
    with pytest.raises(ApplicationError) as refused:
        case_services.case_approve(case_id=case.pk, actor=staff.supervisor, expected_version=None)
    assert refused.value.field == "justification"
    assert fresh(case).status == Status.PENDING_APPROVAL


def test_an_application_for_someone_with_an_active_permit_is_refused(staff, holder):
    issue_permit(staff.officer, staff.supervisor, holder)
    with pytest.raises(ApplicationError, match=r"permit|居住证"):
        apply_for_permit(staff.officer, staff.supervisor, holder)
    assert Case.objects.filter(kind="permit_application").count() == 1


# --- e-permit signatures --------------------------------------------------------------------------


def verify_page(token: str):  # type: ignore[no-untyped-def]
    return Client().get(f"/verify/{token}")


def test_a_genuine_token_verifies_on_the_public_page(staff, holder):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    response = verify_page(permit.token)
    body = response.content.decode()
    assert response.status_code == 200 and response.context["valid"] is True
    assert holder.masked_id_number in body and holder.id_number not in body
    assert "陈**" in body and holder.name not in body


def flip_bit(token: str, position: int) -> str:
    body, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[position] ^= 0x01
    return body + "." + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def test_a_flipped_bit_is_refused(staff, holder):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    for position in (0, 31, 63):
        with pytest.raises(epermit.TokenInvalid, match="bad_signature"):
            epermit.verify(flip_bit(permit.token, position))
        assert verify_page(flip_bit(permit.token, position)).context["valid"] is False


def test_an_altered_payload_is_refused(staff, holder):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    body, signature = permit.token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["issued"] = "2020-01-01"
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode() + "." + signature
    assert verify_page(forged).context["valid"] is False


def test_a_token_signed_with_another_key_is_refused(staff, holder, settings):
    from hukou_portal.settings.epermit_keys import new_keyset

    permit = issue_permit(staff.officer, staff.supervisor, holder)
    stranger = new_keyset("test-2")  # same key id, different key
    settings.EPERMIT_KEYS = {**settings.EPERMIT_KEYS, "private": stranger["private"]}
    forged, _kid = epermit.sign({"v": 1, "no": permit.number})
    settings.EPERMIT_KEYS = {**settings.EPERMIT_KEYS, "private": {}}
    with pytest.raises(epermit.TokenInvalid, match="bad_signature"):
        epermit.verify(forged)


def test_an_unknown_key_id_is_refused(staff, holder, settings):
    from hukou_portal.settings.epermit_keys import new_keyset

    rogue = new_keyset("rogue-1")
    original = settings.EPERMIT_KEYS
    settings.EPERMIT_KEYS = {"active": "rogue-1", "private": rogue["private"], "public": original["public"]}
    forged, _kid = epermit.sign({"v": 1, "no": "ZJ0"})
    settings.EPERMIT_KEYS = original
    with pytest.raises(epermit.TokenInvalid, match="unknown_key"):
        epermit.verify(forged)
    page = verify_page(forged)
    assert page.context["valid"] is False
    assert zh("The code was not signed with a key of the Huzhou public security bureau.") in page.content.decode()


def test_a_key_rotation_keeps_earlier_tokens_valid(staff, holder, settings):
    from hukou_portal.settings.epermit_keys import new_keyset

    permit = issue_permit(staff.officer, staff.supervisor, holder)
    newer = new_keyset("test-3")
    settings.EPERMIT_KEYS = {
        "active": "test-3",
        "private": newer["private"],  # the old private key is gone
        "public": {**settings.EPERMIT_KEYS["public"], **newer["public"]},
    }
    assert verify_page(permit.token).context["valid"] is True
    keys = Client().get("/verify/keys.json").json()
    assert {key["kid"] for key in keys["keys"]} == {"test-1", "test-2", "test-3"}


def test_revoked_permits_never_show_as_valid(staff, holder):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    new = services.permit_replace(actor=staff.officer, permit_id=permit.pk, reason="遗失")
    old_page = verify_page(permit.token)
    assert old_page.context["valid"] is False
    assert zh("The permit has been replaced by a new one; this code is no longer valid.") in old_page.content.decode()
    assert verify_page(new.token).context["valid"] is True
    assert (new.issued_on, new.endorsed_until) == (permit.issued_on, permit.endorsed_until)


def test_the_public_keys_verify_a_token_offline(staff, holder):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    permit = issue_permit(staff.officer, staff.supervisor, holder)
    keys = {key["kid"]: key["public_key"] for key in Client().get("/verify/keys.json").json()["keys"]}
    body, signature = permit.token.split(".")
    kid = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))["kid"]
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(keys[kid]))
    public.verify(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)), body.encode())


# --- endorsement ------------------------------------------------------------------------------------


def test_endorsement_opens_thirty_days_before_and_runs_on(staff, holder, _now):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    with pytest.raises(ApplicationError):
        services.permit_endorse(actor=staff.officer, permit_id=permit.pk)
    _now.move_to(dt.datetime(2027, 11, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    endorsed = services.permit_endorse(actor=staff.officer, permit_id=permit.pk)
    assert endorsed.endorsed_until == D(2028, 12, 1)


def test_a_permit_not_endorsed_in_time_lapses_and_endorsement_restores_it(staff, holder, _now):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    assert permit.state_on(D(2027, 12, 1)) == "valid"
    assert permit.state_on(D(2027, 12, 2)) == "lapsed"
    _now.move_to(dt.datetime(2028, 1, 15, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    assert verify_page(permit.token).context["valid"] is False
    restored = services.permit_endorse(actor=staff.officer, permit_id=permit.pk)
    assert restored.endorsed_until == D(2029, 1, 15)
    assert verify_page(permit.token).context["valid"] is True
    event = AuditEvent.objects.get(action="permit.endorsed")
    assert event.old_values["state"] == "lapsed"


def test_cancelling_the_registration_cancels_the_permit(staff, holder):
    declare(staff.officer, holder, accepted_on=D(2026, 5, 1))
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    case = case_services.case_create(
        actor=staff.officer,
        kind="registration_cancel",
        category="moved_away",
        applicant=holder,
        details={"effective_on": D(2026, 12, 1)},
    )
    from tests.casework.factories import accept_all, upload_all

    for step in ("submit", "start_review"):
        getattr(case_services, f"case_{step}")(case_id=case.pk, actor=staff.officer, expected_version=None)
    upload_all(fresh(case), staff.officer)
    accept_all(fresh(case), staff.officer)
    case_services.case_approve_at_counter(case_id=case.pk, actor=staff.officer, expected_version=None)
    case_services.case_complete(case_id=case.pk, actor=staff.officer, expected_version=None)
    permit.refresh_from_db()
    assert permit.status == ResidencePermit.Status.CANCELLED
    assert verify_page(permit.token).context["valid"] is False


# --- pages ------------------------------------------------------------------------------------------


def test_permit_page_shows_the_qr_code_and_card(staff, holder):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    client = sign_in(Client(), staff.officer)
    page = client.get(f"/permits/{permit.pk}/")
    assert permit.token in page.content.decode()
    qr = client.get(f"/permits/{permit.pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert client.get(f"/permits/{permit.pk}/card/").status_code == 200


@pytest.mark.parametrize("method_url", ["get:/", "get:card/", "get:qr.svg", "post:endorse/", "post:replace/"])
def test_other_offices_get_404_on_every_permit_url(staff, holder, offices, method_url):
    from hukou_portal.accounts.roles import Role
    from tests.helpers import make_user

    permit = issue_permit(staff.officer, staff.supervisor, holder)
    outsider = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="outsider"))
    method, suffix = method_url.split(":")
    url = f"/permits/{permit.pk}/{suffix}".replace("//", "/")
    response = getattr(outsider, method)(url, {"reason": "遗失"} if method == "post" else None)
    assert response.status_code == 404
    permit.refresh_from_db()
    assert permit.status == ResidencePermit.Status.ACTIVE and permit.endorsed_until == D(2027, 12, 1)


def test_settings_keys_never_reach_the_public_keys_page():
    body = Client().get("/verify/keys.json").content.decode()
    for private in settings.EPERMIT_KEYS["private"].values():
        assert private not in body


def test_settlement_intake_is_prefilled_from_the_records(staff, holder):
    from registration import services as registration_services

    permit = issue_permit(staff.officer, staff.supervisor, holder)
    from hukou_portal.people.models import Town

    registration_services.lease_filing_record(
        actor=staff.officer,
        filing_number="HZZL-PREFILL-1",
        filed_on=D(2026, 5, 10),
        town=Town.objects.get(area__code="330502", name="月河街道"),
        address="红旗路 3 号",
        housing="private",
        landlord="房东",
        tenant=holder,
        term_start=D(2026, 5, 10),
        term_end=D(2027, 5, 9),
    )
    client = sign_in(Client(), staff.officer)
    page = client.post("/cases/new/settlement/applicant/", {"applicant": holder.id_number}, follow=True)
    assert holder.id_number not in page.redirect_chain[-1][0]  # a signed reference in the address
    facts = page.context["details"].facts
    assert facts["lease_filed_on"].value() == D(2026, 5, 10)
    assert facts["permit_issued_on"].value() == permit.issued_on
    assert page.context["form"]["applicant_id_number"].value() == holder.id_number
    assert 'data-testid="prefilled"' in page.content.decode()
