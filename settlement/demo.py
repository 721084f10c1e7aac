"""A demo settlement case for seed_demo: a graduate (S3.1) waiting for a supervisor's approval,
with a minor child moving with her. Made through the intake form and the services."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hukou_portal.accounts.models import User
from hukou_portal.casework import documents, services
from hukou_portal.casework.models import Case
from hukou_portal.people import id_numbers
from hukou_portal.people.models import Person, Town

from .forms import SettlementIntake


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 120), (240, 240, 235)).save(buffer, format="PNG")
    return SimpleUploadedFile("scan.png", buffer.getvalue(), content_type="image/png")


def seed_demo_settlement(*, officer: User, applicant: Person) -> int:
    if Case.objects.filter(kind="settlement", office=officer.office).exists():
        return 0
    town = Town.objects.get(area__code="330502", name="月河街道")
    child = id_numbers.make(address_code="330502", birth_date=applicant.birth_date.replace(year=2018), sequence=88)
    intake = SettlementIntake(
        {
            "details-town": town.pk,
            "details-address": "人民路 66 号 1201 室",
            "details-marital_status": "married",
            "details-education_level": "bachelor",
            "details-education_full_time": "on",
            "details-home_right": "ownership",
            "details-permit_valid": "on",
            "details-host_family_household": "on",
            "details-social_insurance_months": "0",
            "details-family-TOTAL_FORMS": "1",
            "details-family-INITIAL_FORMS": "0",
            "details-family-0-name": f"{applicant.name[0]}小宝",
            "details-family-0-id_number": child,
            "details-family-0-relation": "child",
            "details-family-0-marital_status": "unmarried",
        }
    )
    if not intake.is_valid():
        raise ValueError(f"demo settlement intake invalid: {intake.facts.errors} {intake.family.errors}")
    case = services.case_create(
        actor=officer, kind="settlement", category="talent", applicant=applicant, details=intake.cleaned_data
    )
    for requirement in case.kind_spec.required_documents(case.category):
        documents.document_upload(
            case_id=case.pk, actor=officer, expected_version=None, requirement=requirement.code, upload=_png()
        )
    services.case_submit(case_id=case.pk, actor=officer, expected_version=None)
    services.case_start_review(case_id=case.pk, actor=officer, expected_version=None)
    for document in Case.objects.get(pk=case.pk).documents.all():
        documents.document_set_verdict(document_id=document.pk, actor=officer, expected_version=None, accepted=True)
    services.case_forward(case_id=case.pk, actor=officer, expected_version=None)
    return 1
