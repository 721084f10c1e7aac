"""Case pages: every URL is 404 outside the user's offices; conflicts answer "reload"; the
queue and detail pages cost the same number of queries however many cases or events they show."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework import services
from hukou_portal.casework.models import Case, CaseDocument, Status
from hukou_portal.casework.workflow import ACTIONS
from tests.audit.denials import denials_seen, events_but_denials
from tests.casework.factories import drive, fresh, open_case, png_bytes, upload_all, upload_file
from tests.helpers import make_user, sign_in, zh


@pytest.fixture
def case(staff):
    case = open_case(staff.officer)
    upload_all(case, staff.officer)
    return drive(case, "in_review", officer=staff.officer, supervisor=staff.supervisor)


def every_url(case: Case) -> list[tuple[str, str]]:
    document = case.documents.first()
    base = f"/cases/{case.pk}"
    urls = [
        ("get", f"{base}/"),
        ("get", f"{base}/timeline/"),
        ("get", f"{base}/notes/all/"),
        ("post", f"{base}/notes/"),
        ("post", f"{base}/documents/"),
    ]
    urls += [("get", f"{base}/documents/{document.pk}/download/"), ("post", f"{base}/documents/{document.pk}/verdict/")]
    for code in ACTIONS:
        urls += [("get", f"{base}/actions/{code}/"), ("post", f"{base}/actions/{code}/")]
    return urls


@pytest.mark.parametrize("role", [Role.COUNTER_OFFICER, Role.SUPERVISOR])
def test_every_url_of_another_offices_case_is_404(case, offices, role):
    user = make_user(offices.zhili, role, username="outsider")
    outsider = sign_in(Client(), user)
    events = events_but_denials().count()
    version = case.version
    urls = every_url(case)
    for method, url in urls:
        data = {"version": version, "text": "x", "reason": "x", "comment": "x", "accepted": "1"}
        response = getattr(outsider, method)(url, data) if method == "post" else outsider.get(url)
        assert response.status_code == 404, (method, url, response.status_code)
    # Nothing changed; every attempt is accounted for as a denied access (tests/audit/test_denials.py).
    assert events_but_denials().count() == events
    assert denials_seen(user) == len(urls)
    assert fresh(case).version == version


def test_county_officer_sees_the_stations_case(case, offices):
    county = sign_in(Client(), make_user(offices.wuxing, Role.COUNTER_OFFICER, username="county_officer"))
    assert county.get(f"/cases/{case.pk}/").status_code == 200


def test_detail_page_shows_masked_applicant_actions_and_history(case, staff):
    client = sign_in(Client(), staff.officer)
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert case.applicant.masked_id_number in body
    assert case.applicant.id_number not in body
    assert zh("Forward for approval") in body
    assert zh("Accepted at the counter") in body  # the timeline, read from the audit trail


def test_stale_form_is_refused_with_reload_and_nothing_changes(case, staff):
    client = sign_in(Client(), staff.officer)
    stale = case.version
    services.case_add_note(case_id=case.pk, actor=staff.officer, expected_version=stale, text="先到一步")
    events = events_but_denials().count()
    response = client.post(f"/cases/{case.pk}/actions/forward/", {"version": stale}, follow=True)
    assert zh("This case was changed by someone else. Reload the page and try again.") in response.content.decode()
    assert fresh(case).status == Status.IN_REVIEW
    assert events_but_denials().count() == events
    # The conflict is recorded once, as a failure rather than a refusal.
    refused = AuditEvent.objects.get(action="action.refused", actor=staff.officer)
    assert refused.outcome == "failed" and refused.new_values["path"] == f"/cases/{case.pk}/actions/forward/"


def test_conflict_is_http_409_for_non_html_clients(case, staff):
    client = sign_in(Client(), staff.officer)
    stale = case.version
    services.case_add_note(case_id=case.pk, actor=staff.officer, expected_version=stale, text="先到一步")
    response = client.post(f"/cases/{case.pk}/actions/forward/", {"version": stale}, HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert response.json()["case"] == case.reference
    assert fresh(case).status == Status.IN_REVIEW


def test_refused_action_page_explains_in_chinese(case, staff):
    client = sign_in(Client(), staff.supervisor)
    page = client.get(f"/cases/{case.pk}/actions/forward/")
    assert page.status_code == 200
    assert zh("Your role may not do this: it needs the role %(role)s.").split("%")[0] in page.content.decode()
    response = client.post(
        f"/cases/{case.pk}/actions/forward/", {"version": case.version}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 403
    assert fresh(case).status == Status.IN_REVIEW


def test_rejection_needs_a_reason(case, staff):
    services.case_forward(case_id=case.pk, actor=staff.officer, expected_version=None)
    client = sign_in(Client(), staff.supervisor)
    response = client.post(f"/cases/{case.pk}/actions/reject/", {"version": fresh(case).version, "reason": ""})
    assert response.status_code == 400
    assert fresh(case).status == Status.PENDING_APPROVAL


def test_reject_keeps_reason_for_the_applicant_apart_from_notes(case, staff):
    services.case_add_note(case_id=case.pk, actor=staff.officer, expected_version=None, text="内部：材料存疑")
    services.case_forward(case_id=case.pk, actor=staff.officer, expected_version=None)
    services.case_reject(case_id=case.pk, actor=staff.supervisor, expected_version=None, reason="住所证明不符")
    case = fresh(case)
    assert case.rejection_reason == "住所证明不符"
    assert "内部" not in case.rejection_reason
    assert case.notes.get().text == "内部：材料存疑"


def test_transfer_moves_the_case_and_both_offices_see_the_event(case, staff, offices):
    services.case_transfer(case_id=case.pk, actor=staff.officer, expected_version=None, office=offices.zhili)
    case = fresh(case)
    assert case.office == offices.zhili and case.assigned_officer is None
    event = AuditEvent.objects.get(action="case.transfer")
    assert event.new_values["from_office"] == offices.yuehe.name
    assert event.new_values["to_office"] == offices.zhili.name
    zhili_officer = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer"))
    assert offices.yuehe.name in zhili_officer.get(f"/cases/{case.pk}/timeline/").content.decode()
    zhili_auditor = sign_in(Client(), make_user(offices.zhili, Role.AUDITOR, username="zhili_auditor"))
    yuehe_auditor = sign_in(Client(), staff.auditor)
    for auditor in (zhili_auditor, yuehe_auditor):
        page = auditor.get("/audit/", {"action": "case.transfer"})
        assert [e.pk for e in page.context["page"]] == [event.pk]


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queue_query_count_does_not_grow_with_cases(staff):
    client = sign_in(Client(), staff.officer)
    for i in range(2):
        open_case(staff.officer, sequence=100 + i)
    client.get("/cases/")  # the filter's officers are read once, then kept
    few = _queries(client, "/cases/")
    for i in range(12):
        open_case(staff.officer, sequence=200 + i)
    assert _queries(client, "/cases/") == few


def test_detail_query_count_does_not_grow_with_events_documents_or_notes(case, staff):
    client = sign_in(Client(), staff.officer)
    url = f"/cases/{case.pk}/"
    few = _queries(client, url)
    for i in range(8):
        services.case_add_note(case_id=case.pk, actor=staff.officer, expected_version=None, text=f"备注{i}")
        from hukou_portal.casework.documents import document_upload

        document_upload(
            case_id=case.pk,
            actor=staff.officer,
            expected_version=None,
            requirement="photo",
            upload=upload_file(f"p{i}.png", png_bytes()),
        )
    assert CaseDocument.objects.filter(case=case).count() == 10
    assert _queries(client, url) <= few  # no more with 110 events (fewer: no document names to read)


def test_the_queue_and_a_case_page_read_a_fixed_few_queries(staff, django_assert_max_num_queries):
    """Once the user's permissions, roles and the calendar are kept (as after their first page):
    the queue — session, user and office, second factor, the user's offices, the cases, the unread
    badge (the filter's offices and officers kept); a case's page — the case and what it shows."""
    case = open_case(staff.officer)
    client = sign_in(Client(), staff.officer)
    client.get("/cases/")  # the filter's officers are read once, then kept
    with django_assert_max_num_queries(6):
        assert client.get("/cases/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/cases/{case.pk}/").status_code == 200


def test_a_case_page_shows_the_latest_50_events_and_links_the_whole_history(case, staff):
    """A case with a long history: its page shows the latest 50 events (and costs what a short
    one costs); the history page shows them all, a hundred a page, oldest first."""
    from hukou_portal.audit.models import AuditEvent

    client = sign_in(Client(), staff.officer)
    url = f"/cases/{case.pk}/"
    short_page = client.get(url).content.decode()
    assert 'data-testid="timeline-earlier"' not in short_page
    few = _queries(client, url)
    for i in range(110):
        services.case_add_note(case_id=case.pk, actor=staff.officer, expected_version=None, text=f"备注{i}")
    events = list(AuditEvent.objects.filter(case=case).order_by("occurred_at", "id").values_list("pk", flat=True))
    assert len(events) > 110
    response = client.get(url)
    body = response.content.decode()
    assert [event.pk for event in response.context["timeline"]] == events[-50:]
    assert 'data-testid="timeline-earlier"' in body and f'href="/cases/{case.pk}/timeline/"' in body
    assert _queries(client, url) <= few  # no more with 110 events (fewer: no document names to read)
    first = client.get(f"/cases/{case.pk}/timeline/")
    assert [event.pk for event in first.context["timeline"]] == events[:100]
    second = client.get(f"/cases/{case.pk}/timeline/?page=2")
    assert [event.pk for event in second.context["timeline"]] == events[100:]
    assert "?page=2" in first.content.decode()


def test_a_case_page_shows_the_latest_20_notes_and_links_them_all(case, staff):
    """Internal notes are bounded like the history: 25 notes cost the case page what 1 does."""
    client = sign_in(Client(), staff.officer)
    url = f"/cases/{case.pk}/"
    services.case_add_note(case_id=case.pk, actor=staff.officer, expected_version=None, text="第一条备注")
    _queries(client, url)
    one = _queries(client, url)
    page = client.get(url)
    assert 'data-testid="notes-earlier"' not in page.content.decode()
    assert [note.text for note in page.context["notes"]] == ["第一条备注"]
    for i in range(2, 26):
        services.case_add_note(case_id=case.pk, actor=staff.officer, expected_version=None, text=f"备注{i}")
    page = client.get(url)
    body = page.content.decode()
    assert [note.text for note in page.context["notes"]] == [f"备注{i}" for i in range(6, 26)]  # the latest 20
    assert zh("The latest %(count)s notes.") % {"count": 20} in body
    assert f'href="/cases/{case.pk}/notes/all/"' in body and zh("All notes") in body
    assert _queries(client, url) <= one
    everything = client.get(f"/cases/{case.pk}/notes/all/")
    assert everything.status_code == 200
    assert [note.text for note in everything.context["notes"]] == ["第一条备注"] + [f"备注{i}" for i in range(2, 26)]
