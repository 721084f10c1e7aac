"""Demo registrations, lease filings and permits for seed_demo, some near their six-month marks
so the reminders (N1, N2) have something to show. Dates are relative to the day it runs."""

import datetime as dt

from django.utils import timezone

from hukou_portal.accounts.models import User
from hukou_portal.audit.services import record
from hukou_portal.people.models import Person, Town
from hukou_portal.rules.selectors import parameters_in_force
from registration import services as registration_services
from registration.models import LeaseFiling
from settlement.eligibility import add_months

from .models import ResidencePermit
from .services import permit_issue


def seed_demo_permits(*, officer: User, people: list[Person]) -> int:
    """For each person: a registration elsewhere, a lease filing and a permit. Returns permits made."""
    today = timezone.localdate()
    if ResidencePermit.objects.filter(holder__in=people).exists():
        return 0
    town = Town.objects.get(area__code=officer.office.area_code, name="月河街道") if officer.office else None
    interval = parameters_in_force(today)["endorsement_interval_months"]
    made = 0
    # (days before today the permit was issued, the lease filed): just short of six months, and past it.
    for index, (person, days_ago) in enumerate(zip(people, (175, 190, 120), strict=False)):
        issued_on = today - dt.timedelta(days=days_ago)
        registration_services.registration_record_elsewhere(
            actor=officer,
            person=person,
            region_code="330106",
            address="杭州市西湖区文三路 1 号",
            started_on=add_months(issued_on, -14),
            ended_on=add_months(issued_on, -7),
        )
        if town is not None and not LeaseFiling.objects.filter(tenant=person).exists():
            registration_services.lease_filing_record(
                actor=officer,
                filing_number=f"HZZL-DEMO-{index + 1:04d}",
                filed_on=issued_on - dt.timedelta(days=5),
                town=town,
                address=f"演示路 {20 + index} 号",
                housing="private",
                landlord="演示房东",
                tenant=person,
                term_start=issued_on - dt.timedelta(days=5),
                term_end=add_months(issued_on, 24),
            )
        permit = permit_issue(
            holder=person,
            office=officer.office,
            area_code=officer.office.area_code if officer.office else "330502",
            issued_on=issued_on,
            endorsed_until=add_months(issued_on, interval),
            case=None,
        )
        record(
            action="permit.issued",
            actor=officer,
            target=permit,
            new={"number": permit.number, "issued_on": issued_on.isoformat()},
            note="演示数据",
        )
        made += 1
    return made
