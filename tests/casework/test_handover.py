"""转办 (D1): a case moves to the responsible office with both offices in its history; during the
handover — until the receiving office first acts — the supervisors (only they) of the handing
office may read it, never act on it. Written as the requests of each side and of a third office."""

import pytest
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework import documents, services
from hukou_portal.casework.kinds import register, unregister
from hukou_portal.casework.models import Case, Status
from hukou_portal.casework.selectors import case_list_for_user
from hukou_portal.casework.services import ActionRefused
from tests.casework.factories import TEST_KIND, fresh, open_case, png_bytes, upload_all, upload_file
from tests.helpers import make_user, sign_in, zh


@pytest.fixture(autouse=True)
def test_kind():
    register(TEST_KIND)
    yield TEST_KIND
    unregister(TEST_KIND.code)


@pytest.fixture
def people(staff, offices):
    """月河 (staff: officer, supervisor) hands a case over to 织里; 南浔 is a third office."""
    return {
        "yuehe_officer": staff.officer,
        "yuehe_supervisor": staff.supervisor,
        "zhili_officer": make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer"),
        "zhili_supervisor": make_user(offices.zhili, Role.SUPERVISOR, username="zhili_supervisor"),
        "nanxun_supervisor": make_user(offices.nanxun_station, Role.SUPERVISOR, username="nanxun_supervisor"),
        "nanxun_officer": make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nanxun_officer"),
        "wuxing_supervisor": make_user(offices.wuxing, Role.SUPERVISOR, username="wuxing_supervisor"),
    }


@pytest.fixture
def handed_over(people, offices):
    case = open_case(people["yuehe_officer"])
    upload_all(case, people["yuehe_officer"])
    services.case_submit(case_id=case.pk, actor=people["yuehe_officer"], expected_version=None)
    services.case_transfer(case_id=case.pk, actor=people["yuehe_officer"], expected_version=None, office=offices.zhili)
    return fresh(case)


def client(user) -> Client:  # type: ignore[no-untyped-def]
    return sign_in(Client(), user)


def test_the_transfer_sets_the_handover_and_names_both_offices_in_the_history(handed_over, people, offices):
    assert (handed_over.office, handed_over.handover_from) == (offices.zhili, offices.yuehe)
    assert handed_over.assigned_officer is None
    event = AuditEvent.objects.get(action="case.transfer", case=handed_over)
    assert event.new_values["from_office"] == "月河派出所" and event.new_values["to_office"] == "织里派出所"
    assert event.actor_office == offices.yuehe
    page = client(people["zhili_officer"]).get(f"/cases/{handed_over.pk}/").content.decode()
    timeline = page[page.index('data-testid="timeline"') :]
    assert "月河派出所" in timeline and "织里派出所" in timeline  # both offices in the history
    assert zh("Transferred to another office") in timeline
    assert 'data-testid="handover-received"' in page


def test_the_handing_offices_supervisor_reads_the_case_and_nothing_more(handed_over, people):
    supervisor = people["yuehe_supervisor"]
    reader = client(supervisor)
    page = reader.get(f"/cases/{handed_over.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="handover-reader"' in body
    assert page.context["actions"] == []
    assert f'action="/cases/{handed_over.pk}/notes/"' not in body
    assert handed_over.pk in case_list_for_user(user=supervisor).values_list("pk", flat=True)
    # Every action is refused, through the pages and the services, and nothing changes.
    for action in ("reassign", "withdraw", "start_review", "transfer"):
        response = reader.post(f"/cases/{handed_over.pk}/actions/{action}/", {"version": handed_over.version})
        assert response.status_code in (302, 400, 403)
    response = reader.post(f"/cases/{handed_over.pk}/notes/", {"version": handed_over.version, "text": "看一眼"})
    assert response.status_code == 302
    with pytest.raises(ActionRefused):
        services.case_reassign(
            case_id=handed_over.pk, actor=supervisor, expected_version=None, officer=people["zhili_officer"]
        )
    with pytest.raises(ActionRefused):
        services.case_add_note(case_id=handed_over.pk, actor=supervisor, expected_version=None, text="x")
    # Printing a document would number it: refused as well.
    assert reader.post(f"/cases/{handed_over.pk}/print/receipt/").status_code == 302
    after = fresh(handed_over)
    assert (after.version, after.status, after.handover_from_id) == (
        handed_over.version,
        handed_over.status,
        handed_over.handover_from_id,
    )
    assert not handed_over.notes.exists() and not handed_over.issued_documents.exists()


def test_the_handing_offices_officer_cannot_see_it(handed_over, people):
    officer = client(people["yuehe_officer"])
    assert officer.get(f"/cases/{handed_over.pk}/").status_code == 404
    assert officer.get(f"/cases/{handed_over.pk}/timeline/").status_code == 404
    assert handed_over.pk not in case_list_for_user(user=people["yuehe_officer"]).values_list("pk", flat=True)
    document = handed_over.documents.first()
    assert officer.get(f"/cases/{handed_over.pk}/documents/{document.pk}/download/").status_code == 404


def test_a_third_office_never_sees_it(handed_over, people):
    for role in ("nanxun_supervisor", "nanxun_officer"):
        assert client(people[role]).get(f"/cases/{handed_over.pk}/").status_code == 404
        assert handed_over.pk not in case_list_for_user(user=people[role]).values_list("pk", flat=True)


@pytest.mark.parametrize("first_act", ["start_review", "note", "upload"])
def test_once_the_receiving_office_acts_the_handing_supervisor_no_longer_sees_it(handed_over, people, first_act):
    zhili_officer = people["zhili_officer"]
    if first_act == "start_review":
        services.case_start_review(case_id=handed_over.pk, actor=zhili_officer, expected_version=None)
    elif first_act == "note":
        services.case_add_note(case_id=handed_over.pk, actor=zhili_officer, expected_version=None, text="已接收")
    else:
        documents.document_upload(
            case_id=handed_over.pk,
            actor=zhili_officer,
            expected_version=None,
            requirement="photo",
            upload=upload_file("photo.png", png_bytes()),
        )
    case = fresh(handed_over)
    assert case.handover_from is None
    ended = AuditEvent.objects.get(action="case.handover_ended", case=case)
    assert (ended.actor, ended.old_values, ended.new_values) == (
        zhili_officer,
        {"handover_from": "月河派出所"},
        {"to_office": "织里派出所"},
    )
    assert client(people["yuehe_supervisor"]).get(f"/cases/{case.pk}/").status_code == 404
    assert client(people["zhili_supervisor"]).get(f"/cases/{case.pk}/").status_code == 200
    # The county bureau's supervisor sees both stations' cases all along.
    assert client(people["wuxing_supervisor"]).get(f"/cases/{case.pk}/").status_code == 200


def test_the_handover_ends_in_the_history_read_as_chinese(handed_over, people):
    services.case_start_review(case_id=handed_over.pk, actor=people["zhili_officer"], expected_version=None)
    body = client(people["zhili_officer"]).get(f"/cases/{handed_over.pk}/").content.decode()
    assert zh("Handover ended: the receiving office acted on the case") in body
    assert "handover_from" not in body and "to_office" not in body


def test_a_transfer_onwards_hands_over_from_the_last_office_only(handed_over, people, offices):
    services.case_transfer(
        case_id=handed_over.pk, actor=people["zhili_officer"], expected_version=None, office=offices.nanxun_station
    )
    case = fresh(handed_over)
    assert (case.office, case.handover_from) == (offices.nanxun_station, offices.zhili)
    assert client(people["zhili_supervisor"]).get(f"/cases/{case.pk}/").status_code == 200
    assert client(people["yuehe_supervisor"]).get(f"/cases/{case.pk}/").status_code == 404


def test_a_case_never_transferred_has_no_handover(people):
    case = open_case(people["yuehe_officer"])
    assert case.handover_from is None
    services.case_submit(case_id=case.pk, actor=people["yuehe_officer"], expected_version=None)
    assert not AuditEvent.objects.filter(action="case.handover_ended").exists()
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
