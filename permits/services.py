"""Residence permits: application and conversion cases, issue, endorsement (签注), loss and
replacement, and cancellation with the holder's registration. Every write is audited.

Endorsement rules (R2.1, N3; ``endorsement_interval_months``, ``endorsement_notice_days``):
- a permit is endorsed until a day; after it the permit is *lapsed* (not valid) until endorsed;
- an endorsement can be made from ``endorsement_notice_days`` before that day; on time, the
  next period runs on from the previous end, so nothing is lost by endorsing early;
- a lapsed permit is restored by an endorsement; its next period runs from the endorsement day,
  and so does its holding time (``held_since``, 居住证暂行条例 第十三条).

Who issues a permit (S5.1's 「拟落户地公安机关签发」): the office that completes the case, in its
county-level area, which must be the area applied to. Conversions (R3.1) take a valid permit of
another county-level area of a recognised region (``recognised_regions``, R3.3) — elsewhere in
Zhejiang or elsewhere in Huzhou — and end the holder's Huzhou permit when the new one is issued.
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
from hukou_portal.core.areas import area_name, short_area_name
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people.models import Person
from hukou_portal.rules.selectors import parameters_in_force
from registration.models import LeaseFiling
from registration.selectors import registration_active, registration_months
from settlement.eligibility import add_months

from . import conditions, epermit
from .models import PermitApplication, PermitEndorsement, ResidencePermit


def permit_active_for(person: Person) -> ResidencePermit | None:
    return ResidencePermit.objects.filter(holder=person, status=ResidencePermit.Status.ACTIVE).first()


def _area_words(code: str) -> str:
    return short_area_name(code) or code


def _ensure_may_apply(active: ResidencePermit | None, area_code: str, *, conversion: bool) -> None:
    """One permit per person: in the area of the permit held there is nothing to apply for
    (endorse or replace it); another area's permit is converted (R3.1), not applied for anew."""
    if active is None:
        return
    words = {"number": active.number, "area": _area_words(active.area_code)}
    if active.area_code == area_code:
        raise ApplicationError(
            _(
                "The person already holds residence permit %(number)s of %(area)s: within one county-level "
                "area nothing is converted or applied for again — endorse or replace that permit instead."
            )
            % words,
            field="applicant_id_number",
        )
    if not conversion:
        raise ApplicationError(
            _(
                "The person holds residence permit %(number)s of %(area)s: apply for its mutual-recognition "
                "conversion (互认转换) instead."
            )
            % words,
            field="applicant_id_number",
        )


def _lease_filing(case: Case, number: str) -> LeaseFiling | None:
    if not number.strip():
        return None
    filing = (
        LeaseFiling.objects.filter(filing_number=number.strip(), tenant=case.applicant)
        .select_related("town__area")
        .first()
    )
    if filing is None:
        raise ApplicationError(
            _("No lease filing with this number is recorded for the applicant."), field="lease_filing_number"
        )
    return filing


def _conversion_facts(application: PermitApplication, data: dict[str, Any], active: ResidencePermit | None) -> None:
    """R3.1's permit held. A permit this portal issued is read from its record (and must be the
    one named); any other is taken from the card, from a recognised region (R3.3) and from a
    county-level area other than the one applied to."""
    area_code = application.area.code
    number = data["other_permit_number"].strip().upper()
    if active is not None:
        if number != active.number:
            raise ApplicationError(
                _("The applicant holds the Huzhou residence permit %(number)s: the conversion is of that permit.")
                % {"number": active.number},
                field="other_permit_number",
            )
        if active.state_on(timezone.localdate()) != "valid":
            raise ApplicationError(
                _(
                    "Residence permit %(number)s has lapsed (its endorsement is overdue): only a valid permit "
                    "is converted. It is endorsed first, where it was issued."
                )
                % {"number": active.number},
                field="other_permit_number",
            )
        application.converts = active
        application.other_permit_number = active.number
        application.other_permit_region = active.area_code
        application.other_permit_valid_until = active.endorsed_until
        return
    region = data["other_permit_region"]
    regions = parameters_in_force(timezone.localdate())["recognised_regions"]
    if not conditions.in_recognised_region(region, regions):
        raise ApplicationError(
            _(
                "A permit issued in %(area)s is not converted: only permits of the recognised regions "
                "(%(regions)s, R3.3) are."
            )
            % {"area": area_name(region) or region, "regions": "、".join(area_name(r) or r for r in regions)},
            field="other_permit_region",
        )
    if region == area_code:
        raise ApplicationError(
            _(
                "The permit was issued in %(area)s, the area applied to: within one county-level area nothing "
                "is converted — endorse or replace the permit there instead."
            )
            % {"area": _area_words(region)},
            field="other_permit_region",
        )
    application.other_permit_number = number
    application.other_permit_region = region
    application.other_permit_valid_until = data["other_permit_valid_until"]


def _intake(case: Case, data: dict[str, Any], *, conversion: bool) -> None:
    area = data["area"]
    active = permit_active_for(case.applicant)
    _ensure_may_apply(active, area.code, conversion=conversion)
    application = PermitApplication(
        case=case,
        area=area,
        lease_filing=_lease_filing(case, data.get("lease_filing_number") or ""),
        home_certificate=(data.get("home_certificate") or "").strip(),
        home_town=data.get("home_town"),
        employment_evidence=data.get("employment_evidence") or "",
        employer=(data.get("employer") or "").strip(),
        employer_area=data.get("employer_area"),
        school=(data.get("school") or "").strip(),
        school_area=data.get("school_area"),
    )
    if conversion:
        _conversion_facts(application, data, active)
    application.full_clean(exclude=["case"])
    application.save()


def application_intake(case: Case, data: dict[str, Any]) -> None:
    _intake(case, data, conversion=False)


def conversion_intake(case: Case, data: dict[str, Any]) -> None:
    _intake(case, data, conversion=True)


def application_evidence(application: PermitApplication) -> list[conditions.Evidence]:
    """The evidence of the three conditions, each with the county-level area where it lies.
    The lease filing is read from its record (its town and term as filed)."""
    evidence = []
    filing = application.lease_filing
    if filing is not None:
        evidence.append(
            conditions.Evidence(
                "lease_filing", filing.filing_number, filing.town.area.code, filing.term_start, filing.term_end
            )
        )
    if application.home_town is not None:
        evidence.append(conditions.Evidence("home", application.home_certificate, application.home_town.area.code))
    if application.employment_evidence and application.employer_area is not None:
        evidence.append(
            conditions.Evidence(application.employment_evidence, application.employer, application.employer_area.code)
        )
    if application.school and application.school_area is not None:
        evidence.append(conditions.Evidence("enrolment", application.school, application.school_area.code))
    return evidence


def _permit_now(permit: ResidencePermit) -> ResidencePermit:
    """The permit as it stands: a replacement after a loss stands in for the one it replaced."""
    while permit.status == ResidencePermit.Status.REPLACED:
        following = ResidencePermit.objects.filter(replaces=permit).first()
        if following is None:
            break
        permit = following
    return permit


def application_checks(case: Case, today: dt.date | None = None) -> dict[str, Any]:
    """The R3.2 or R3.1 checks of the case's facts, as of ``today``, with the parameters in force."""
    today = today or timezone.localdate()
    application = case.permit_application
    area = application.area.code
    evidence = application_evidence(application)
    params = parameters_in_force(today)
    if case.kind == "permit_conversion":
        region, valid_until = application.other_permit_region, application.other_permit_valid_until
        if application.converts is not None:  # a Huzhou permit: as it stands today
            held = _permit_now(application.converts)
            region = held.area_code
            valid_until = held.endorsed_until if held.state_on(today) == "valid" else None
        active = registration_active(person=case.applicant)
        return conditions.r31(
            other_region=region,
            valid_until=valid_until,
            today=today,
            area=area,
            recognised_regions=params["recognised_regions"],
            local_registration_in_area=bool(active and active.region_code == area),
            evidence=evidence,
        )
    return conditions.r32(
        registration_months=registration_months(person=case.applicant, on=today),
        min_months=params["permit_registration_min_months"],
        area=area,
        evidence=evidence,
        on=today,
    )


def _ensure_issuer_in_area(case: Case) -> None:
    """The permit is issued by the office that completes the case, in its county-level area
    (S5.1: 「拟落户地公安机关签发」): that must be the area applied to. A case taken in elsewhere
    (全域就近办) is transferred to a station of that area before it is decided."""
    area = case.permit_application.area
    if case.office.area_code != area.code:
        raise ApplicationError(
            _(
                "This permit is for %(area)s and is issued by the public security organ of %(area)s, but the "
                "case is held by %(office)s. Send the case back and transfer it to a police station of %(area)s."
            )
            % {"area": area.name, "office": case.office.name}
        )


def record_basis(case: Case, actor: User, decision: str, justification: str) -> dict[str, Any]:
    """on_decide: store the checks; approving when they fail needs a written justification, and
    approving at all needs the case held in the area applied to (its office issues the permit)."""
    checks = application_checks(case)
    if decision == Decision.APPROVED:
        _ensure_issuer_in_area(case)
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
    replaces: ResidencePermit | None = None, held_since: dt.date | None = None,
) -> ResidencePermit:  # fmt: skip
    """Number, sign and store a permit (the callers audit it). Holding time counts from the
    issue day unless ``held_since`` carries it on (a replacement)."""
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
        held_since=held_since or issued_on,
        endorsed_until=endorsed_until,
        case=case,
        replaces=replaces,
        token=token,
        key_id=key_id,
    )


def permit_issue_on_completion(case: Case, actor: User) -> None:
    """on_complete: the office that completes the case issues the permit, in its own area (a new
    one, valid for one endorsement interval, its holding time counting from today). A conversion
    (R3.1) ends the holder's permit of another Huzhou area on the same day."""
    _ensure_issuer_in_area(case)
    office = case.office
    held = ResidencePermit.objects.select_for_update().filter(
        holder=case.applicant, status=ResidencePermit.Status.ACTIVE
    )
    ended = None
    for permit in held:
        if case.kind != "permit_conversion" or permit.area_code == office.area_code:
            raise ApplicationError(_("The person already holds an active residence permit."))
        ended = permit
    today = timezone.localdate()
    if ended is not None:
        ended.status, ended.ended_on = ResidencePermit.Status.CONVERTED, today
        ended.save(update_fields=["status", "ended_on"])
    interval = parameters_in_force(today)["endorsement_interval_months"]
    permit = permit_issue(
        holder=case.applicant,
        office=office,
        area_code=office.area_code,
        issued_on=today,
        endorsed_until=add_months(today, interval),
        case=case,
    )
    record(
        action="permit.issued",
        actor=actor,
        target=permit,
        case=case,
        new={
            "number": permit.number,
            "issued_on": today.isoformat(),
            "area": permit.area_code,
            "held_since": permit.held_since.isoformat(),
            "key_id": permit.key_id,
        },
    )
    if ended is not None:
        record(
            action="permit.converted",
            actor=actor,
            target=ended,
            case=case,
            old={"state": "valid" if ended.state_on(today) == "valid" else "lapsed"},
            new={"state": "converted", "number": permit.number, "area": permit.area_code},
        )


def _ensure_counter(actor: User, permit: ResidencePermit) -> None:
    if Role.COUNTER_OFFICER not in actor.roles or not office_may_see(user=actor, office=permit.office):
        raise PermissionDenied


@transaction.atomic
def permit_endorse(*, actor: User, permit_id: int) -> ResidencePermit:
    """签注 at the counter (rules in the module docstring), kept as a ``PermitEndorsement`` row
    (the day, the period before and after, the office) beside its audit event."""
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
    old, old_held_since = permit.endorsed_until, permit.held_since
    start = permit.endorsed_until if state == "valid" else today
    permit.endorsed_until = add_months(start, params["endorsement_interval_months"])
    if state == "lapsed":
        # 居住证暂行条例 第十三条: 补办签注手续的，居住年限自补办签注手续之日起连续计算.
        permit.held_since = today
    permit.save(update_fields=["endorsed_until", "held_since"])
    PermitEndorsement.objects.create(
        permit=permit,
        endorsed_on=today,
        previous_until=old,
        until=permit.endorsed_until,
        office=actor.office or permit.office,
        endorsed_by=actor,
    )
    record(
        action="permit.endorsed",
        actor=actor,
        target=permit,
        old={"endorsed_until": old.isoformat(), "state": state, "held_since": old_held_since.isoformat()},
        new={"endorsed_until": permit.endorsed_until.isoformat(), "held_since": permit.held_since.isoformat()},
    )
    return permit


@transaction.atomic
def permit_replace(*, actor: User, permit_id: int, reason: str) -> ResidencePermit:
    """Loss and replacement: the old permit (and its token) stops being valid; the new one keeps
    the issue date, the issuing area, the endorsement and ``held_since``, so holding time (S5.1)
    is neither lost nor renewed."""
    old = ResidencePermit.objects.select_for_update().get(pk=permit_id)
    _ensure_counter(actor, old)
    if old.status != ResidencePermit.Status.ACTIVE:
        raise ApplicationError(_("Only an active permit can be replaced."))
    if not reason.strip():
        raise ApplicationError(_("Say why the permit is replaced."), field="reason")
    old.status, old.ended_on = ResidencePermit.Status.REPLACED, timezone.localdate()
    old.save(update_fields=["status", "ended_on"])
    new = permit_issue(
        holder=old.holder,
        office=actor.office,
        area_code=old.area_code,
        issued_on=old.issued_on,
        endorsed_until=old.endorsed_until,
        case=None,
        replaces=old,
        held_since=old.held_since,
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
    permits_cancel(person=person, actor=actor, case=case, reason="registration cancelled")


# Why a permit is cancelled by a case (the audit event's ``reason``; words in labels.py).
CANCEL_REASONS = ("registration cancelled", "settled")


def permits_cancel(*, person: Person, actor: User, case: Case, reason: str) -> list[ResidencePermit]:
    """Cancel the person's active permits on ``case``, for ``reason`` (one of ``CANCEL_REASONS``):
    their registration was cancelled, or they settled in Huzhou — a hukou holder is no longer
    floating population, so their 居住证 ends the day the hukou entry is written. Audited with
    the case. Returns the permits cancelled."""
    if reason not in CANCEL_REASONS:
        raise ValueError(f"unknown cancellation reason {reason!r}")
    cancelled = []
    for permit in ResidencePermit.objects.select_for_update().filter(
        holder=person, status=ResidencePermit.Status.ACTIVE
    ):
        permit.status, permit.ended_on = ResidencePermit.Status.CANCELLED, timezone.localdate()
        permit.save(update_fields=["status", "ended_on"])
        record(action="permit.cancelled", actor=actor, target=permit, case=case, new={"reason": reason})
        cancelled.append(permit)
    return cancelled
