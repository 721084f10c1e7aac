"""Registrations: one active at a time, changes that hand over on the same day, cancellations,
registrations elsewhere as evidence, lease filings — and the bad input each refuses."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from hukou_portal.casework import services as case_services
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people.models import Town
from hukou_portal.people.services import person_create
from registration import services
from registration.models import LeaseFiling, ResidenceRegistration
from registration.selectors import lease_filing_matures_on, registration_months
from tests.casework.factories import accept_all, fresh, upload_all
from tests.helpers import sign_in, valid_id_number
from tests.permits.factories import declare

D = dt.date
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def person(staff):
    return person_create(actor=staff.officer, id_number=valid_id_number(sequence=616), name="赵六")


def complete(case, officer):  # type: ignore[no-untyped-def]
    for step in ("submit", "start_review"):
        getattr(case_services, f"case_{step}")(case_id=case.pk, actor=officer, expected_version=None)
    upload_all(fresh(case), officer)
    accept_all(fresh(case), officer)
    case_services.case_approve_at_counter(case_id=case.pk, actor=officer, expected_version=None)
    case_services.case_complete(case_id=case.pk, actor=officer, expected_version=None)


def test_a_second_declaration_is_refused_while_one_is_active(staff, person):
    declare(staff.officer, person, accepted_on=D(2026, 6, 1))
    with pytest.raises(ApplicationError, match=r"变更|change"):
        declare(staff.officer, person, accepted_on=D(2026, 7, 1))
    assert ResidenceRegistration.objects.filter(person=person).count() == 1


def test_a_change_closes_the_old_period_and_opens_the_new_on_the_same_day(staff, person):
    declare(staff.officer, person, accepted_on=D(2026, 6, 1))
    town = Town.objects.get(area__code="330502", name="爱山街道")
    case = case_services.case_create(
        actor=staff.officer,
        kind="registration_change",
        category="rented",
        applicant=person,
        details={"town": town, "address": "新地址 2 号", "effective_on": D(2026, 9, 15)},
    )
    complete(case, staff.officer)
    old, new = ResidenceRegistration.objects.filter(person=person).order_by("started_on")
    assert (old.ended_on, new.started_on, new.ended_on) == (D(2026, 9, 15), D(2026, 9, 15), None)
    assert registration_months(person=person, on=D(2026, 12, 1)) == 6


def test_a_change_dated_before_the_current_period_is_refused(staff, person):
    declare(staff.officer, person, accepted_on=D(2026, 6, 1))
    town = Town.objects.get(area__code="330502", name="爱山街道")
    with pytest.raises(ApplicationError) as refused:
        case_services.case_create(
            actor=staff.officer,
            kind="registration_change",
            category="rented",
            applicant=person,
            details={"town": town, "address": "x", "effective_on": D(2026, 5, 31)},
        )
    assert refused.value.field == "effective_on"
    assert not fresh_cases("registration_change")


def fresh_cases(kind):  # type: ignore[no-untyped-def]
    from hukou_portal.casework.models import Case

    return list(Case.objects.filter(kind=kind))


def test_a_change_without_an_active_registration_is_refused(staff, person):
    town = Town.objects.get(area__code="330502", name="爱山街道")
    with pytest.raises(ApplicationError):
        case_services.case_create(
            actor=staff.officer,
            kind="registration_change",
            category="rented",
            applicant=person,
            details={"town": town, "address": "x", "effective_on": D(2026, 11, 1)},
        )


def test_registrations_elsewhere_count_towards_r32(staff, person):
    services.registration_record_elsewhere(
        actor=staff.officer,
        person=person,
        region_code="330106",
        address="杭州",
        started_on=D(2026, 1, 1),
        ended_on=D(2026, 5, 31),
    )
    declare(staff.officer, person, accepted_on=D(2026, 6, 1))
    assert registration_months(person=person, on=D(2026, 12, 1)) == 11


@pytest.mark.parametrize(
    ("region", "start", "end", "field"),
    [
        ("110101", D(2025, 1, 1), D(2025, 6, 30), "region_code"),  # Beijing: not recordable
        ("330106", D(2025, 6, 30), D(2025, 1, 1), "ended_on"),
        ("330106", D(2025, 1, 1), D(2027, 1, 1), "ended_on"),
    ],
)
def test_bad_registrations_elsewhere_are_refused(staff, person, region, start, end, field):
    with pytest.raises(ApplicationError) as refused:
        services.registration_record_elsewhere(
            actor=staff.officer, person=person, region_code=region, address="x", started_on=start, ended_on=end
        )
    assert refused.value.field == field
    assert not ResidenceRegistration.objects.exists()


def test_overlapping_periods_are_refused(staff, person):
    declare(staff.officer, person, accepted_on=D(2026, 6, 1))
    with pytest.raises(ApplicationError, match=r"overlap|重叠"):
        services.registration_record_elsewhere(
            actor=staff.officer,
            person=person,
            region_code="330106",
            address="x",
            started_on=D(2026, 5, 1),
            ended_on=D(2026, 6, 10),
        )
    assert ResidenceRegistration.objects.count() == 1


def filing(staff, person, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "filing_number": "HZZL2026-0001",
        "filed_on": D(2026, 6, 1),
        "town": Town.objects.get(area__code="330502", name="月河街道"),
        "address": "红旗路 1 号",
        "housing": "private",
        "landlord": "房东甲",
        "tenant": person,
        "term_start": D(2026, 6, 1),
        "term_end": D(2027, 5, 31),
    }
    data.update(overrides)
    return services.lease_filing_record(actor=staff.officer, **data)


def test_lease_filing_reaches_its_months_on_a_derived_day(staff, person):
    recorded = filing(staff, person, filed_on=D(2026, 8, 31))
    assert lease_filing_matures_on(recorded) == D(2027, 2, 28)
    assert recorded.is_urban is True


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"term_end": D(2026, 5, 31)}, "term_end"),
        ({"filed_on": D(2027, 1, 1)}, "filed_on"),
    ],
)
def test_bad_lease_filings_are_refused(staff, person, overrides, field):
    with pytest.raises(ApplicationError) as refused:
        filing(staff, person, **overrides)
    assert refused.value.field == field
    assert not LeaseFiling.objects.exists()


def test_a_duplicate_filing_number_is_refused(staff, person):
    filing(staff, person)
    with pytest.raises(ApplicationError) as refused:
        filing(staff, person)
    assert refused.value.field == "filing_number"
    assert LeaseFiling.objects.count() == 1


def test_lease_filing_pages(staff, person, offices):
    from hukou_portal.accounts.roles import Role
    from tests.helpers import make_user

    client = sign_in(Client(), staff.officer)
    data = {
        "filing_number": "HZZL2026-0009",
        "filed_on": "2026-06-01",
        "town": Town.objects.get(area__code="330502", name="月河街道").pk,
        "address": "红旗路 9 号",
        "housing": "private",
        "landlord": "房东乙",
        "tenant_id_number": person.id_number,
        "term_start": "2026-06-01",
        "term_end": "2026-05-01",
    }
    bad = client.post("/registration/lease-filings/new/", data)
    assert bad.status_code == 200 and "term_end" in bad.context["form"].errors
    data["term_end"] = "2027-05-31"
    assert client.post("/registration/lease-filings/new/", data).status_code == 302
    assert "HZZL2026-0009" in client.get("/registration/lease-filings/").content.decode()
    outsider = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="outsider"))
    assert "HZZL2026-0009" not in outsider.get("/registration/lease-filings/").content.decode()
    assert outsider.get(f"/registration/people/{person.pk}/elsewhere/").status_code == 404


def test_person_page_shows_one_timeline(staff, person):
    declare(staff.officer, person, accepted_on=D(2026, 6, 1))
    filing(staff, person)
    body = sign_in(Client(), staff.officer).get(f"/people/{person.pk}/").content.decode()
    assert "HZZL2026-0001" in body and "红旗路 1 号" in body
