"""Demo cases for seed_demo: one residence declaration in each state this kind reaches,
each brought there by the services, so its history in the audit trail is real."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from hukou_portal.accounts.models import Office, User
from hukou_portal.people.models import Person, Town

from . import documents, services
from .models import Case

# state -> the steps that lead there from a fresh draft with its documents uploaded
DEMO_PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "in_review": ["submit", "start_review"],
    "supplement_requested": ["submit", "start_review", "reject_photo", "request_supplement"],
    "approved": ["submit", "start_review", "accept", "approve_at_counter"],
    "rejected": ["submit", "start_review", "reject_at_counter"],
    "completed": ["submit", "start_review", "accept", "approve_at_counter", "complete"],
    "withdrawn": ["submit", "withdraw"],
}


def _scan(label: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (320, 200), (245, 245, 240))
    ImageDraw.Draw(image).text((20, 90), label, fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"{label}.png", buffer.getvalue(), content_type="image/png")


def seed_demo_cases(*, station: Office, officer: User, applicants: list[Person]) -> int:
    """Create the demo cases at ``station`` unless it has cases already. Returns how many."""
    if Case.objects.filter(office=station).exists():
        return 0
    town = Town.objects.filter(area__code=station.area_code, is_urban=True).order_by("name").first()
    for index, (state, steps) in enumerate(DEMO_PATHS.items()):
        applicant = applicants[index % len(applicants)]
        case = services.case_create(
            actor=officer,
            kind="residence_declaration",
            category="rented",
            applicant=applicant,
            details={"town": town, "address": f"演示路 {index + 1} 号", "lived_since": applicant.created_at.date()},
        )
        for requirement in case.kind_spec.required_documents(case.category):
            documents.document_upload(
                case_id=case.pk,
                actor=officer,
                expected_version=None,
                requirement=requirement.code,
                upload=_scan(requirement.code),
            )
        for step in steps:
            _step(case.pk, step, officer)
        assert Case.objects.get(pk=case.pk).status == state
    return len(DEMO_PATHS)


def _step(case_id: int, step: str, officer: User) -> None:
    if step in {"accept", "reject_photo"}:
        for document in Case.objects.get(pk=case_id).documents.all():
            rejected = step == "reject_photo" and document.requirement != "id_card"
            documents.document_set_verdict(
                document_id=document.pk,
                actor=officer,
                expected_version=None,
                accepted=not rejected,
                reason="复印件不清晰" if rejected else "",
            )
        return
    extra = {
        "request_supplement": {"comment": "请补交清晰的租赁合同"},
        "reject_at_counter": {"reason": "申报地址不在本辖区"},
        "withdraw": {"reason": "申请人已搬离"},
    }.get(step, {})
    getattr(services, f"case_{step}")(case_id=case_id, actor=officer, expected_version=None, **extra)
