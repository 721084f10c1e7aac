"""Denied accesses and refused actions are audited (MLPS 8.1.4.3), written as the attacks: an
officer of 月河 reaches for another office's case, person and permit, a supervisor approves
their own case, an officer opens an administrator's page, a script scans ids. Each attacker gets
the refusal and leaves exactly one event, with no query string; a scan cannot flood the trail
and loses no count; a refused write rolls back while the record of its refusal stays."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent, Outcome, SuppressedDenials
from hukou_portal.audit.services import suppressed_denials_summarise
from hukou_portal.audit.tasks import summarise_suppressed_denials_task
from hukou_portal.casework import services as case_services
from hukou_portal.casework.kinds import register, unregister
from hukou_portal.casework.models import Case, Status
from hukou_portal.people.services import person_create
from permits.models import ResidencePermit
from tests.audit.denials import events_but_denials
from tests.casework.factories import TEST_KIND, accept_all, fresh, open_case, upload_all
from tests.helpers import make_user, sign_in, valid_id_number, zh
from tests.notifications.conftest import make_permit

NOW = dt.datetime(2026, 12, 1, 10, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
# A query string the trail must not keep (it may carry anything the user typed). A query with an
# ID number never reaches a view at all: tests/core/test_id_numbers_in_addresses.py.
QUERY = "from=scan&q=%E7%8E%8B"
FOUR_EYES = "You created, accepted, reviewed or forwarded this case, so another supervisor must decide it (four eyes)."


@pytest.fixture(autouse=True)
def test_kind():
    register(TEST_KIND)
    yield TEST_KIND
    unregister(TEST_KIND.code)


@pytest.fixture
def zhili(offices):
    """Another station's officer, person, case and permit (织里, a sibling of 月河)."""
    officer = make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer")
    person = person_create(actor=officer, id_number=valid_id_number(sequence=701), name="李织里")
    case = open_case(officer, sequence=702)
    permit = make_permit(offices.zhili, issued_on=dt.date(2026, 6, 1), sequence=703)
    return {"officer": officer, "person": person, "case": case, "permit": permit}


def denials() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__in=["access.denied", "action.refused"]).order_by("id"))


def _targets(zhili) -> dict[str, tuple[str, str, dict[str, str]]]:
    case, person, permit = zhili["case"], zhili["person"], zhili["permit"]
    return {
        "case page": ("get", f"/cases/{case.pk}/", {}),
        "case timeline": ("get", f"/cases/{case.pk}/timeline/", {}),
        "case note": ("post", f"/cases/{case.pk}/notes/", {"version": str(case.version), "text": "看看"}),
        "case action": ("post", f"/cases/{case.pk}/actions/withdraw/", {"version": str(case.version), "reason": "x"}),
        "person page": ("get", f"/people/{person.pk}/", {}),
        "permit page": ("get", f"/permits/{permit.pk}/", {}),
        "permit card": ("get", f"/permits/{permit.pk}/card/", {}),
        "permit endorse": ("post", f"/permits/{permit.pk}/endorse/", {}),
        "permit replace": ("post", f"/permits/{permit.pk}/replace/", {"reason": "遗失"}),
    }


@pytest.mark.parametrize(
    "target",
    [
        "case page",
        "case timeline",
        "case note",
        "case action",
        "person page",
        "permit page",
        "permit card",
        "permit endorse",
        "permit replace",
    ],
)
def test_another_offices_page_is_refused_and_leaves_one_denied_event(staff, zhili, target):
    method, path, data = _targets(zhili)[target]
    attacker = sign_in(Client(), staff.officer)
    business = events_but_denials().count()
    url = f"{path}?{QUERY}"
    response = attacker.get(url) if method == "get" else attacker.post(url, data)
    assert response.status_code == 404

    [event] = denials()
    assert (event.action, event.outcome) == ("access.denied", Outcome.DENIED)
    assert (event.actor, event.actor_office) == (staff.officer, staff.officer.office)
    assert event.new_values["path"] == path  # no query string
    assert event.new_values["method"] == method.upper()
    assert event.new_values["status"] == 404
    assert event.ip_address == "127.0.0.1" and event.request_id == response["X-Request-ID"]
    everything = str(AuditEvent.objects.filter(pk=event.pk).values().get())
    assert "?" not in everything and "scan" not in everything and "%E7" not in everything
    # The refused change did not happen.
    assert events_but_denials().count() == business
    assert fresh(zhili["case"]).version == zhili["case"].version


def test_a_supervisor_approving_their_own_case_is_refused_and_it_is_audited_once(offices, staff):
    both = make_user(offices.yuehe, Role.COUNTER_OFFICER, Role.SUPERVISOR, username="both")
    case = open_case(both)
    upload_all(case, both)
    case_services.case_submit(case_id=case.pk, actor=both, expected_version=None)
    case_services.case_start_review(case_id=case.pk, actor=staff.officer, expected_version=None)
    accept_all(fresh(case), staff.officer)
    case = case_services.case_forward(case_id=case.pk, actor=staff.officer, expected_version=None)
    client = sign_in(Client(), both)

    path = f"/cases/{case.pk}/actions/approve/"
    response = client.post(f"{path}?{QUERY}", {"version": case.version, "justification": "情况特殊"})
    assert response.status_code == 302
    assert zh(FOUR_EYES) in client.get(response["Location"]).content.decode()

    [event] = denials()
    assert (event.action, event.outcome) == ("action.refused", Outcome.DENIED)
    assert (event.actor, event.actor_office) == (both, offices.yuehe)
    assert event.new_values == {
        "path": path,
        "method": "POST",
        "status": 302,
        "reason": zh(FOUR_EYES),
        "field": "",
    }
    assert "scan" not in str(event.new_values)
    assert fresh(case).status == Status.PENDING_APPROVAL
    assert not AuditEvent.objects.filter(case=case, action="case.approve").exists()


def test_an_officer_opening_an_administrators_page_is_refused_and_audited(staff):
    attacker = sign_in(Client(), staff.officer)
    response = attacker.get("/accounts/users/?q=admin")
    assert response.status_code == 403
    [event] = denials()
    assert (event.action, event.outcome, event.actor) == ("access.denied", Outcome.DENIED, staff.officer)
    assert event.new_values == {
        "path": "/accounts/users/",
        "method": "GET",
        "status": 403,
    }


def test_the_auditor_reads_the_denial_in_words_and_filters_by_outcome(staff, zhili):
    sign_in(Client(), staff.officer).get(f"/cases/{zhili['case'].pk}/")
    auditor = sign_in(Client(), staff.auditor)
    page = auditor.get("/audit/", {"outcome": "denied"})
    assert page.status_code == 200
    rows = list(page.context["table"].data)
    assert [event.action for event in rows] == ["access.denied"]
    body = page.content.decode()
    assert zh("Access denied") in body and zh("denied") in body
    assert zh("404 — not found, or outside the user's offices") in body
    assert f"/cases/{zhili['case'].pk}/" in body
    # Successful events are filtered out by the same bar.
    assert all(
        event.outcome == "success" for event in auditor.get("/audit/", {"outcome": "success"}).context["table"].data
    )
    export = b"".join(auditor.get("/audit/export.csv", {"outcome": "denied"}).streaming_content).decode("utf-8-sig")
    header, row = export.splitlines()[:2]
    assert header.split(",")[:3] == [zh("Time"), zh("Action"), zh("Outcome")]
    assert row.split(",")[1:3] == [zh("Access denied"), zh("denied")]


def test_a_scan_of_200_ids_writes_at_most_cap_plus_one_events_and_counts_every_denial(staff, zhili, settings):
    cap = settings.AUDIT_DENIALS_PER_MINUTE
    first = zhili["case"].pk
    with time_machine.travel(NOW, tick=False) as traveller:
        attacker = sign_in(Client(), staff.officer)
        for pk in range(first, first + 200):
            assert attacker.get(f"/cases/{pk}/").status_code == 404
        assert len(denials()) == cap
        # The minute is not over: nothing is summarised yet.
        assert suppressed_denials_summarise() == 0
        traveller.shift(dt.timedelta(minutes=2))
        assert summarise_suppressed_denials_task() == 1
        assert summarise_suppressed_denials_task() == 0  # a rerun writes nothing more
    events = AuditEvent.objects.filter(actor=staff.officer, action__startswith="access.")
    assert events.count() == cap + 1
    summary = events.get(action="access.denials_suppressed")
    assert summary.outcome == Outcome.DENIED and summary.actor_office == staff.officer.office
    assert summary.new_values == {
        "suppressed": 200 - cap,
        "window_from": "2026-12-01 10:00",
        "window_until": "2026-12-01 10:01",
    }
    # The auditor reads it in words.
    page = sign_in(Client(), staff.auditor).get("/audit/", {"action": "access.denials_suppressed"}).content.decode()
    assert f"{zh('Denied accesses not recorded one by one')}：</dt>" in page
    assert f">{200 - cap}</dd>" in page


def test_the_next_minute_starts_a_new_count(staff, settings):
    cap = settings.AUDIT_DENIALS_PER_MINUTE
    with time_machine.travel(NOW, tick=False) as traveller:
        attacker = sign_in(Client(), staff.officer)
        for _ in range(cap + 3):
            attacker.get("/cases/999999/")
        traveller.shift(dt.timedelta(minutes=1))
        attacker.get("/cases/999999/")
    assert AuditEvent.objects.filter(action="access.denied").count() == cap + 1
    assert list(SuppressedDenials.objects.values_list("count", flat=True)) == [3]


def test_one_scanner_does_not_use_up_another_users_cap(offices, staff, settings):
    cap = settings.AUDIT_DENIALS_PER_MINUTE
    other = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="other_officer")
    with time_machine.travel(NOW, tick=False):
        scanner = sign_in(Client(), staff.officer)
        for _ in range(cap + 5):
            scanner.get("/cases/999999/")
        sign_in(Client(), other).get("/cases/999998/")
    assert AuditEvent.objects.filter(action="access.denied", actor=other).count() == 1


def test_a_rate_limited_request_is_audited(staff, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/min"}
    client = sign_in(Client(), staff.officer)
    answers = [client.post("/search/", {"q": "王"}).status_code for _ in range(3)]
    assert answers[-1] == 429
    [event] = denials()
    assert event.new_values == {"path": "/search/", "method": "POST", "status": 429}


def test_anonymous_visitors_and_static_files_leave_no_denial(staff):
    assert Client().get("/cases/999999/").status_code == 302  # to the sign-in page
    client = sign_in(Client(), staff.officer)
    client.get("/static/no-such-file.css")
    client.get("/robots.txt")
    assert denials() == []


def test_a_form_refusal_names_the_field_by_its_label(staff):
    """A service's refusal on one field, through ``run_service``: the lease filing's date."""
    client = sign_in(Client(), staff.officer)
    person = person_create(actor=staff.officer, id_number=valid_id_number(sequence=720), name="赵租户")
    from hukou_portal.people.models import Town

    town = Town.objects.get(area__code="330502", name="月河街道")
    tomorrow = dt.date.today() + dt.timedelta(days=30)
    response = client.post(
        "/registration/lease-filings/new/",
        {
            "tenant_id_number": person.id_number,
            "filing_number": "HZZL2026-7200",
            "filed_on": tomorrow.isoformat(),
            "town": town.pk,
            "address": "红旗路 9 号",
            "housing": "private",
            "landlord": "房东",
            "term_start": tomorrow.isoformat(),
            "term_end": (tomorrow + dt.timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code in (200, 400)
    assert zh("A lease cannot be filed in the future.") in response.content.decode()
    [event] = denials()
    assert event.action == "action.refused"
    assert event.new_values["reason"] == zh("A lease cannot be filed in the future.")
    assert event.new_values["field"] == str(response.context["form"].fields["filed_on"].label)
    assert person.id_number not in str(event.new_values)


def test_a_refused_write_rolls_back_but_its_refusal_stays_in_the_trail(transactional_db, offices, staff):
    """On PostgreSQL, committed for real: completing a permit case for someone who got a permit
    meanwhile saves the case and audits the completion, then the kind refuses — the service's
    transaction rolls back, and the refusal is recorded outside it."""
    from tests.permits.factories import apply_for_permit

    with time_machine.travel(NOW, tick=False):
        holder = person_create(actor=staff.officer, id_number=valid_id_number(sequence=730), name="陈两证")
        first = apply_for_permit(staff.officer, staff.supervisor, holder)
        second = apply_for_permit(staff.officer, staff.supervisor, holder)
        for case in (first, second):
            case_services.case_approve(
                case_id=case.pk, actor=staff.supervisor, expected_version=None, justification="测试"
            )
        case_services.case_complete(case_id=first.pk, actor=staff.officer, expected_version=None)
        second = fresh(second)
        client = sign_in(Client(), staff.officer)
        business = events_but_denials().count()

        response = client.post(
            f"/cases/{second.pk}/actions/complete/", {"version": second.version}, HTTP_ACCEPT="application/json"
        )
    assert response.status_code == 403
    assert response.json()["error"] == zh("The person already holds an active residence permit.")
    after = fresh(second)
    assert (after.status, after.version) == (Status.APPROVED, second.version)
    assert ResidencePermit.objects.filter(holder=holder).count() == 1
    assert events_but_denials().count() == business
    assert not AuditEvent.objects.filter(case=second, action="case.complete").exists()
    [event] = denials()
    assert (event.action, event.outcome, event.actor) == ("action.refused", Outcome.DENIED, staff.officer)
    assert event.new_values["path"] == f"/cases/{second.pk}/actions/complete/"
    assert event.new_values["status"] == 403
    assert Case.objects.filter(pk=second.pk, status=Status.APPROVED).exists()
