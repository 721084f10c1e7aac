"""The makers of the statistics tests' rows (cases, registrations, permits, endorsements,
settlements) with the days and times they need, and the days the hand-counted March 2025
fixtures (tests/stats/conftest.py) turn on."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from hukou_portal.casework.models import Case, Decision, Status
from hukou_portal.people.models import Household, HouseholdMember, HouseholdType, JoinReason, Person, Town
from permits.models import PermitEndorsement, ResidencePermit
from registration.models import ResidenceRegistration
from tests.core.list_data import people

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC
_serial = itertools.count(1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def make_case(
    office,
    *,
    accepted_on: dt.date,
    decided_at: dt.datetime | None = None,
    decision: str = "",
    deadline: dt.date | None = None,
    paused_working_days: int = 0,
    kind: str = "residence_declaration",
    category: str = "rented",
    completed_at: dt.datetime | None = None,
    supplement_requests: int = 0,
) -> Case:
    serial = next(_serial)
    status = Status.IN_REVIEW
    if decision:
        status = Status.APPROVED if decision == Decision.APPROVED else Status.REJECTED
    if completed_at is not None:
        status = Status.COMPLETED
    return Case.objects.create(
        reference=f"HZ-TEST-2025-{serial:06d}",
        kind=kind,
        category=category,
        applicant=people(office, 1)[0],
        office=office,
        status=status,
        decision=decision,
        decided_at=decided_at,
        clock_started_on=accepted_on,
        deadline=deadline,
        paused_working_days=paused_working_days,
        completed_at=completed_at,
        supplement_requests=supplement_requests,
    )


def make_registration(case: Case, town: Town, *, started_on: dt.date, ended_on: dt.date | None = None):
    return ResidenceRegistration.objects.create(
        person=case.applicant,
        source=ResidenceRegistration.Source.LOCAL,
        region_code=town.area.code,
        town=town,
        address="红旗路 1 号",
        started_on=started_on,
        ended_on=ended_on,
        case=case,
    )


def make_permit(
    office,
    *,
    issued_on: dt.date,
    endorsed_until: dt.date | None = None,
    holder: Person | None = None,
    ended_on: dt.date | None = None,
    status: str = ResidencePermit.Status.ACTIVE,
    case: Case | None = None,
    replaces: ResidencePermit | None = None,
) -> ResidencePermit:
    serial = next(_serial)
    return ResidencePermit.objects.create(
        number=f"ZJTEST2025{serial:06d}",
        holder=holder or people(office, 1)[0],
        office=office,
        area_code=office.area_code,
        issued_on=issued_on,
        held_since=issued_on,
        endorsed_until=endorsed_until or issued_on + dt.timedelta(days=365),
        status=status,
        ended_on=ended_on,
        case=case,
        replaces=replaces,
        token="t",
        key_id="k",
    )


def endorse(permit: ResidencePermit, *, on: dt.date, until: dt.date, office=None) -> PermitEndorsement:  # type: ignore[no-untyped-def]
    """An endorsement as ``permits.services.permit_endorse`` leaves it: the row, and the permit
    endorsed until the new day."""
    endorsement = PermitEndorsement.objects.create(
        permit=permit, endorsed_on=on, previous_until=permit.endorsed_until, until=until, office=office or permit.office
    )
    ResidencePermit.objects.filter(pk=permit.pk).update(endorsed_until=until)
    return endorsement


def register_locally(person: Person, town: Town, *, started_on: dt.date, ended_on: dt.date | None = None):  # type: ignore[no-untyped-def]
    return ResidenceRegistration.objects.create(
        person=person,
        source=ResidenceRegistration.Source.LOCAL,
        region_code=town.area.code,
        town=town,
        address="红旗路 2 号",
        started_on=started_on,
        ended_on=ended_on,
    )


def settle(case: Case, household: Household, *, on: dt.date, count: int = 1, reason: str = JoinReason.SETTLED):  # type: ignore[no-untyped-def]
    """``count`` people joining ``household`` on ``on`` by ``case`` (as household_join writes them)."""
    for person in people(case.office, count):
        HouseholdMember.objects.create(
            household=household,
            person=person,
            relation="collective_member" if household.type != HouseholdType.FAMILY else "other",
            joined_on=on,
            join_reason=reason,
            join_case=case,
        )


def make_household(office, town: Town, household_type: str) -> Household:  # type: ignore[no-untyped-def]
    serial = next(_serial)
    family = household_type == HouseholdType.FAMILY
    return Household.objects.create(
        number=f"TH{serial:06d}",
        type=household_type,
        area=town.area,
        town=town,
        address="红旗路 3 号" if family else "",
        address_key=f"红旗路3号-{serial}" if family else "",
        unit_name="" if family else f"单位{serial}",
        head=people(office, 1)[0] if family else None,
        office=office,
    )


MARCH_31 = dt.date(2025, 3, 31)
APRIL_1 = dt.date(2025, 4, 1)
