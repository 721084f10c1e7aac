"""Cases for tests, reached by calling the services so status and audit stay consistent."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hukou_portal.casework import documents, services
from hukou_portal.casework.kinds import CaseKind, Category, DocumentRequirement
from hukou_portal.casework.models import Case
from hukou_portal.people.services import person_create
from tests.casework.upload_corpus import hand_written_plain_pdf
from tests.helpers import valid_id_number

COMPLETED_CASES: list[int] = []


def _remember_completion(case, actor) -> None:  # type: ignore[no-untyped-def]
    COMPLETED_CASES.append(case.pk)


# A small kind for tests: two documents, supervisor approval, five working days.
TEST_KIND = CaseKind(
    code="test_kind",
    label="测试业务",
    clause="T0",
    categories=(
        Category("basic", "基本", (DocumentRequirement("id_card", "身份证"), DocumentRequirement("photo", "照片"))),
        Category("light", "简易", (DocumentRequirement("id_card", "身份证"),)),
    ),
    deadline_working_days=5,
    needs_approval=True,
    on_complete=_remember_completion,
)


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


# A complete one-page PDF (cross-reference table and all): uploads are parsed by pikepdf.
PDF_BYTES = hand_written_plain_pdf()


def upload_file(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def open_case(officer, *, category: str = "basic", sequence: int = 123, kind: str = "test_kind") -> Case:  # type: ignore[no-untyped-def]
    from hukou_portal.people.models import Person

    number = valid_id_number(sequence=sequence)
    applicant = Person.objects.with_id_number(number).first() or person_create(
        actor=officer, id_number=number, name="王小明"
    )
    return services.case_create(actor=officer, kind=kind, category=category, applicant=applicant)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def upload_all(case: Case, officer) -> None:  # type: ignore[no-untyped-def]
    for requirement in case.kind_spec.required_documents(case.category):
        documents.document_upload(
            case_id=case.pk,
            actor=officer,
            expected_version=None,
            requirement=requirement.code,
            upload=upload_file(f"{requirement.code}.png", png_bytes()),
        )


def accept_all(case: Case, officer) -> None:  # type: ignore[no-untyped-def]
    for document in case.documents.all():
        documents.document_set_verdict(document_id=document.pk, actor=officer, expected_version=None, accepted=True)


def drive(case: Case, status: str, *, officer, supervisor) -> Case:  # type: ignore[no-untyped-def]
    """Bring a fresh draft case (documents uploaded) to ``status`` through the services."""
    pk = case.pk
    path = {
        "draft": [],
        "submitted": ["submit"],
        "in_review": ["submit", "start_review", "accept"],
        "supplement_requested": ["submit", "start_review", "accept", "request_supplement"],
        "pending_approval": ["submit", "start_review", "accept", "forward"],
        "approved": ["submit", "start_review", "accept", "forward", "approve"],
        "rejected": ["submit", "start_review", "accept", "forward", "reject"],
        "completed": ["submit", "start_review", "accept", "forward", "approve", "complete"],
        "withdrawn": ["withdraw"],
    }[status]
    for step in path:
        if step == "accept":
            accept_all(fresh(case), officer)
            continue
        actor = supervisor if step in {"approve", "reject"} else officer
        extra = {"comment": "请补充材料"} if step == "request_supplement" else {}
        if step in {"reject", "withdraw"}:
            extra = {"reason": "不符合条件"}
        getattr(services, f"case_{step}")(case_id=pk, actor=actor, expected_version=None, **extra)
    return fresh(case)
