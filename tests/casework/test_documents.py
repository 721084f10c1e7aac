"""Documents: type by bytes, polyglots refused, nothing left behind, private download."""

import datetime as dt
import hashlib
import os

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework import documents, services
from hukou_portal.casework.models import CaseDocument, Status, Verdict
from hukou_portal.casework.services import ActionRefused
from hukou_portal.core.exceptions import ApplicationError
from tests.casework.factories import PDF_BYTES, drive, fresh, jpeg_bytes, open_case, png_bytes, upload_file
from tests.helpers import sign_in, zh


def stored_files() -> set[str]:
    return set(os.listdir(settings.DOCUMENT_ROOT)) if os.path.isdir(settings.DOCUMENT_ROOT) else set()


@pytest.fixture
def case(staff):
    return open_case(staff.officer)


def upload(case, officer, name: str, content: bytes, requirement: str = "id_card"):  # type: ignore[no-untyped-def]
    return documents.document_upload(
        case_id=case.pk,
        actor=officer,
        expected_version=None,
        requirement=requirement,
        upload=upload_file(name, content),
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("scan.png", png_bytes(), "image/png"),
        ("photo.jpg", jpeg_bytes(), "image/jpeg"),
        ("form.pdf", PDF_BYTES, "application/pdf"),
    ],
)
def test_accepted_types_are_stored_under_a_random_name(case, staff, name, content, content_type):
    document = upload(case, staff.officer, name, content)
    assert document.content_type == content_type
    assert document.original_name == name
    assert name not in document.stored_name and len(document.stored_name.split(".")[0]) == 32
    assert document.stored_name in stored_files()
    assert AuditEvent.objects.filter(action="document.uploaded", case=case).count() == 1
    with documents.document_storage().open(document.stored_name, "rb") as handle:
        stored = handle.read()
    assert hashlib.sha256(stored).hexdigest() == document.sha256
    assert document.size == len(stored)


POLYGLOTS = {
    "html named as png": ("evil.png", b"<html><script>alert(1)</script></html>"),
    "jpeg header with a script": ("evil.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20 + b"<script>alert(1)</script>"),
    "pdf with javascript": (
        "evil.pdf",
        b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n%%EOF\n",
    ),
    "png magic with garbage": ("fake.png", b"\x89PNG\r\n\x1a\n" + os.urandom(200)),
    "jpeg magic with garbage": ("fake.jpg", b"\xff\xd8\xff" + b"\x00" * 100),
    "truncated pdf": ("cut.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n"),
    "text named as pdf": ("notes.pdf", "这是一个文本文件".encode()),
    "svg image": ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'),
    "empty file": ("empty.pdf", b""),
}


@pytest.mark.parametrize("label", list(POLYGLOTS))
def test_forged_and_polyglot_files_are_refused_and_leave_nothing(case, staff, label):
    name, content = POLYGLOTS[label]
    before_files, before_events = stored_files(), AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as refused:
        upload(case, staff.officer, name, content)
    assert refused.value.message
    assert stored_files() == before_files
    assert not CaseDocument.objects.exists()
    assert AuditEvent.objects.count() == before_events
    assert fresh(case).version == case.version


def test_size_limit_is_a_setting(case, staff, settings):
    settings.CASE_DOCUMENT_MAX_BYTES = 1024 * 1024
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as refused:
        upload(case, staff.officer, "big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024))
    assert refused.value.message == zh("The file is larger than %(limit)d MB.") % {"limit": 1}
    assert not CaseDocument.objects.exists()


def test_refused_upload_through_the_page_shows_the_reason(case, staff):
    client = sign_in(Client(), staff.officer)
    files = stored_files()
    response = client.post(
        f"/cases/{case.pk}/documents/",
        {"version": case.version, "requirement": "id_card", "file": upload_file("x.png", b"<html></html>")},
        follow=True,
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert stored_files() == files and not CaseDocument.objects.exists()


def test_download_is_private_attachment_and_audited(case, staff):
    document = upload(case, staff.officer, "scan.png", png_bytes())
    client = sign_in(Client(), staff.supervisor)
    response = client.get(f"/cases/{case.pk}/documents/{document.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    served = b"".join(response.streaming_content)
    assert hashlib.sha256(served).hexdigest() == document.sha256
    assert served.startswith(b"\x89PNG\r\n\x1a\n")
    assert AuditEvent.objects.filter(action="document.downloaded", actor=staff.supervisor).count() == 1


def test_documents_are_not_under_a_public_url():
    assert not settings.DOCUMENT_ROOT.startswith(str(settings.STATIC_ROOT))
    assert settings.STORAGES["documents"]["OPTIONS"]["base_url"] is None


def test_approval_waits_for_every_required_document(case, staff):
    upload(case, staff.officer, "id.png", png_bytes(), "id_card")
    case = drive(case, "submitted", officer=staff.officer, supervisor=staff.supervisor)
    services.case_start_review(case_id=case.pk, actor=staff.officer, expected_version=None)
    document = case.documents.get()
    documents.document_set_verdict(document_id=document.pk, actor=staff.officer, expected_version=None, accepted=True)
    with pytest.raises(ActionRefused, match=r"照片|photo"):
        services.case_forward(case_id=case.pk, actor=staff.officer, expected_version=None)
    photo = upload(case, staff.officer, "photo.png", png_bytes(), "photo")
    documents.document_set_verdict(
        document_id=photo.pk, actor=staff.officer, expected_version=None, accepted=False, reason="照片模糊"
    )
    with pytest.raises(ActionRefused):
        services.case_forward(case_id=case.pk, actor=staff.officer, expected_version=None)
    services.case_request_supplement(case_id=case.pk, actor=staff.officer, expected_version=None, comment="请重拍照片")
    event = AuditEvent.objects.get(action="case.request_supplement")
    assert event.new_values["missing_documents"] == ["photo"]  # the code: words come from the vocabulary
    assert fresh(case).status == Status.SUPPLEMENT_REQUESTED


def test_rejected_document_needs_a_reason(case, staff):
    document = upload(case, staff.officer, "id.png", png_bytes())
    drive(case, "submitted", officer=staff.officer, supervisor=staff.supervisor)
    with pytest.raises(ApplicationError):
        documents.document_set_verdict(
            document_id=document.pk, actor=staff.officer, expected_version=None, accepted=False
        )
    assert CaseDocument.objects.get().verdict == Verdict.PENDING


def test_supervisors_do_not_upload(case, staff):
    with pytest.raises(ActionRefused):
        upload(case, staff.supervisor, "id.png", png_bytes())


def test_the_timeline_names_each_checked_document(case, staff):
    """审核材料 on the timeline says which document: the verdict event carries its requirement."""
    upload(case, staff.officer, "id.png", png_bytes(), "id_card")
    photo = upload(case, staff.officer, "photo.png", png_bytes(), "photo")
    case = drive(case, "submitted", officer=staff.officer, supervisor=staff.supervisor)
    services.case_start_review(case_id=case.pk, actor=staff.officer, expected_version=None)
    documents.document_set_verdict(
        document_id=photo.pk, actor=staff.officer, expected_version=None, accepted=False, reason="照片模糊"
    )
    event = AuditEvent.objects.get(action="document.verdict")
    assert event.new_values["requirement"] == "photo"
    body = sign_in(Client(), staff.officer).get(f"/cases/{case.pk}/").content.decode()
    timeline = body[body.index('data-testid="timeline"') :]
    verdict = timeline[timeline.index(zh("Verdict")) - 200 :][:600]
    assert "材料：照片" in verdict, verdict


def test_missing_documents_read_in_chinese_whatever_language_requested_them(staff):
    """The 补正 event keeps codes; a request made under English still reads in Chinese on the
    timeline (it used to store the labels of the language of the moment: "Lease contract …")."""
    from hukou_portal.people.models import Town
    from hukou_portal.people.services import person_create
    from tests.helpers import valid_id_number

    person = person_create(actor=staff.officer, id_number=valid_id_number(sequence=902), name="李四")
    case = services.case_create(
        actor=staff.officer,
        kind="residence_declaration",
        category="rented",
        applicant=person,
        details={
            "town": Town.objects.get(area__code="330502", name="月河街道"),
            "address": "红旗路 2 号",
            "lived_since": dt.date(2026, 1, 1),
        },
    )
    identity = upload(case, staff.officer, "id.png", png_bytes(), "id_card")
    services.case_submit(case_id=case.pk, actor=staff.officer, expected_version=None)
    services.case_start_review(case_id=case.pk, actor=staff.officer, expected_version=None)
    documents.document_set_verdict(document_id=identity.pk, actor=staff.officer, expected_version=None, accepted=True)
    with translation.override("en"):
        services.case_request_supplement(case_id=case.pk, actor=staff.officer, expected_version=None, comment="lease")
    event = AuditEvent.objects.get(action="case.request_supplement")
    assert event.new_values["missing_documents"] == ["lease"]
    body = sign_in(Client(), staff.officer).get(f"/cases/{case.pk}/").content.decode()
    assert "缺少的材料：房屋租赁合同或租赁登记备案证明" in body
    assert "Lease contract" not in body
