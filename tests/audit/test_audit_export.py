"""The audit trail for auditors: filtered by a person through a posted ID number (never in a
URL), read field by field in Chinese, and exported as CSV — the same filters, formula cells
escaped, the export itself audited."""

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.audit.services import record
from hukou_portal.casework.models import Case
from hukou_portal.people.services import person_create
from hukou_portal.stats.exports import cell_words, safe_cell
from tests.core import list_data
from tests.helpers import make_user, sign_in, valid_id_number, zh


def _export(client: Client, **query: str) -> list[list[str]]:
    response = client.get("/audit/export.csv", query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_cells_are_escaped(start):
    assert safe_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"
    assert safe_cell("月河派出所") == "月河派出所" and safe_cell(cell_words(None)) == ""


def test_the_export_has_the_filtered_events_in_words_and_is_audited(staff, offices):
    list_data.populate(offices.yuehe, staff.officer, 2)
    case = Case.objects.order_by("pk").first()
    record(action="case.note_added", actor=staff.officer, case=case, target=case, note="=cmd|' /C calc'!A0")
    auditor = sign_in(Client(), staff.auditor)
    rows = _export(auditor, action="case.note_added")
    header, *events = rows
    assert header[:4] == [zh("Time"), zh("Action"), zh("Outcome"), zh("Actor")]
    assert len(events) == 1
    assert events[0][1] == zh("Internal note added") and events[0][6] == case.reference
    assert events[0][2] == zh("succeeded")
    assert events[0][9].startswith("'=")  # the note cannot run as a formula
    exported = AuditEvent.objects.get(action="export.downloaded")
    assert exported.actor == staff.auditor
    assert zh("Internal note added") in exported.new_values["filters"]


def test_the_export_reads_changes_as_the_page_does(staff, offices):
    list_data.populate(offices.yuehe, staff.officer, 1)
    case = Case.objects.first()
    record(
        action="case.approve",
        actor=staff.supervisor,
        case=case,
        target=case,
        old={"status": "pending_approval"},
        new={"status": "approved"},
    )
    _header, *events = _export(sign_in(Client(), staff.auditor), action="case.approve")
    assert events[0][8] == "状态：待审批 → 已批准"
    assert "{" not in events[0][8] and "pending_approval" not in events[0][8]


def test_only_auditors_export_and_only_their_offices(staff, offices):
    list_data.populate(offices.yuehe, staff.officer, 2)
    for role in ("officer", "supervisor", "admin"):
        assert sign_in(Client(), getattr(staff, role)).get("/audit/export.csv").status_code == 403
    assert Client().get("/audit/export.csv").status_code == 302  # to the sign-in page
    outsider = sign_in(Client(), make_user(offices.zhili, Role.AUDITOR, username="zhili_auditor"))
    _header, *events = _export(outsider, action="person.viewed")
    assert events == []


def test_a_bad_filter_exports_nothing_and_says_why(staff):
    auditor = sign_in(Client(), staff.auditor)
    response = auditor.get("/audit/export.csv", {"occurred_from": "not-a-date"})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


def test_filter_by_person_posts_the_number_and_the_url_never_carries_it(staff, offices):
    person = person_create(actor=staff.officer, id_number=valid_id_number(sequence=818), name="周杰")
    other = person_create(actor=staff.officer, id_number=valid_id_number(sequence=819), name="吴用")
    mine = record(action="person.viewed", actor=staff.officer, target=person)
    record(action="person.viewed", actor=staff.officer, target=other)
    auditor = sign_in(Client(), staff.auditor)

    response = auditor.post("/audit/?action=person.viewed", {"id_number": person.id_number})
    assert response.status_code == 302
    location = response["Location"]
    assert person.id_number not in location and person.id_number[:6] + person.id_number[-4:] not in location
    query = parse_qs(urlsplit(location).query)
    assert query["action"] == ["person.viewed"] and "person" in query

    page = auditor.get(location)
    assert [event.pk for event in page.context["page"]] == [mine.pk]
    assert "周杰" in page.content.decode() and person.id_number not in page.content.decode()
    found = AuditEvent.objects.get(action="audit.person_filtered")
    assert (found.actor, found.object_id) == (staff.auditor, str(person.pk))

    _header, *events = _export(auditor, **{key: values[0] for key, values in query.items()})
    assert len(events) == 1
    assert "周杰" in AuditEvent.objects.get(action="export.downloaded").new_values["filters"]


def test_a_forged_person_reference_shows_nothing(staff, offices):
    list_data.populate(offices.yuehe, staff.officer, 2)
    auditor = sign_in(Client(), staff.auditor)
    page = auditor.get("/audit/", {"person": "1"})
    assert list(page.context["page"]) == []
    assert zh("The person filter has expired or is not valid: search by the ID number again.") in (
        page.content.decode()
    )


def test_a_malformed_id_number_is_refused_in_chinese(staff):
    auditor = sign_in(Client(), staff.auditor)
    response = auditor.post("/audit/", {"id_number": "33050219900101123"}, follow=True)
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="audit.person_filtered").exists()
    assert any(message.level_tag == "error" for message in response.context["messages"])


def test_empty_recorded_values_say_nothing_and_long_ones_fold():
    from django.template import Context, Template
    from django.utils import translation

    event = AuditEvent(
        action="case.reject",
        old_values={"status": "pending_approval"},
        new_values={
            "status": "rejected",
            "reason": "",
            "clause": None,
            "parameters": {"minor_age_years": 18}
            | {"lease_filing_min_months": 6, "permit_holding_min_months": 6, "social_insurance_min_months": 1},
        },
    )
    with translation.override("zh-hans"):
        html = Template('{% include "audit/partials/event_change.html" %}').render(Context({"event": event}))
    assert "待审批" in html and "不予批准" in html
    assert "理由" not in html and "条款" not in html  # recorded empty
    assert "<details>" in html and "18周岁" in html  # the parameters fold away
