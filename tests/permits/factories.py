"""Permits reached through the services: a declared registration, an application, approval."""

import datetime as dt

import time_machine

from hukou_portal.casework import services as case_services
from hukou_portal.casework.models import Case
from hukou_portal.people.models import Area, Person, Town
from permits.models import ResidencePermit
from tests.casework.factories import accept_all, fresh, upload_all


def at_ten(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.timezone(dt.timedelta(hours=8)))


def declare(  # type: ignore[no-untyped-def]
    officer,
    person: Person,
    *,
    accepted_on: dt.date,
    lived_since: dt.date | None = None,
    completed_on: dt.date | None = None,
) -> Case:
    """A residence declaration for ``person`` (月河街道) accepted (受理) on ``accepted_on`` and
    completed on ``completed_on`` (the same day by default), the clock travelling to each day;
    ``lived_since`` is what the applicant states (by default the day of acceptance)."""
    town = Town.objects.get(area__code="330502", name="月河街道")
    with time_machine.travel(at_ten(accepted_on), tick=False):
        case = case_services.case_create(
            actor=officer,
            kind="residence_declaration",
            category="rented",
            applicant=person,
            details={"town": town, "address": "红旗路 1 号", "lived_since": lived_since or accepted_on},
        )
        for step in ("submit", "start_review"):
            getattr(case_services, f"case_{step}")(case_id=case.pk, actor=officer, expected_version=None)
        upload_all(fresh(case), officer)
        accept_all(fresh(case), officer)
        case_services.case_approve_at_counter(case_id=case.pk, actor=officer, expected_version=None)
    with time_machine.travel(at_ten(completed_on or accepted_on), tick=False):
        case_services.case_complete(case_id=case.pk, actor=officer, expected_version=None)
    return fresh(case)


def apply_for_permit(  # type: ignore[no-untyped-def]
    officer, supervisor, person: Person, *, school: str = "湖州中学", area: str = "330502", **details
) -> Case:
    """An application (R3.2) for ``area``, the condition an enrolment at a school there unless
    ``details`` say otherwise; reviewed and forwarded for approval."""
    case = case_services.case_create(
        actor=officer,
        kind="permit_application",
        category=details.pop("category", "continuous_schooling"),
        applicant=person,
        details={
            "area": Area.objects.get(code=area),
            "school": school,
            "school_area": Area.objects.get(code=area) if school else None,
            **details,
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


def forward(case: Case, officer) -> Case:  # type: ignore[no-untyped-def]
    """Accept, review, check every document and forward for approval."""
    for step in ("submit", "start_review"):
        getattr(case_services, f"case_{step}")(case_id=case.pk, actor=officer, expected_version=None)
    upload_all(fresh(case), officer)
    accept_all(fresh(case), officer)
    case_services.case_forward(case_id=case.pk, actor=officer, expected_version=None)
    return fresh(case)


def convert(  # type: ignore[no-untyped-def]
    officer,
    person: Person,
    *,
    area: str,
    other_permit_number: str,
    other_permit_region: str,
    other_permit_valid_until: dt.date,
    employer: str = "南浔某某纺织有限公司",
    employer_area: str | None = None,
) -> Case:
    """A conversion (R3.1) to ``area``, the condition a labour contract with an employer in
    ``employer_area`` (the area applied to by default); forwarded for approval."""
    case = case_services.case_create(
        actor=officer,
        kind="permit_conversion",
        category="stable_employment",
        applicant=person,
        details={
            "area": Area.objects.get(code=area),
            "employment_evidence": "labour_contract",
            "employer": employer,
            "employer_area": Area.objects.get(code=employer_area or area),
            "other_permit_number": other_permit_number,
            "other_permit_region": other_permit_region,
            "other_permit_valid_until": other_permit_valid_until,
        },
    )
    return forward(case, officer)


def move_registration(officer, person: Person, *, town: Town, on: dt.date) -> Case:  # type: ignore[no-untyped-def]
    """A change of address (变更) to ``town``, made and completed on ``on``."""
    with time_machine.travel(at_ten(on), tick=False):
        case = case_services.case_create(
            actor=officer,
            kind="registration_change",
            category="rented",
            applicant=person,
            details={"town": town, "address": "新址 8 号", "effective_on": on},
        )
        for step in ("submit", "start_review"):
            getattr(case_services, f"case_{step}")(case_id=case.pk, actor=officer, expected_version=None)
        upload_all(fresh(case), officer)
        accept_all(fresh(case), officer)
        case_services.case_approve_at_counter(case_id=case.pk, actor=officer, expected_version=None)
        case_services.case_complete(case_id=case.pk, actor=officer, expected_version=None)
    return fresh(case)
