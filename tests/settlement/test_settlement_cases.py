"""Settlement cases end to end through the pages: intake with family, the live pre-check,
the decision and its basis, hukou entries, the receipt and the notice."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework import services as case_services
from hukou_portal.casework.models import Case, Status
from hukou_portal.people.models import Person, Town
from hukou_portal.people.services import person_create
from hukou_portal.rules.services import parameter_schedule
from settlement.models import HukouEntry, SettlementApplication
from tests.casework.factories import accept_all, fresh, upload_all
from tests.helpers import make_user, sign_in, valid_id_number, zh

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
CHILD = valid_id_number(birth_date=dt.date(2015, 6, 1), sequence=222)
ADULT_SON = valid_id_number(birth_date=dt.date(1995, 6, 1), sequence=333)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def applicant(staff):
    return person_create(actor=staff.officer, id_number=valid_id_number(birth_date=dt.date(1988, 3, 2)), name="王小明")


@pytest.fixture
def town(db):
    return Town.objects.get(area__code="330502", name="月河街道")


def rental_intake(applicant, town, *, filed_on="2026-01-10", family=None, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "category": "rental",
        "applicant_id_number": applicant.id_number,
        "details-town": town.pk,
        "details-address": "红旗路 8 号",
        "details-community": "红旗社区",
        "details-marital_status": "married",
        "details-education_level": "senior_secondary",
        "details-home_right": "ownership",
        "details-lease_private_housing": "on",
        "details-lease_town": town.pk,
        "details-lease_filed_on": filed_on,
        "details-permit_valid": "on",
        "details-host_family_household": "on",
        "details-social_insurance_months": "0",
    }
    family = family or []
    data.update({"details-family-TOTAL_FORMS": str(len(family)), "details-family-INITIAL_FORMS": "0"})
    for index, (name, number, relation, marital) in enumerate(family):
        data.update(
            {
                f"details-family-{index}-name": name,
                f"details-family-{index}-id_number": number,
                f"details-family-{index}-relation": relation,
                f"details-family-{index}-marital_status": marital,
            }
        )
    data.update(overrides)
    return data


def open_rental_case(client, applicant, town, **kwargs):  # type: ignore[no-untyped-def]
    response = client.post("/cases/new/settlement/", rental_intake(applicant, town, **kwargs))
    assert response.status_code == 302, response.context and response.context.get("form").errors
    return Case.objects.get(kind="settlement")


def to_pending_approval(case, staff):  # type: ignore[no-untyped-def]
    for step in ("submit", "start_review"):
        getattr(case_services, f"case_{step}")(case_id=case.pk, actor=staff.officer, expected_version=None)
    upload_all(fresh(case), staff.officer)
    accept_all(fresh(case), staff.officer)
    case_services.case_forward(case_id=case.pk, actor=staff.officer, expected_version=None)
    return fresh(case)


def test_intake_stores_facts_and_family_and_gives_a_receipt(staff, applicant, town):
    client = sign_in(Client(), staff.officer)
    case = open_rental_case(
        client,
        applicant,
        town,
        family=[("小宝", CHILD, "child", "unmarried"), ("大儿子", ADULT_SON, "child", "married")],
    )
    application = SettlementApplication.objects.get(case=case)
    assert application.facts["person"]["lease"]["filed_on"] == "2026-01-10"
    assert [m.ref for m in application.members.all()] == ["m1", "m2"]
    # The receipt is given at 受理; the settlement address leads to the casework receipt.
    case_services.case_submit(case_id=case.pk, actor=staff.officer, expected_version=None)
    receipt = client.get(f"/settlement/cases/{case.pk}/receipt/", follow=True)
    assert receipt.redirect_chain == [(f"/cases/{case.pk}/print/receipt/", 302)]
    assert case.reference in receipt.content.decode()
    assert "租赁登记备案证明" in receipt.content.decode()
    detail = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="category-eligible"' in detail


def test_precheck_answers_while_the_officer_types(staff, applicant, town):
    client = sign_in(Client(), staff.officer)
    response = client.post("/settlement/precheck/", rental_intake(applicant, town, filed_on="2026-08-15"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "S1.2" in body
    assert zh("Only time is missing: eligible from %(day)s.") % {"day": "2027年2月15日"} in body
    incomplete = client.post("/settlement/precheck/", {"applicant_id_number": applicant.id_number})
    assert zh("Still missing for the pre-check") in incomplete.content.decode()


def test_bad_intake_names_the_field_and_keeps_what_was_typed(staff, applicant, town):
    client = sign_in(Client(), staff.officer)
    response = client.post(
        "/cases/new/settlement/",
        rental_intake(applicant, town, filed_on="2027-01-01", **{"details-address": "红旗路 8 号"}),
    )
    assert response.status_code == 200
    assert zh("A lease cannot be filed in the future.") in response.content.decode()
    assert "红旗路 8 号" in response.content.decode()
    assert not Case.objects.exists() and not SettlementApplication.objects.exists()


def test_negative_social_insurance_is_refused(staff, applicant, town):
    client = sign_in(Client(), staff.officer)
    data = rental_intake(
        applicant,
        town,
        category="employment",
        **{"details-employment_area": "330502", "details-social_insurance_months": "-1"},
    )
    assert client.post("/cases/new/settlement/", data).status_code == 200
    assert not Case.objects.exists()


def test_approval_records_the_basis_and_completion_writes_hukou_entries(staff, applicant, town, city_admin):
    client = sign_in(Client(), staff.officer)
    case = open_rental_case(
        client,
        applicant,
        town,
        family=[("小宝", CHILD, "child", "unmarried"), ("大儿子", ADULT_SON, "child", "married")],
    )
    case = to_pending_approval(case, staff)
    case_services.case_approve(case_id=case.pk, actor=staff.supervisor, expected_version=None)
    application = SettlementApplication.objects.get(case=case)
    assert application.decision["parameters"]["lease_filing_min_months"] == 6
    event = AuditEvent.objects.get(action="case.approve", case=case)
    assert event.new_values["clause"] == "S1.2" and event.new_values["engine_eligible"] is True

    # A later parameter change never alters the recorded decision.
    parameter_schedule(
        actor=city_admin, key="lease_filing_min_months", value=24, effective_from=dt.date(2026, 12, 2), reason="x"
    )
    case_services.case_complete(case_id=case.pk, actor=staff.officer, expected_version=None)
    application.refresh_from_db()
    assert application.decision["parameters"]["lease_filing_min_months"] == 6
    entries = {entry.person.id_number: entry for entry in HukouEntry.objects.filter(case=case)}
    assert set(entries) == {applicant.id_number, CHILD}
    assert entries[applicant.id_number].household_type == "community_collective"
    assert entries[applicant.id_number].clause == "S1.2"
    assert entries[CHILD].clause == "S6.1"
    assert Person.objects.with_id_number(CHILD).exists() and not Person.objects.with_id_number(ADULT_SON).exists()
    notice = client.get(f"/settlement/cases/{case.pk}/notice/").content.decode()
    assert zh("Notice of approval of settlement (准予落户通知书)") in notice
    assert "S1.2" in notice


def test_approving_against_the_precheck_needs_a_justification(staff, applicant, town):
    client = sign_in(Client(), staff.officer)
    case = to_pending_approval(open_rental_case(client, applicant, town, filed_on="2026-11-01"), staff)
    supervisor = sign_in(Client(), staff.supervisor)
    refused = supervisor.post(f"/cases/{case.pk}/actions/approve/", {"version": case.version})
    assert refused.status_code == 200
    assert "justification" in refused.context["form"].errors
    assert fresh(case).status == Status.PENDING_APPROVAL
    approved = supervisor.post(
        f"/cases/{case.pk}/actions/approve/", {"version": case.version, "justification": "县政府特批：人才引进专项"}
    )
    assert approved.status_code == 302
    event = AuditEvent.objects.get(action="case.approve", case=case)
    assert event.note == "县政府特批：人才引进专项" and event.new_values["engine_eligible"] is False


def test_refusal_notice_names_the_clauses_and_the_reason(staff, applicant, town):
    client = sign_in(Client(), staff.officer)
    case = to_pending_approval(open_rental_case(client, applicant, town, filed_on="2026-11-01"), staff)
    case_services.case_reject(
        case_id=case.pk, actor=staff.supervisor, expected_version=None, reason="租赁备案未满六个月"
    )
    notice = client.get(f"/settlement/cases/{case.pk}/notice/").content.decode()
    assert zh("Notice of refusal of settlement (不予落户告知书)") in notice
    assert "租赁备案未满六个月" in notice and "S1.2" in notice


def test_other_offices_get_404_on_receipt_and_notice(staff, applicant, town, offices):
    from hukou_portal.accounts.roles import Role

    case = open_rental_case(sign_in(Client(), staff.officer), applicant, town)
    outsider = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="outsider"))
    for url in (f"/settlement/cases/{case.pk}/receipt/", f"/settlement/cases/{case.pk}/notice/"):
        assert outsider.get(url).status_code == 404


def test_the_city_bureaus_administrators_keep_the_document_lists(city_admin_client, admin_client, staff):
    page = admin_client.get("/settlement/documents/")
    assert "不动产权证书" in page.content.decode()  # a station's administrator reads them
    response = city_admin_client.post(
        "/settlement/documents/", {"category": "talent", "code": "talent_cert", "label": "人才认定证明"}
    )
    assert response.status_code == 302
    from settlement.services import required_documents

    assert "talent_cert" in [d.code for d in required_documents("talent")]
    assert AuditEvent.objects.filter(action="settlement.document_added").exists()
    officer = sign_in(Client(), staff.officer)
    assert officer.post("/settlement/documents/", {"category": "talent", "code": "x", "label": "x"}).status_code == 403
