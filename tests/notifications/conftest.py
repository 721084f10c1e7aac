"""Shared by the reminder tests: a permit made directly (its own tests cover issuing)."""

import datetime as dt

import pytest

from hukou_portal.people.models import Person
from permits.services import permit_issue
from settlement.eligibility import add_months
from tests.helpers import make_office_tree, make_user, valid_id_number

D = dt.date
TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(2, 0), tzinfo=TZ)


def make_permit(office, *, issued_on: dt.date, sequence: int, mobile: str = "13900000001"):  # type: ignore[no-untyped-def]
    person = Person.objects.create(
        id_number=valid_id_number(sequence=sequence), name=f"持证人{sequence}", mobile=mobile, office=office
    )
    return permit_issue(
        holder=person,
        office=office,
        area_code=office.area_code,
        issued_on=issued_on,
        endorsed_until=add_months(issued_on, 12),
        case=None,
    )


@pytest.fixture
def world(db):
    """The office tree, an officer at 月河派出所, and 月河街道 in that station's jurisdiction (as
    the demo has it): N2 about a rental home there goes to the station."""
    from hukou_portal.accounts.roles import Role
    from hukou_portal.people.models import Town

    offices = make_office_tree()
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    Town.objects.filter(area__code="330502", name="月河街道").update(station=offices.yuehe)
    return offices, officer
