"""Residence permits: application and conversion cases, issue, endorsement (签注), loss and
replacement, and cancellation with the holder's registration. Every write is audited.

Endorsement rules (R2.1, N3; ``endorsement_interval_months``, ``endorsement_notice_days``):
- a permit is endorsed until a day; after it the permit is *lapsed* (not valid) until endorsed;
- an endorsement can be made from ``endorsement_notice_days`` before that day; on time, the
  next period runs on from the previous end, so nothing is lost by endorsing early;
- a lapsed permit is restored by an endorsement; its next period runs from the endorsement day.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hukou_portal.accounts.models import User
from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.selectors import office_may_see
from hukou_portal.audit.services import record
from hukou_portal.casework.models import Case, Decision
from hukou_portal.casework.services import next_serial
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people.models import Person
from hukou_portal.rules.selectors import parameters_in_force
from registration.models import LeaseFiling
from registration.selectors import registration_active, registration_months
from settlement.eligibility import add_months

from . import conditions, epermit
from .models import PermitApplication, ResidencePermit


def permit_active_for(person: Person) -> ResidencePermit | None:
    return ResidencePermit.objects.filter(holder=person, status=ResidencePermit.Status.ACTIVE).first()


def _intake(case: Case, data: dict[str, Any], *, conversion: bool) -> None:
    if permit_active_for(case.applicant) is not None:
        raise ApplicationError(
            _("The person already holds an active residence permit: endorse or replace it instead."),
            field="applicant_id_number",
        )
    lease_filing = None
    if data.get("lease_filing_number"):
        lease_filing = LeaseFiling.objects.filter(
            filing_number=data["lease_filing_number"].strip(), tenant=case.applicant
        ).first()
        if lease_filing is None:
            raise ApplicationError(
                _("No lease filing with this number is recorded for the applicant."), field="lease_filing_number"
            )
    application = PermitApplication(
        case=case,
        area=data["area"],
        lease_filing=lease_filing,
        owns_home=data.get("owns_home", False),
        employer=data.get("employer", "").strip(),
        has_labour_contract=data.get("has_labour_contract", False),
        school=data.get("school", "").strip(),
    )
    if conversion:
        application.other_permit_number = data["other_permit_number"].strip()
        application.other_permit_region = data["other_permit_region"]
        application.other_permit_valid_until = data["other_permit_valid_until"]
    application.full_clean(exclude=["case"])
    application.save()


def application_intake(case: Case, data: dict[str, Any]) -> None:
    _intake(case, data, conversion=False)


def conversion_intake(case: Case, data: dict[str, Any]) -> None:
    _intake(case, data, conversion=True)


def _condition_facts(application: PermitApplication) -> conditions.ConditionFacts:
    area = application.area.code
    filing = application.lease_filing
    return conditions.ConditionFacts(
        lease_filing_in_area=bool(filing and filing.town.area.code == area),
        owns_home_in_area=application.owns_home,
        labour_contract_in_area=application.has_labour_contract and bool(application.employer),
        enrolled_in_area=bool(application.school),
    )


def application_checks(case: Case, today: dt.date | None = None) -> dict[str, Any]:
    """The R3.2 or R3.1 checks of the case's facts, as of ``today``."""
    today = today or timezone.localdate()
    application = case.permit_application
    facts = _condition_facts(application)
    if case.kind == "permit_conversion":
        active = registration_active(person=case.applicant)
        return conditions.r31(
            other_region=application.other_permit_region,
            valid_until=application.other_permit_valid_until,
            today=today,
            local_registration_in_area=bool(active and active.region_code == application.area.code),
            facts=facts,
        )
    return conditions.r32(
        registration_months=registration_months(person=case.applicant, on=today),
        min_months=parameters_in_force(today)["permit_registration_min_months"],
        facts=facts,
    )


def record_basis(case: Case, actor: User, decision: str, justification: str) -> dict[str, Any]:
    """on_decide: store the checks; approving when they fail needs a written justification."""
    checks = application_checks(case)
    if decision == Decision.APPROVED and not checks["eligible"] and not justification:
        raise ApplicationError(
            _("The conditions of %(clause)s are not met. Approving needs a written justification.")
            % {"clause": checks["clause"]},
            field="justification",
        )
    application = case.permit_application
    application.basis = checks
    application.save(update_fields=["basis"])
    return {"conditions_met": checks["eligible"], "clause": checks["clause"]}


def _next_number(area_code: str, year: int) -> str:
    return f"ZJ{area_code}{year}{next_serial(series='permit', area_code=area_code, year=year):06d}"


def _masked_name(name: str) -> str:
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else name


@transaction.atomic
def permit_issue(
    *, holder: Person, office: Any, area_code: str, issued_on: dt.date, endorsed_until: dt.date, case: Case | None,
    replaces: ResidencePermit | None = None,
) -> ResidencePermit:  # fmt: skip
    """Number, sign and store a permit (the callers audit it)."""
    number = _next_number(area_code, timezone.localdate().year)
    token, key_id = epermit.sign(
        {
            "v": 1,
            "no": number,
            "name": _masked_name(holder.name),
            "id": holder.masked_id_number,
            "iss": office.name,
            "area": area_code,
            "issued": issued_on.isoformat(),
        }
    )
    return ResidencePermit.objects.create(
        number=number,
        holder=holder,
        office=office,
        area_code=area_code,
        issued_on=issued_on,
        endorsed_until=endorsed_until,
        case=case,
        replaces=replaces,
        token=token,
        key_id=key_id,
    )


def permit_issue_on_completion(case: Case, actor: User) -> None:
    """on_complete: issue the permit (a new one, valid for one endorsement interval)."""
    if permit_active_for(case.applicant) is not None:
        raise ApplicationError(_("The person already holds an active residence permit."))
    today = timezone.localdate()
    interval = parameters_in_force(today)["endorsement_interval_months"]
    permit = permit_issue(
        holder=case.applicant,
        office=case.office,
        area_code=case.permit_application.area.code,
        issued_on=today,
        endorsed_until=add_months(today, interval),
        case=case,
    )
    record(
        action="permit.issued",
        actor=actor,
        target=permit,
        case=case,
        new={"number": permit.number, "issued_on": today.isoformat(), "key_id": permit.key_id},
    )


def _ensure_counter(actor: User, permit: ResidencePermit) -> None:
    if Role.COUNTER_OFFICER not in actor.roles or not office_may_see(user=actor, office=permit.office):
        raise PermissionDenied


@transaction.atomic
def permit_endorse(*, actor: User, permit_id: int) -> ResidencePermit:
    """签注 at the counter (rules in the module docstring)."""
    permit = ResidencePermit.objects.select_for_update().get(pk=permit_id)
    _ensure_counter(actor, permit)
    today = timezone.localdate()
    params = parameters_in_force(today)
    state = permit.state_on(today)
    if state in {"cancelled", "replaced"}:
        raise ApplicationError(_("A cancelled or replaced permit cannot be endorsed."))
    opens_on = permit.endorsed_until - dt.timedelta(days=params["endorsement_notice_days"])
    if state == "valid" and today < opens_on:
        raise ApplicationError(_("The endorsement opens on %(day)s.") % {"day": opens_on.isoformat()})
    old = permit.endorsed_until
    start = permit.endorsed_until if state == "valid" else today
    permit.endorsed_until = add_months(start, params["endorsement_interval_months"])
    permit.save(update_fields=["endorsed_until"])
    record(
        action="permit.endorsed",
        actor=actor,
        target=permit,
        old={"endorsed_until": old.isoformat(), "state": state},
        new={"endorsed_until": permit.endorsed_until.isoformat()},
    )
    return permit


@transaction.atomic
def permit_replace(*, actor: User, permit_id: int, reason: str) -> ResidencePermit:
    """Loss and replacement: the old permit (and its token) stops being valid; the new one keeps
    the issue date and the endorsement, so holding time (S5.1) is not lost."""
    old = ResidencePermit.objects.select_for_update().get(pk=permit_id)
    _ensure_counter(actor, old)
    if old.status != ResidencePermit.Status.ACTIVE:
        raise ApplicationError(_("Only an active permit can be replaced."))
    if not reason.strip():
        raise ApplicationError(_("Say why the permit is replaced."), field="reason")
    old.status = ResidencePermit.Status.REPLACED
    old.save(update_fields=["status"])
    new = permit_issue(
        holder=old.holder,
        office=actor.office,
        area_code=old.area_code,
        issued_on=old.issued_on,
        endorsed_until=old.endorsed_until,
        case=None,
        replaces=old,
    )
    record(
        action="permit.replaced",
        actor=actor,
        target=old,
        old={"number": old.number},
        new={"number": new.number},
        note=reason.strip(),
    )
    return new


def permits_cancel_for_registration(*, person: Person, actor: User, case: Case) -> None:
    """With the holder's registration cancelled, their active permit is cancelled too."""
    for permit in ResidencePermit.objects.select_for_update().filter(
        holder=person, status=ResidencePermit.Status.ACTIVE
    ):
        permit.status = ResidencePermit.Status.CANCELLED
        permit.save(update_fields=["status"])
        record(
            action="permit.cancelled", actor=actor, target=permit, case=case, new={"reason": "registration cancelled"}
        )
