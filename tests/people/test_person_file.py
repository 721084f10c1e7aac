"""The person's file (一人一档): every case in every state, registrations, lease filings,
permits with their 签注, the hukou entry and the reminders — each linking to its page, scoped
to the user's offices, in a fixed number of queries."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hukou_portal.accounts.roles import Role
from hukou_portal.casework import services as case_services
from hukou_portal.casework.kinds import register, unregister
from hukou_portal.casework.models import Case, Status
from hukou_portal.notifications.models import Notification
from hukou_portal.notifications.services import sweep
from hukou_portal.people.file import FileSection, all_sections, register_section, unregister_section
from hukou_portal.people.models import Person, Town
from hukou_portal.people.services import person_create
from permits.models import ResidencePermit
from registration import services as registration_services
from settlement.models import HukouEntry
from tests.casework.factories import TEST_KIND, drive, upload_all
from tests.helpers import make_user, sign_in, valid_id_number, zh
from tests.permits.factories import declare, issue_permit

D = dt.date
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SECTIONS = ["offices", "cases", "hukou", "households", "registrations", "lease-filings", "permits", "reminders"]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def test_kind():
    register(TEST_KIND)
    yield TEST_KIND
    unregister(TEST_KIND.code)


@pytest.fixture
def person(staff):
    return person_create(
        actor=staff.officer, id_number=valid_id_number(sequence=717), name="孙七", mobile="13900000717"
    )


def case_in(staff, person, status):  # type: ignore[no-untyped-def]
    case = case_services.case_create(actor=staff.officer, kind=TEST_KIND.code, category="basic", applicant=person)
    upload_all(case, staff.officer)
    return drive(case, status, officer=staff.officer, supervisor=staff.supervisor)


def lease_filing(staff, person, number="HZZL2026-0717", filed_on=None):  # type: ignore[no-untyped-def]
    filed_on = filed_on or D(2026, 6, 1)
    return registration_services.lease_filing_record(
        actor=staff.officer,
        filing_number=number,
        filed_on=filed_on,
        town=Town.objects.get(area__code="330502", name="月河街道"),
        address="红旗路 7 号",
        housing="private",
        landlord="房东丙",
        tenant=person,
        term_start=filed_on,
        term_end=filed_on + dt.timedelta(days=365),
    )


def page_of(client, person):  # type: ignore[no-untyped-def]
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def section_html(body: str, code: str) -> str:
    match = re.search(rf'<section id="file-{code}".*?</section>', body, re.S)
    assert match, f"section {code} missing"
    return match.group(0)


def test_every_domain_app_registers_its_section():
    assert [section.code for section in all_sections()] == SECTIONS


def test_a_section_registered_twice_is_refused():
    section = FileSection(code="twice", title="x", template="x.html", rows=lambda user, person: [])
    register_section(section)
    try:
        with pytest.raises(ValueError, match="twice"):
            register_section(FileSection(code="twice", title="y", template="y.html", rows=lambda u, p: []))
    finally:
        unregister_section("twice")


def test_the_file_shows_every_case_in_every_state_newest_first(staff, person):
    cases = [case_in(staff, person, status) for status in Status.values]
    body = page_of(sign_in(Client(), staff.officer), person)
    cases_html = section_html(body, "cases")
    for case in cases:
        assert f'href="/cases/{case.pk}/"' in cases_html
        assert f'data-status="{case.status}"' in cases_html
        assert str(Status(case.status).label) in cases_html  # the Chinese status, not the code
    assert {case.status for case in cases} == set(Status.values)
    references = re.findall(r">(HZ-\d{6}-\d{4}-\d{6})<", cases_html)
    assert references == [case.reference for case in reversed(cases)]  # newest first
    assert TEST_KIND.label in cases_html and "基本" in cases_html  # kind and category labels
    assert ">completed<" not in cases_html and ">withdrawn<" not in cases_html


def test_the_file_links_registrations_lease_filings_permits_and_reminders(staff, person):
    declaration = declare(staff.officer, person, accepted_on=D(2026, 6, 1))
    filing = lease_filing(staff, person)
    permit = issue_permit(staff.officer, staff.supervisor, person)
    # The rental home's town is in this station's jurisdiction: N2 goes to its inbox as well.
    Town.objects.filter(area__code="330502", name="月河街道").update(station=staff.officer.office)
    sweep(as_of=D(2026, 12, 1))  # the lease filing reaches six months today (N2)
    assert Notification.objects.filter(kind="N2", subject_type="lease_filing", subject_id=filing.pk).exists()

    body = page_of(sign_in(Client(), staff.officer), person)
    for code in SECTIONS:
        assert f'data-testid="file-section-{code}"' in body
    registrations = section_html(body, "registrations")
    assert f'href="/cases/{declaration.pk}/"' in registrations and "红旗路 1 号" in registrations
    assert zh("Active", "registration") in registrations
    filings = section_html(body, "lease-filings")
    assert filing.filing_number in filings and f'id="lease-filing-{filing.pk}"' in filings
    assert "/registration/lease-filings/?q=HZZL2026-0717" in filings
    permits = section_html(body, "permits")
    assert f'href="/permits/{permit.pk}/"' in permits
    assert permit.endorsed_until.isoformat() in permits  # the 签注 validity
    assert zh("Valid") in permits
    reminders = section_html(body, "reminders")
    assert f'href="#lease-filing-{filing.pk}"' in reminders
    assert zh("N2 Lease filing matured") in reminders
    assert zh("SMS") in reminders and zh("In-app inbox") in reminders  # one line, both channels
    assert reminders.count("<tr>") == 1 + 1  # header and the one milestone, not a row per recipient


def test_a_person_who_has_just_settled_shows_the_case_and_the_hukou_entry(staff):
    from tests.settlement.test_settlement_cases import CHILD, open_rental_case, to_pending_approval

    applicant = person_create(actor=staff.officer, id_number=valid_id_number(birth_date=D(1988, 3, 2)), name="王小明")
    town = Town.objects.get(area__code="330502", name="月河街道")
    client = sign_in(Client(), staff.officer)
    case = open_rental_case(client, applicant, town, family=[("小宝", CHILD, "child", "unmarried")])
    case = to_pending_approval(case, staff)
    case_services.case_approve(case_id=case.pk, actor=staff.supervisor, expected_version=None)
    case_services.case_complete(case_id=case.pk, actor=staff.officer, expected_version=None)
    assert Case.objects.get(pk=case.pk).status == Status.COMPLETED

    body = page_of(client, applicant)
    assert f'href="/cases/{case.pk}/"' in section_html(body, "cases")
    assert zh("Completed") in section_html(body, "cases")
    hukou = section_html(body, "hukou")
    entry = HukouEntry.objects.get(person=applicant)
    assert f'id="hukou-{entry.pk}"' in hukou and "S1.2" in hukou
    assert zh("Community public collective household (社区公共集体户)") in hukou  # not community_collective
    assert "community_collective" not in hukou
    child = Person.objects.with_id_number(CHILD).get()
    child_hukou = section_html(page_of(client, child), "hukou")
    assert f'href="/cases/{case.pk}/"' in child_hukou and "S6.1" in child_hukou


def test_another_offices_person_is_not_found(staff, person, offices):
    outsider = make_user(offices.zhili, Role.COUNTER_OFFICER, username="outsider")
    assert sign_in(Client(), outsider).get(f"/people/{person.pk}/").status_code == 404


def test_cases_of_other_offices_are_listed_not_linked_and_their_filings_stay_out(staff, person, offices):
    """全域就近办: another station may take a case for the person. This station's file lists it —
    number, kind, state and that station's name — without a link, and the case's page stays
    closed to it; a lease filing recorded there, of a home there, stays out."""
    ours = case_in(staff, person, "submitted")
    elsewhere_officer = make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nanxun_officer")
    theirs = case_services.case_create(actor=elsewhere_officer, kind=TEST_KIND.code, category="basic", applicant=person)
    their_filing = registration_services.lease_filing_record(
        actor=elsewhere_officer,
        filing_number="HZZL2026-9999",
        filed_on=D(2026, 6, 1),
        town=Town.objects.get(area__code="330503", name="南浔镇"),
        address="南浔路 1 号",
        housing="private",
        landlord="房东丁",
        tenant=person,
        term_start=D(2026, 6, 1),
        term_end=D(2027, 5, 31),
    )
    client = sign_in(Client(), staff.officer)
    body = page_of(client, person)
    cases = section_html(body, "cases")
    assert f'href="/cases/{ours.pk}/"' in cases
    assert theirs.reference in cases and f"/cases/{theirs.pk}/" not in body
    assert "南浔派出所" in cases and zh("another office's case") in cases
    assert their_filing.filing_number not in body
    served = section_html(body, "offices")
    assert "月河派出所" in served and "南浔派出所" in served  # both offices that served the person
    assert zh("Opened a case") in served and zh("Recorded the person") in served
    assert client.get(f"/cases/{theirs.pk}/").status_code == 404  # listed, never opened


def test_the_page_runs_the_same_number_of_queries_whatever_the_person_holds(staff, person):
    other = person_create(
        actor=staff.officer, id_number=valid_id_number(sequence=718), name="周八", mobile="13900000718"
    )
    for holder in (person, other):
        case_in(staff, holder, "submitted")
        lease_filing(staff, holder, number=f"HZZL2026-{holder.pk:04d}")
    issue_permit(staff.officer, staff.supervisor, person)
    for status in ("in_review", "completed", "withdrawn", "rejected"):
        case_in(staff, person, status)
    for index in range(3):
        lease_filing(staff, person, number=f"HZZL2026-9{index:03d}", filed_on=D(2026, 6, 1 + index))
    sweep(as_of=D(2026, 12, 3))
    assert ResidencePermit.objects.filter(holder=person).exists()
    assert Notification.objects.filter(subject_type="lease_filing").count() > 4

    client = sign_in(Client(), staff.officer)
    page_of(client, other)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        page_of(client, other)
    with CaptureQueriesContext(connection) as many:
        page_of(client, person)
    assert len(many) == len(few), [q["sql"] for q in many]
