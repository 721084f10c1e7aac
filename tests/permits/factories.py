"""Permits reached through the services: a declared registration, an application, approval."""

import datetime as dt

from hukou_portal.casework import services as case_services
from hukou_portal.casework.models import Case
from hukou_portal.people.models import Area, Person, Town
from permits.models import ResidencePermit
from tests.casework.factories import accept_all, fresh, upload_all


def declare(officer, person: Person, *, lived_since: dt.date) -> Case:  # type: ignore[no-untyped-def]
    """Complete a residence declaration for ``person`` (月河街道)."""
    town = Town.objects.get(area__code="330502", name="月河街道")
    case = case_services.case_create(
        actor=officer,
        kind="residence_declaration",
        category="rented",
        applicant=person,
        details={"town": town, "address": "红旗路 1 号", "lived_since": lived_since},
    )
    for step in ("submit", "start_review"):
        getattr(case_services, f"case_{step}")(case_id=case.pk, actor=officer, expected_version=None)
    upload_all(fresh(case), officer)
    accept_all(fresh(case), officer)
    case_services.case_approve_at_counter(case_id=case.pk, actor=officer, expected_version=None)
    case_services.case_complete(case_id=case.pk, actor=officer, expected_version=None)
    return fresh(case)


def apply_for_permit(officer, supervisor, person: Person, *, school: str = "湖州中学") -> Case:  # type: ignore[no-untyped-def]
    case = case_services.case_create(
        actor=officer,
        kind="permit_application",
        category="continuous_schooling",
        applicant=person,
        details={
            "area": Area.objects.get(code="330502"),
            "school": school,
            "owns_home": False,
            "has_labour_contract": False,
        },
    )
    for step in ("submit", "start_review"):
        getattr(case_services, f"case_{step}")(case_id=case.pk, actor=officer, expected_version=None)
    upload_all(fresh(case), officer)
    accept_all(fresh(case), officer)
    case_services.case_forward(case_id=case.pk, actor=officer, expected_version=None)
    return fresh(case)


def issue_permit(officer, supervisor, person: Person) -> ResidencePermit:  # type: ignore[no-untyped-def]
    case = apply_for_permit(officer, supervisor, person)
    case_services.case_approve(case_id=case.pk, actor=supervisor, expected_version=None, justification="测试")
    case_services.case_complete(case_id=case.pk, actor=officer, expected_version=None)
    return ResidencePermit.objects.get(case=case)
