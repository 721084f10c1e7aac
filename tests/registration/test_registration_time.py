"""Issue 11, finding 1: registration time cannot be backdated (R1.4, R3.2).

「居住登记信息按规定可以作为申请登记常住户口时确认落户地、居住年限等办理条件的依据」: the time a
registration proves starts on the day it is made (受理/登记之日), never on the day the applicant
says they moved in; that date is kept as what they stated.
"""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hukou_portal.casework.models import Case
from hukou_portal.people.services import person_create
from registration.continuity import Period, continuous_months
from registration.models import ResidenceDeclaration, ResidenceRegistration
from registration.selectors import registration_months
from registration.services import registration_record_elsewhere
from settlement.eligibility import add_months, months_reached
from tests.helpers import sign_in, valid_id_number, zh
from tests.permits.factories import apply_for_permit, at_ten, declare

D = dt.date


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(at_ten(D(2026, 12, 1)), tick=False) as traveller:
        yield traveller


@pytest.fixture
def person(staff):
    return person_create(actor=staff.officer, id_number=valid_id_number(sequence=811), name="钱七")


def test_a_declaration_stating_2024_counts_no_months_on_the_day_it_is_made(staff, person):
    """The case that showed it: completed on 2026-12-01 with ``lived_since`` 2024-01-01 counted
    35 months at once, so R3.2 was met on the day of the first declaration."""
    case = declare(staff.officer, person, accepted_on=D(2026, 12, 1), lived_since=D(2024, 1, 1))
    registration = ResidenceRegistration.objects.get(person=person)
    assert registration.started_on == D(2026, 12, 1)
    assert ResidenceDeclaration.objects.get(case=case).lived_since == D(2024, 1, 1)  # kept as stated
    assert registration_months(person=person, on=D(2026, 12, 1)) == 0

    permit_case = apply_for_permit(staff.officer, staff.supervisor, person)
    from permits.services import application_checks

    checks = application_checks(permit_case)
    assert checks["eligible"] is False
    assert checks["checks"][0] == {"name": "registration_months", "value": 0, "required": 6, "ok": False}


def test_registration_time_counts_from_the_day_of_acceptance_not_of_completion(staff, person):
    declare(staff.officer, person, accepted_on=D(2026, 5, 28), completed_on=D(2026, 6, 3), lived_since=D(2020, 1, 1))
    assert ResidenceRegistration.objects.get(person=person).started_on == D(2026, 5, 28)
    assert registration_months(person=person, on=D(2026, 11, 27)) == 5
    assert registration_months(person=person, on=D(2026, 11, 28)) == 6


def test_the_case_page_shows_the_stated_day_and_the_day_registration_time_counts_from(staff, person):
    case = declare(staff.officer, person, accepted_on=D(2026, 11, 20), lived_since=D(2024, 1, 1))
    body = sign_in(Client(), staff.officer).get(f"/cases/{case.pk}/").content.decode()
    assert zh("Living there since (as stated)") in body and "2024年1月1日" in body
    assert zh("Registration time counts from") in body and "2026年11月20日" in body


def test_the_intake_form_says_the_stated_date_is_not_registration_time(staff, person):
    page = sign_in(Client(), staff.officer).get("/cases/new/residence_declaration/").content.decode()
    assert zh("Living there since (as stated)") in page
    assert (
        zh("Kept as the applicant's statement. Registration time counts from the day the declaration is accepted.")
        in page
    )


# --- property: registration months never exceed the months since the first registration was made --


PERIOD_DAYS = st.integers(min_value=0, max_value=2000)


@st.composite
def periods_and_day(draw):  # type: ignore[no-untyped-def]
    origin = D(2020, 1, 1)
    periods = []
    for _index in range(draw(st.integers(min_value=0, max_value=5))):
        start = origin + dt.timedelta(days=draw(PERIOD_DAYS))
        length = draw(st.none() | st.integers(min_value=0, max_value=900))
        region = draw(st.sampled_from(["330106", "330502", "320102", "310104"]))
        periods.append(Period(region, start, None if length is None else start + dt.timedelta(days=length)))
    on = origin + dt.timedelta(days=draw(st.integers(min_value=0, max_value=3000)))
    regions = draw(st.sampled_from([["330000"], ["330000", "310000", "320000", "340000"]]))
    tolerance = draw(st.integers(min_value=0, max_value=60))
    return periods, on, regions, tolerance


@given(periods_and_day())
def test_continuous_months_never_exceed_the_months_since_the_first_registration(case):
    """Pure: whatever the periods, the chain counts no more whole months than have passed since
    the earliest registration it could contain was made."""
    periods, on, regions, tolerance = case
    months = continuous_months(periods, on, recognised_regions=regions, tolerance_days=tolerance)
    made = [p.started_on for p in periods if p.started_on <= on]
    assert months == 0 if not made else months <= months_reached(min(made), on)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    stated_days_before=st.integers(min_value=0, max_value=4000),
    accepted=st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 6, 30)),
    processing_days=st.integers(min_value=0, max_value=20),
    elsewhere=st.none() | st.tuples(st.integers(min_value=1, max_value=900), st.integers(min_value=0, max_value=10)),
    later_days=st.integers(min_value=0, max_value=1500),
)
def test_registration_months_never_exceed_the_months_since_the_first_registration_was_made(
    staff, stated_days_before, accepted, processing_days, elsewhere, later_days
):
    """Through the services: a declaration stating any move-in day, accepted on one day and
    completed some days later, perhaps after a registration elsewhere recorded as evidence (made
    on its own start day). On any later day the registration months are at most the months
    since the first registration was made — the stated day never adds a month."""
    with transaction.atomic():
        person = person_create(actor=staff.officer, id_number=valid_id_number(sequence=900), name="孙八")
        first_made = accepted
        if elsewhere is not None:
            length, gap = elsewhere
            ended = accepted - dt.timedelta(days=gap + 1)
            started = ended - dt.timedelta(days=length)
            with time_machine.travel(at_ten(accepted), tick=False):
                registration_record_elsewhere(
                    actor=staff.officer,
                    person=person,
                    region_code="330106",
                    address="杭州市西湖区",
                    started_on=started,
                    ended_on=ended,
                )
            first_made = started
        declare(
            staff.officer,
            person,
            accepted_on=accepted,
            completed_on=accepted + dt.timedelta(days=processing_days),
            lived_since=accepted - dt.timedelta(days=stated_days_before),
        )
        on = accepted + dt.timedelta(days=processing_days + later_days)
        assert registration_months(person=person, on=on) <= months_reached(first_made, on)
        if elsewhere is None:  # the declaration alone: exactly the months since acceptance
            assert registration_months(person=person, on=on) == months_reached(accepted, on)
        transaction.set_rollback(True)


def test_the_months_reach_six_exactly_six_months_after_acceptance(staff, person):
    declare(staff.officer, person, accepted_on=D(2026, 5, 31), lived_since=D(2025, 1, 1))
    assert registration_months(person=person, on=add_months(D(2026, 5, 31), 6) - dt.timedelta(days=1)) == 5
    assert registration_months(person=person, on=add_months(D(2026, 5, 31), 6)) == 6
    assert Case.objects.filter(kind="residence_declaration").count() == 1
