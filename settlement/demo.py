"""Demo settlement cases for seed_demo, made through the intake form and the services: a graduate
(S3.1) waiting for a supervisor's approval, with a minor child moving with her; and completed
settlements that leave households to open — a family at its own home, two graduates in their
community's public collective household, and an applicant from outside Huzhou whose 准迁证 waits
for the origin's 迁出 confirmation."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hukou_portal.accounts.models import User
from hukou_portal.casework import documents, services
from hukou_portal.casework.models import Case
from hukou_portal.people import id_numbers
from hukou_portal.people.models import Household, Person, Town

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


# (name, area code of the ID number, birth date, sequence, category, intake facts, family)
DEMO_SETTLERS: list[tuple[str, str, tuple[int, int, int], int, str, dict[str, str], list[tuple[str, str, str]]]] = [
    (
        "赵敏",
        "330502",
        (1986, 4, 12),
        612,
        "own_home",
        {"home_holder": "self", "home_right": "ownership", "address": "人民路 88 号 302 室"},
        [("陈浩", "spouse", "married"), ("陈一诺", "child", "unmarried")],
    ),
    ("孙晓", "330503", (1998, 9, 3), 713, "talent", {"community": "红旗社区"}, []),
    ("钱程", "330521", (1997, 1, 21), 815, "talent", {"community": "红旗社区"}, []),
    (
        "周杰",
        "410102",
        (1993, 7, 8),
        917,
        "talent",
        {"community": "飞英社区", "origin_address": "河南省郑州市中原区建设西路 12 号"},
        [],
    ),
]
_FAMILY_NUMBERS = {"陈浩": ("330502", (1984, 2, 2), 611), "陈一诺": ("330502", (2016, 5, 5), 614)}


def _intake_data(town: Town, category: str, facts: dict[str, str], family: list[tuple[str, str, str]]) -> dict:
    data = {
        "details-town": town.pk,
        "details-address": facts.get("address", "红旗路 18 号"),
        "details-community": facts.get("community", ""),
        "details-origin_address": facts.get("origin_address", ""),
        "details-marital_status": "married" if family else "unmarried",
        "details-education_level": "bachelor",
        "details-education_full_time": "on",
        "details-home_right": facts.get("home_right", "ownership"),
        "details-home_holder": facts.get("home_holder", ""),
        "details-home_town": town.pk if facts.get("home_holder") else "",
        "details-permit_valid": "on",
        "details-host_family_household": "on",
        "details-social_insurance_months": "0",
        "details-family-TOTAL_FORMS": str(len(family)),
        "details-family-INITIAL_FORMS": "0",
    }
    for index, (name, relation, marital) in enumerate(family):
        area, birth, sequence = _FAMILY_NUMBERS[name]
        number = id_numbers.make(address_code=area, birth_date=dt.date(*birth), sequence=sequence)
        data.update(
            {
                f"details-family-{index}-name": name,
                f"details-family-{index}-id_number": number,
                f"details-family-{index}-relation": relation,
                f"details-family-{index}-marital_status": marital,
            }
        )
    return data


def seed_demo_households(*, officer: User, supervisor: User) -> int:
    """Completed settlements at ``officer``'s station that leave households to open, unless the
    station's town has households already. Returns how many cases."""
    town = Town.objects.get(area__code="330502", name="月河街道")
    if Household.objects.filter(town=town).exists():
        return 0
    count = 0
    for name, area, birth, sequence, category, facts, family in DEMO_SETTLERS:
        number = id_numbers.make(address_code=area, birth_date=dt.date(*birth), sequence=sequence)
        applicant, _created = Person.objects.get_or_create_by_id_number(
            number, defaults={"name": name, "office": officer.office}
        )
        intake = SettlementIntake(_intake_data(town, category, facts, family), category=category)
        if not intake.is_valid():
            raise ValueError(f"demo settlement intake invalid: {intake.facts.errors} {intake.family.errors}")
        case = services.case_create(
            actor=officer, kind="settlement", category=category, applicant=applicant, details=intake.cleaned_data
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
        services.case_approve(case_id=case.pk, actor=supervisor, expected_version=None)
        services.case_complete(case_id=case.pk, actor=officer, expected_version=None)
        count += 1
    return count
