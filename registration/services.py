"""Writes to residence registrations and lease filings. One active local registration per
person; periods of one person never overlap (a change hands over on the same day)."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hukou_portal.accounts.models import User
from hukou_portal.accounts.roles import Role
from hukou_portal.audit.services import record
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people.models import Person, PersonOffice, Town
from hukou_portal.people.services import person_lookup_record, person_office_touch

from .models import LeaseFiling, RegistrationChange, ResidenceRegistration
from .selectors import registration_active

RECORDABLE_PROVINCES = ("33", "31", "32", "34")  # Zhejiang and the Yangtze River Delta (R3.3)


def _ensure_officer(actor: User) -> None:
    if Role.COUNTER_OFFICER not in actor.roles or actor.office is None:
        raise PermissionDenied


def _ensure_no_overlap(person: Person, start: dt.date, end: dt.date | None, *, exclude: int | None = None) -> None:
    """Refuse a period that overlaps one the person already has. Sharing one day is a handover
    (a change ends the old period and starts the new one on the same day), not an overlap."""
    others = ResidenceRegistration.objects.filter(person=person)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    overlapping = others.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start))
    if end is not None:
        overlapping = overlapping.filter(started_on__lt=end)
    if overlapping.exists():
        raise ApplicationError(_("This period overlaps a registration the person already has."), field="started_on")


@transaction.atomic
def registration_record_elsewhere(
    *, actor: User, person: Person, region_code: str, address: str, started_on: dt.date, ended_on: dt.date
) -> ResidenceRegistration:
    """Record, as evidence, a registration made elsewhere in Zhejiang or a recognised region."""
    _ensure_officer(actor)
    today = timezone.localdate()
    if len(region_code) != 6 or not region_code.isdigit() or region_code[:2] not in RECORDABLE_PROVINCES:
        raise ApplicationError(
            _("Enter the six-digit code of an area in Zhejiang, Shanghai, Jiangsu or Anhui."), field="region_code"
        )
    if started_on > today or ended_on > today:
        raise ApplicationError(_("Dates cannot be in the future."), field="ended_on")
    if ended_on < started_on:
        raise ApplicationError(_("A registration cannot end before it starts."), field="ended_on")
    _ensure_no_overlap(person, started_on, ended_on)
    registration = ResidenceRegistration.objects.create(
        person=person,
        source=ResidenceRegistration.Source.ELSEWHERE,
        region_code=region_code,
        address=address.strip(),
        started_on=started_on,
        ended_on=ended_on,
        recorded_by=actor,
    )
    record(
        action="registration.recorded_elsewhere",
        actor=actor,
        target=registration,
        new={"region": region_code, "from": started_on.isoformat(), "until": ended_on.isoformat()},
    )
    return registration


def declaration_check(person: Person) -> None:
    if registration_active(person=person) is not None:
        raise ApplicationError(
            _("The person already has an active registration: declare a change (变更) instead."),
            field="applicant_id_number",
        )


def registration_made_on(case: Any) -> dt.date:
    """The day a registration is made: the day its case was accepted (受理), or today for a case
    completed without an acceptance day. Registration time (R1.4, R3.2) counts from here."""
    return case.clock_started_on or timezone.localdate()


def registration_open(
    *, case: Any, actor: User, town: Town, address: str, started_on: dt.date
) -> ResidenceRegistration:
    """Open the person's active local registration (declaration completed, or a change)."""
    declaration_check(case.applicant)
    _ensure_no_overlap(case.applicant, started_on, None)
    try:
        with transaction.atomic():
            registration = ResidenceRegistration.objects.create(
                person=case.applicant,
                region_code=town.area.code,
                town=town,
                address=address,
                started_on=started_on,
                case=case,
                recorded_by=actor,
            )
    except IntegrityError as error:  # a concurrent declaration won the unique constraint
        raise ApplicationError(_("The person already has an active registration.")) from error
    record(
        action="registration.created",
        actor=actor,
        target=registration,
        case=case,
        new={"town": str(town), "started_on": started_on.isoformat()},
    )
    return registration


# Why a registration ends other than by a change or a cancellation case (the audit's ``reason``).
END_REASONS = ("settled",)


def registration_close(
    *, case: Any, actor: User, registration: ResidenceRegistration, ended_on: dt.date, reason: str = ""
) -> None:
    """End ``registration`` on ``ended_on`` by ``case``. ``reason`` (one of ``END_REASONS``) is
    recorded when the case is not itself a change or a cancellation — a settlement ends the
    registration because the person now holds a hukou in Huzhou."""
    if reason and reason not in END_REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    registration = ResidenceRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.ended_on is not None:
        raise ApplicationError(_("This registration has already ended."))
    if ended_on < registration.started_on:
        raise ApplicationError(_("The date is before the current registration began."), field="effective_on")
    registration.ended_on = ended_on
    registration.save(update_fields=["ended_on"])
    record(
        action="registration.ended",
        actor=actor,
        target=registration,
        case=case,
        new={"ended_on": ended_on.isoformat(), **({"reason": reason} if reason else {})},
    )


def change_intake(case: Any, data: dict[str, Any], *, cancel: bool) -> None:
    """on_intake of a change or a cancellation: the active registration and the date."""
    current = registration_active(person=case.applicant)
    if current is None:
        raise ApplicationError(_("The person has no active registration to change."), field="applicant_id_number")
    effective_on = data["effective_on"]
    if effective_on < current.started_on:
        raise ApplicationError(
            _("The date is before the current registration began (%(day)s).") % {"day": current.started_on.isoformat()},
            field="effective_on",
        )
    RegistrationChange.objects.create(
        case=case,
        registration=current,
        town=None if cancel else data["town"],
        address="" if cancel else data["address"].strip(),
        effective_on=effective_on,
    )


def change_complete(case: Any, actor: User) -> None:
    """变更: the old period ends and the new one begins on the same day."""
    change = case.registration_change
    registration_close(case=case, actor=actor, registration=change.registration, ended_on=change.effective_on)
    registration_open(case=case, actor=actor, town=change.town, address=change.address, started_on=change.effective_on)


def cancel_complete(case: Any, actor: User) -> None:
    """注销: the registration ends, and with it the permits issued on it (R: permits lapse)."""
    from permits.services import permits_cancel_for_registration

    change = case.registration_change
    registration_close(case=case, actor=actor, registration=change.registration, ended_on=change.effective_on)
    permits_cancel_for_registration(person=case.applicant, actor=actor, case=case)


@transaction.atomic
def lease_filing_record(
    *,
    actor: User,
    filing_number: str,
    filed_on: dt.date,
    town: Town,
    address: str,
    housing: str,
    landlord: str,
    tenant: Person,
    term_start: dt.date,
    term_end: dt.date,
) -> LeaseFiling:
    """Record a lease filing from the construction department's certificate. The recording office
    has served the tenant from now on (``PersonOffice``)."""
    _ensure_officer(actor)
    office = actor.office
    if office is None:  # _ensure_officer already refuses it; said again for the type checker
        raise PermissionDenied
    filing_number = filing_number.strip()
    if LeaseFiling.objects.filter(filing_number=filing_number).exists():
        raise ApplicationError(_("This filing number is already recorded."), field="filing_number")
    if term_end <= term_start:
        raise ApplicationError(_("The lease term ends before it starts."), field="term_end")
    if filed_on > timezone.localdate():
        raise ApplicationError(_("A lease cannot be filed in the future."), field="filed_on")
    filing = LeaseFiling.objects.create(
        filing_number=filing_number,
        filed_on=filed_on,
        town=town,
        address=address.strip(),
        is_urban=town.is_urban,
        housing=housing,
        landlord=landlord.strip(),
        tenant=tenant,
        term_start=term_start,
        term_end=term_end,
        office=office,
        recorded_by=actor,
    )
    person_office_touch(person=tenant, office=office, via=PersonOffice.Via.LEASE_FILING)
    record(
        action="lease_filing.recorded",
        actor=actor,
        target=filing,
        new={"filing_number": filing_number, "filed_on": filed_on.isoformat(), "town": str(town)},
    )
    return filing


@transaction.atomic
def lease_filing_record_for_id_number(*, actor: User, tenant_id_number: str, **facts: Any) -> LeaseFiling:
    """Record a lease filing whose tenant is named by their full citizen ID number: any person of
    the city register, whichever office recorded them (全域就近办). Finding them is a lookup for
    business, accounted for (D3, ``person.lookup``) in the same transaction; a number nobody
    holds is refused and nothing is written."""
    _ensure_officer(actor)
    tenant = Person.objects.with_id_number(tenant_id_number).first()
    if tenant is None:
        raise ApplicationError(
            _("Nobody with this citizen ID number is in the city register: record the person first."),
            field="tenant_id_number",
        )
    filing = lease_filing_record(actor=actor, tenant=tenant, **facts)
    person_lookup_record(actor=actor, person=tenant)
    return filing
