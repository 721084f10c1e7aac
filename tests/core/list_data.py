"""Rows for the list tests: many plain rows of every listed kind, made in bulk.

A list page's cost must not depend on these rows, so they are plain rows (bulk_create), not
workflow histories; the audit events are written through the audit service like every event.
"""

import datetime as dt
import itertools

from django.utils import timezone

from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.roles import Role
from hukou_portal.audit.services import record
from hukou_portal.casework.models import Case, Status
from hukou_portal.people.models import Person, PersonOffice, Town
from permits.models import ResidencePermit
from registration.models import LeaseFiling, ResidenceRegistration
from tests.helpers import make_user, valid_id_number

_serial = itertools.count(1)
STATUSES = [Status.SUBMITTED, Status.IN_REVIEW, Status.COMPLETED, Status.WITHDRAWN, Status.DRAFT]


def people(office: Office, count: int, *, name: str = "测试") -> list[Person]:
    rows = []
    for _ in range(count):
        serial = next(_serial)
        rows.append(
            Person(
                id_number=valid_id_number(birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=serial), sequence=1),
                name=f"{name}{serial:04d}",
                office=office,
            )
        )
    made = Person.objects.bulk_create(rows)
    # The recording office has served each of them (as people.services.person_create notes).
    now = timezone.now()
    PersonOffice.objects.bulk_create(
        PersonOffice(person=person, office=office, first_at=now, first_via="recorded", last_at=now, last_via="recorded")
        for person in made
    )
    return made


def populate(office: Office, officer: User, count: int) -> None:
    """``count`` rows of every listed kind at ``office``: people, cases in several states (some
    without a deadline), permits, lease filings, registrations, users and audit events."""
    town = Town.objects.get(area__code="330502", name="月河街道")
    persons = people(office, count)
    today = timezone.localdate()
    cases, permits, filings, registrations = [], [], [], []
    for i, person in enumerate(persons):
        serial = next(_serial)
        status = STATUSES[i % len(STATUSES)]
        cases.append(
            Case(
                reference=f"HZ-330502-2026-{serial:06d}",
                kind="residence_declaration",
                category="rented",
                applicant=person,
                office=office,
                assigned_officer=officer,
                status=status,
                deadline=None if status == Status.DRAFT else today + dt.timedelta(days=i % 7 - 3),
            )
        )
        permits.append(
            ResidencePermit(
                number=f"ZJ3305022026{serial:06d}",
                holder=person,
                office=office,
                area_code="330502",
                issued_on=today - dt.timedelta(days=i % 5),
                held_since=today - dt.timedelta(days=i % 5),
                endorsed_until=today + dt.timedelta(days=300),
                token="t",
                key_id="k",
            )
        )
        filings.append(
            LeaseFiling(
                filing_number=f"HZZL2026-{serial:05d}",
                filed_on=today - dt.timedelta(days=i % 4),
                town=town,
                address="红旗路 1 号",
                is_urban=True,
                housing=LeaseFiling.Housing.PRIVATE,
                landlord="房东甲",
                tenant=person,
                term_start=today,
                term_end=today + dt.timedelta(days=365),
                office=office,
                recorded_by=officer,
            )
        )
        registrations.append(
            ResidenceRegistration(
                person=person,
                source=ResidenceRegistration.Source.ELSEWHERE,
                region_code="330106",
                address="杭州某路",
                started_on=today - dt.timedelta(days=400 + i % 3),
                ended_on=today - dt.timedelta(days=10),
                recorded_by=officer,
            )
        )
    Case.objects.bulk_create(cases)
    ResidencePermit.objects.bulk_create(permits)
    LeaseFiling.objects.bulk_create(filings)
    ResidenceRegistration.objects.bulk_create(registrations)
    for i in range(count):
        make_user(office, Role.COUNTER_OFFICER, Role.SUPERVISOR, username=f"bulk{next(_serial)}")
        record(action="person.viewed", actor=officer, target=persons[i])
