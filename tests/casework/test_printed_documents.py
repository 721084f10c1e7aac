"""Printed documents of a case (issue 9, part 6): numbers given once and kept, one serial per
kind of document, area and year, the 受理回执 and the 一次性告知书, who may issue them, and the
approve page that shows every document's verdict."""

import datetime as dt
import re
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client

from hukou_portal.accounts.models import Office
from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.services import office_create
from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework import documents, issued_documents, services
from hukou_portal.casework.kinds import CaseKind, Category, DocumentRequirement, register, unregister
from hukou_portal.casework.models import Case, IssuedDocument
from tests.casework.factories import drive, fresh, open_case, png_bytes, upload_all, upload_file
from tests.helpers import make_office_tree, make_user, sign_in, zh

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
Kind = IssuedDocument.Kind


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def submitted_case(officer, *, sequence: int = 123, category: str = "basic") -> Case:  # type: ignore[no-untyped-def]
    case = open_case(officer, sequence=sequence, category=category)
    upload_all(case, officer)
    services.case_submit(case_id=case.pk, actor=officer, expected_version=None)
    return fresh(case)


def numbers(page: str) -> list[str]:
    return re.findall(r"湖公[^<\s]*号", page)


# --- numbers ---------------------------------------------------------------------------------


def test_the_receipt_is_a_draft_until_issued_then_keeps_its_number(staff):
    case = submitted_case(staff.officer)
    client = sign_in(Client(), staff.officer)
    url = f"/cases/{case.pk}/print/receipt/"

    draft = client.get(url).content.decode()
    assert 'data-testid="document-draft"' in draft and 'data-testid="issue-button"' in draft
    assert numbers(draft) == [] and not IssuedDocument.objects.exists()  # a GET writes nothing

    assert client.post(url).status_code == 302
    issued = IssuedDocument.objects.get()
    assert issued.number == "湖公（吴兴）受字〔2026〕第000001号"
    assert (issued.case, issued.kind, issued.issued_by, issued.issuing_office) == (
        case,
        Kind.RECEIPT,
        staff.officer,
        case.office,
    )
    event = AuditEvent.objects.get(action="document.issued")
    assert event.case == case and event.actor == staff.officer
    assert event.new_values["number"] == issued.number and event.new_values["document"] == "receipt"

    # Reprints, by the same officer or a supervisor, a day later: the same number, no new row.
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        supervisor = sign_in(Client(), staff.supervisor)
        assert supervisor.post(url).status_code == 302
        page = supervisor.get(url).content.decode()
    assert numbers(page) == [issued.number]
    assert 'data-testid="print-button"' in page and 'data-testid="document-draft"' not in page
    assert IssuedDocument.objects.count() == 1
    assert AuditEvent.objects.filter(action="document.issued").count() == 1
    assert "2026年12月1日" in page  # the issue date, not the reprint's


def test_numbers_run_per_kind_of_document_area_and_year(staff, offices, _now):
    first = submitted_case(staff.officer, sequence=101)
    second = submitted_case(staff.officer, sequence=102)
    issue = issued_documents.document_issue
    assert issue(case_id=first.pk, kind=Kind.RECEIPT, actor=staff.officer).number.endswith("〔2026〕第000001号")
    assert issue(case_id=second.pk, kind=Kind.RECEIPT, actor=staff.officer).number.endswith("〔2026〕第000002号")

    # Another kind of document has its own series.
    services.case_start_review(case_id=second.pk, actor=staff.officer, expected_version=None)
    services.case_request_supplement(case_id=second.pk, actor=staff.officer, expected_version=None, comment="补")
    notice = issue(case_id=second.pk, kind=Kind.SUPPLEMENT, actor=staff.officer, sequence=1)
    assert notice.number == "湖公（吴兴）补字〔2026〕第000001号"

    # Another area has its own series; so does the next year.
    nanxun_officer = make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nanxun_officer")
    elsewhere = submitted_case(nanxun_officer, sequence=103)
    receipt = issue(case_id=elsewhere.pk, kind=Kind.RECEIPT, actor=nanxun_officer)
    assert receipt.number == "湖公（南浔）受字〔2026〕第000001号"
    _now.move_to(dt.datetime(2027, 1, 4, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    third = submitted_case(staff.officer, sequence=104)
    assert (
        issue(case_id=third.pk, kind=Kind.RECEIPT, actor=staff.officer).number == "湖公（吴兴）受字〔2027〕第000001号"
    )


def test_a_city_bureau_document_has_no_area_part(offices):
    assert (
        issued_documents.document_number(kind=Kind.RECEIPT, office=offices.city, year=2026, serial=7)
        == "湖公受字〔2026〕第000007号"
    )


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_first_prints_get_one_number(transactional_db):
    offices = make_office_tree()
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor")
    case = submitted_case(officer)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def issue(user) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=10)
            results[user.username] = issued_documents.document_issue(
                case_id=case.pk, kind=Kind.RECEIPT, actor=user
            ).number
        except Exception as error:  # the test reports whatever went wrong
            results[user.username] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(user,)) for user in (officer, supervisor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["officer", "supervisor"]
    assert results["officer"] == results["supervisor"] == "湖公（吴兴）受字〔2026〕第000001号", results
    assert IssuedDocument.objects.count() == 1
    assert AuditEvent.objects.filter(action="document.issued").count() == 1


# --- the 受理回执 -------------------------------------------------------------------------------


def test_the_receipt_states_the_case_the_documents_and_the_deadline(staff):
    case = open_case(staff.officer, category="basic")
    documents.document_upload(
        case_id=case.pk,
        actor=staff.officer,
        expected_version=None,
        requirement="id_card",
        upload=upload_file("id.png", png_bytes()),
    )
    services.case_submit(case_id=case.pk, actor=staff.officer, expected_version=None)
    case = fresh(case)
    client = sign_in(Client(), staff.officer)
    client.post(f"/cases/{case.pk}/print/receipt/")
    page = client.get(f"/cases/{case.pk}/print/receipt/").content.decode()
    assert case.reference in page and case.applicant.name in page
    assert case.applicant.masked_id_number in page and case.applicant.id_number not in page
    assert "测试业务 · 基本" in page
    assert f"{case.clock_started_on:%Y}年{case.clock_started_on.month}月{case.clock_started_on.day}日" in page
    assert f"{case.deadline.year}年{case.deadline.month}月{case.deadline.day}日" in page
    received = re.findall(r"<td>(身份证|照片)</td><td>([^<]+)</td>", page)
    assert received == [("身份证", zh("received")), ("照片", zh("not yet received"))]
    assert "吴兴分局月河派出所" in page and "12345" in page  # where to ask


def test_no_receipt_before_the_case_is_accepted(staff):
    case = open_case(staff.officer)
    client = sign_in(Client(), staff.officer)
    response = client.get(f"/cases/{case.pk}/print/receipt/", follow=True)
    assert response.redirect_chain == [(f"/cases/{case.pk}/", 302)]
    assert zh("The acknowledgement receipt is issued once the case has been accepted (受理).") in (
        response.content.decode()
    )
    client.post(f"/cases/{case.pk}/print/receipt/")
    assert not IssuedDocument.objects.exists() and not AuditEvent.objects.filter(action="document.issued").exists()


# --- the 一次性告知书 --------------------------------------------------------------------------

FOUR_DOCUMENTS = CaseKind(
    code="four_documents",
    label="四件材料业务",
    clause="T4",
    categories=(
        Category(
            "all",
            "全部",
            (
                DocumentRequirement("id_card", "身份证"),
                DocumentRequirement("photo", "照片"),
                DocumentRequirement("lease", "租赁合同"),
                DocumentRequirement("diploma", "毕业证书"),
            ),
        ),
    ),
    deadline_working_days=5,
    needs_approval=True,
)


@pytest.fixture
def four_documents():
    register(FOUR_DOCUMENTS)
    yield FOUR_DOCUMENTS
    unregister(FOUR_DOCUMENTS.code)


def waiting_case(staff) -> Case:  # type: ignore[no-untyped-def]
    """In 补正: 身份证 accepted, 照片 rejected with a reason, 租赁合同 never given, 毕业证书 given
    but not checked."""
    case = open_case(staff.officer, kind="four_documents", category="all")
    for code in ("id_card", "photo", "diploma"):
        documents.document_upload(
            case_id=case.pk,
            actor=staff.officer,
            expected_version=None,
            requirement=code,
            upload=upload_file(f"{code}.png", png_bytes()),
        )
    services.case_submit(case_id=case.pk, actor=staff.officer, expected_version=None)
    services.case_start_review(case_id=case.pk, actor=staff.officer, expected_version=None)
    by_code = {d.requirement: d for d in fresh(case).documents.all()}
    documents.document_set_verdict(
        document_id=by_code["id_card"].pk, actor=staff.officer, expected_version=None, accepted=True
    )
    documents.document_set_verdict(
        document_id=by_code["photo"].pk,
        actor=staff.officer,
        expected_version=None,
        accepted=False,
        reason="照片背景不是白色",
    )
    services.case_request_supplement(case_id=case.pk, actor=staff.officer, expected_version=None, comment="请一次带齐")
    return fresh(case)


def item_rows(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "|", row) for row in re.findall(r'data-testid="supplement-item">(.*?)</tr>', page, re.S)]


def test_the_one_time_notice_lists_exactly_the_missing_and_rejected_documents(staff, four_documents, _now):
    case = waiting_case(staff)
    client = sign_in(Client(), staff.officer)
    url = f"/cases/{case.pk}/print/supplement/1/"

    # The applicant brings a new photo while the case waits: the notice is still that of the request.
    _now.shift(dt.timedelta(minutes=5))
    documents.document_upload(
        case_id=case.pk,
        actor=staff.officer,
        expected_version=None,
        requirement="photo",
        upload=upload_file("photo2.png", png_bytes()),
    )
    draft = client.get(url).content.decode()
    assert zh("Not yet checked, so not listed on the notice") in draft and "毕业证书" in draft

    client.post(url)
    issued = IssuedDocument.objects.get(kind=Kind.SUPPLEMENT)
    assert issued.sequence == 1 and issued.number == "湖公（吴兴）补字〔2026〕第000001号"
    assert [(i["label"], i["status"], i["reason"]) for i in issued.content["items"]] == [
        ("照片", "rejected", "照片背景不是白色"),
        ("租赁合同", "missing", ""),
    ]
    page = client.get(url).content.decode()
    rows = item_rows(page)
    assert len(rows) == 2
    assert "照片" in rows[0] and "照片背景不是白色" in rows[0]
    assert "租赁合同" in rows[1] and zh("Not submitted: please bring it.") in rows[1]
    assert "身份证" not in page and "毕业证书" not in page  # neither missing nor rejected
    assert (
        zh(
            "From the day of this notice until all the documents above are received, the processing time limit is "
            "suspended; it resumes on the day they are received."
        )
        in page
    )
    assert "请一次带齐" in page
    assert 'data-testid="document-contact"' in page and "月河派出所" in page


def test_the_one_time_notice_is_issued_while_waiting_and_reprinted_afterwards(staff, four_documents):
    case = waiting_case(staff)
    client = sign_in(Client(), staff.officer)
    detail = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/print/supplement/1/" in detail

    client.post(f"/cases/{case.pk}/print/supplement/1/")
    number = IssuedDocument.objects.get(kind=Kind.SUPPLEMENT).number
    services.case_receive_supplement(case_id=case.pk, actor=staff.officer, expected_version=None)
    page = client.get(f"/cases/{case.pk}/print/supplement/1/").content.decode()
    assert numbers(page) == [number]
    assert f"/cases/{case.pk}/print/supplement/1/" in client.get(f"/cases/{case.pk}/").content.decode()

    # A second request gets its own notice; one not issued while waiting cannot be issued later.
    services.case_request_supplement(case_id=case.pk, actor=staff.officer, expected_version=None, comment="再补")
    services.case_receive_supplement(case_id=case.pk, actor=staff.officer, expected_version=None)
    response = client.get(f"/cases/{case.pk}/print/supplement/2/", follow=True)
    assert response.redirect_chain == [(f"/cases/{case.pk}/", 302)]
    assert zh("This one-time notice was not issued while the case waited for the documents.") in (
        response.content.decode()
    )
    client.post(f"/cases/{case.pk}/print/supplement/2/")
    assert IssuedDocument.objects.filter(kind=Kind.SUPPLEMENT).count() == 1
    assert client.get(f"/cases/{case.pk}/print/supplement/3/").status_code == 404


def test_a_case_never_waiting_has_no_one_time_notice(staff):
    case = submitted_case(staff.officer)
    client = sign_in(Client(), staff.officer)
    assert client.get(f"/cases/{case.pk}/print/supplement/1/").status_code == 404
    assert "/print/supplement/" not in client.get(f"/cases/{case.pk}/").content.decode()


# --- who may see and issue -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", ["print/receipt/", "print/supplement/1/"])
def test_another_office_gets_404_on_every_document(staff, offices, four_documents, method, url):
    case = waiting_case(staff)
    issued_documents.document_issue(case_id=case.pk, kind=Kind.RECEIPT, actor=staff.officer)
    outsider = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="outsider"))
    response = getattr(outsider, method)(f"/cases/{case.pk}/{url}")
    assert response.status_code == 404
    assert IssuedDocument.objects.count() == 1


def test_roles_without_case_work_cannot_issue(staff, offices):
    case = submitted_case(staff.officer)
    auditor = sign_in(Client(), staff.auditor)
    assert auditor.get(f"/cases/{case.pk}/print/receipt/").status_code == 403
    assert auditor.post(f"/cases/{case.pk}/print/receipt/").status_code == 403
    outsider = make_user(offices.zhili, Role.COUNTER_OFFICER, username="outsider")
    with pytest.raises(issued_documents.DocumentNotIssuable):
        issued_documents.document_issue(case_id=case.pk, kind=Kind.RECEIPT, actor=outsider)
    assert not IssuedDocument.objects.exists()


def test_the_issuing_office_and_review_body(offices):
    assert issued_documents.office_full_name(offices.yuehe) == "湖州市公安局吴兴分局月河派出所"
    assert issued_documents.county_bureau(offices.yuehe) == offices.wuxing
    assert issued_documents.review_body(offices.yuehe) == "吴兴区人民政府"
    assert issued_documents.review_body(offices.nanxun_station) == "南浔区人民政府"
    assert issued_documents.review_body(offices.city) == "湖州市人民政府"
    deqing = office_create(
        actor=None,
        code="330521",
        name="德清县公安局",
        level=Office.Level.COUNTY,
        parent=offices.city,
        area_code="330521",
    )
    assert issued_documents.office_full_name(deqing) == "德清县公安局"
    assert issued_documents.review_body(deqing) == "德清县人民政府"


# --- the approve page ---------------------------------------------------------------------------


def decision_rows(page: str) -> list[str]:
    """The text of each row of the approve page's document table."""
    return [re.sub(r"<[^>]+>", " ", r) for r in re.findall(r'data-testid="decision-document">(.*?)</tr>', page, re.S)]


def test_the_decision_page_shows_every_document_with_its_verdict(staff):
    case = open_case(staff.officer)
    upload_all(case, staff.officer)
    services.case_submit(case_id=case.pk, actor=staff.officer, expected_version=None)
    services.case_start_review(case_id=case.pk, actor=staff.officer, expected_version=None)
    photo = fresh(case).documents.get(requirement="photo")
    documents.document_set_verdict(
        document_id=photo.pk, actor=staff.officer, expected_version=None, accepted=False, reason="照片模糊"
    )
    documents.document_upload(
        case_id=case.pk,
        actor=staff.officer,
        expected_version=None,
        requirement="photo",
        upload=upload_file("photo2.png", png_bytes()),
    )
    supervisor = sign_in(Client(), staff.supervisor)
    # Before forwarding, as the reject page sees it: the new photo is not checked yet.
    pending = supervisor.get(f"/cases/{case.pk}/actions/reject/").content.decode()
    assert 'data-testid="decision-documents"' in pending
    assert zh("Not checked yet") in pending
    for document in fresh(case).documents.filter(verdict="pending"):
        documents.document_set_verdict(
            document_id=document.pk, actor=staff.officer, expected_version=None, accepted=True
        )
    services.case_forward(case_id=case.pk, actor=staff.officer, expected_version=None)

    for action in ("approve", "reject"):
        page = supervisor.get(f"/cases/{case.pk}/actions/{action}/").content.decode()
        rows = [
            re.sub(r"<[^>]+>", " ", r) for r in re.findall(r'data-testid="decision-document">(.*?)</tr>', page, re.S)
        ]
        assert len(rows) == 3, rows  # 身份证; 照片 twice (the new one, then the replaced one)
        assert "身份证" in rows[0] and zh("Accepted", "document") in rows[0]
        assert "照片" in rows[1] and "photo2.png" in rows[1] and zh("Accepted", "document") in rows[1]
        assert "照片模糊" in rows[2] and zh("Rejected", "document") in rows[2]
        assert zh("earlier upload, replaced") in rows[2]
        assert 'data-testid="action-form"' in page


def test_an_unchecked_document_reads_not_checked_on_the_counter_decision(staff, four_documents):
    case = waiting_case(staff)
    services.case_receive_supplement(case_id=case.pk, actor=staff.officer, expected_version=None)
    supervisor = sign_in(Client(), staff.supervisor)
    page = supervisor.get(f"/cases/{case.pk}/actions/reject/").content.decode()
    rows = decision_rows(page)
    assert next(r for r in rows if "毕业证书" in r).count(zh("Not checked yet")) == 1
    assert next(r for r in rows if "租赁合同" in r).count(zh("Not submitted")) == 1


def test_other_pages_than_decisions_do_not_show_the_verdicts(staff):
    case = submitted_case(staff.officer)
    client = sign_in(Client(), staff.officer)
    page = client.get(f"/cases/{case.pk}/actions/withdraw/").content.decode()
    assert 'data-testid="decision-basis"' not in page


def test_another_office_gets_404_on_the_decision_page_and_its_documents(staff, offices):
    case = open_case(staff.officer)
    upload_all(case, staff.officer)
    case = drive(case, "pending_approval", officer=staff.officer, supervisor=staff.supervisor)
    outsider = sign_in(Client(), make_user(offices.zhili, Role.SUPERVISOR, username="outsider_supervisor"))
    assert outsider.get(f"/cases/{case.pk}/actions/approve/").status_code == 404
    for document in case.documents.all():
        assert outsider.get(f"/cases/{case.pk}/documents/{document.pk}/download/").status_code == 404


def test_the_justification_box_of_a_kind_without_its_own_label_is_neutral(staff):
    case = open_case(staff.officer)
    upload_all(case, staff.officer)
    case = drive(case, "pending_approval", officer=staff.officer, supervisor=staff.supervisor)
    page = sign_in(Client(), staff.supervisor).get(f"/cases/{case.pk}/actions/approve/").content.decode()
    assert zh("Reason or explanation (理由/说明)") in page
    assert zh("Justification (required when approving against the pre-check)") not in page
