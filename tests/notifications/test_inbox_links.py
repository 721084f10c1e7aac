"""Inbox items link to their subject — the case, the permit, the lease filing — when the user
may open it, and never to another office's."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hukou_portal.accounts.roles import Role
from hukou_portal.casework import services as case_services
from hukou_portal.casework.kinds import register, unregister
from hukou_portal.notifications.models import Notification
from hukou_portal.people.models import Person, Town
from hukou_portal.people.services import person_create
from registration import services as registration_services
from tests.casework.factories import TEST_KIND
from tests.helpers import make_user, sign_in, valid_id_number, zh
from tests.notifications.conftest import make_permit

D = dt.date


@pytest.fixture(autouse=True)
def test_kind():
    register(TEST_KIND)
    yield TEST_KIND
    unregister(TEST_KIND.code)


def inbox_row(user, subject_type: str, subject_id: int, milestone: str = "2026-12-01") -> Notification:  # type: ignore[no-untyped-def]
    kind = {"permit": "N1", "lease_filing": "N2", "case": "N4"}[subject_type]
    return Notification.objects.create(
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        milestone=milestone,
        channel="inbox",
        recipient=f"user:{user.pk}",
        user=user,
        message=f"提醒：{subject_type} {subject_id}",
    )


def filing_for(officer, tenant: Person, number: str):  # type: ignore[no-untyped-def]
    return registration_services.lease_filing_record(
        actor=officer,
        filing_number=number,
        filed_on=D(2026, 6, 1),
        town=Town.objects.get(area__code="330502", name="月河街道"),
        address="红旗路 9 号",
        housing="private",
        landlord="房东戊",
        tenant=tenant,
        term_start=D(2026, 6, 1),
        term_end=D(2027, 5, 31),
    )


def test_items_link_to_their_case_permit_and_lease_filing(staff, offices):
    person = person_create(actor=staff.officer, id_number=valid_id_number(sequence=801), name="吴十")
    case = case_services.case_create(actor=staff.officer, kind=TEST_KIND.code, category="basic", applicant=person)
    permit = make_permit(offices.yuehe, issued_on=D(2026, 6, 1), sequence=802)
    filing = filing_for(staff.officer, person, "HZZL2026-0801")
    for subject_type, subject_id in (("case", case.pk), ("permit", permit.pk), ("lease_filing", filing.pk)):
        inbox_row(staff.officer, subject_type, subject_id)

    body = sign_in(Client(), staff.officer).get("/reminders/inbox/").content.decode()
    assert f'href="/cases/{case.pk}/" data-testid="inbox-subject"' in body
    assert f'href="/permits/{permit.pk}/" data-testid="inbox-subject"' in body
    assert f'href="/people/{person.pk}/#lease-filing-{filing.pk}" data-testid="inbox-subject"' in body
    assert zh("Open the case", "link to a case page") in body and case.reference in body
    assert zh("Open the case") not in body  # the intake button's words (新建案件), not a link's
    assert zh("Open the residence permit") in body and zh("Open the lease filing") in body


def test_a_lease_filing_another_office_recorded_in_our_jurisdiction_links_to_the_list(staff, offices):
    """N2 goes to the station of the rental home: 织里 recorded the filing of a home in 月河街道
    (月河's jurisdiction) for a tenant 织里 serves. 月河 opens it from the lease-filing list; the
    tenant's file stays 织里's until 月河 serves her."""
    Town.objects.filter(area__code="330502", name="月河街道").update(station=offices.yuehe)
    zhili_officer = make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer")
    stranger = person_create(actor=zhili_officer, id_number=valid_id_number(sequence=803), name="郑十一")
    filing = filing_for(zhili_officer, stranger, "HZZL2026-0803")
    inbox_row(staff.officer, "lease_filing", filing.pk)
    client = sign_in(Client(), staff.officer)
    body = client.get("/reminders/inbox/").content.decode()
    assert f"/people/{stranger.pk}/" not in body
    assert 'href="/registration/lease-filings/?q=HZZL2026-0803" data-testid="inbox-subject"' in body
    listing = client.get("/registration/lease-filings/", {"q": "HZZL2026-0803"})
    assert [row.pk for row in listing.context["page"]] == [filing.pk]
    assert f'href="/people/{stranger.pk}/"' not in listing.content.decode()  # listed, her file not opened


def test_subjects_of_other_offices_get_no_link(staff, offices):
    nanxun_officer = make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nanxun_officer")
    person = person_create(actor=nanxun_officer, id_number=valid_id_number(sequence=804), name="冯十二")
    their_case = case_services.case_create(
        actor=nanxun_officer, kind=TEST_KIND.code, category="basic", applicant=person
    )
    their_permit = make_permit(offices.nanxun_station, issued_on=D(2026, 6, 1), sequence=805)
    # Rows that should never reach this officer: still, the inbox must not open their subjects.
    inbox_row(staff.officer, "case", their_case.pk)
    inbox_row(staff.officer, "permit", their_permit.pk)
    body = sign_in(Client(), staff.officer).get("/reminders/inbox/").content.decode()
    assert body.count('data-testid="inbox-item"') == 2
    assert 'data-testid="inbox-subject"' not in body
    assert f"/cases/{their_case.pk}/" not in body and f"/permits/{their_permit.pk}/" not in body


def test_another_users_reminders_are_not_in_the_inbox(staff):
    person = person_create(actor=staff.officer, id_number=valid_id_number(sequence=806), name="陈十三")
    case = case_services.case_create(actor=staff.officer, kind=TEST_KIND.code, category="basic", applicant=person)
    row = inbox_row(staff.supervisor, "case", case.pk)
    body = sign_in(Client(), staff.officer).get("/reminders/inbox/").content.decode()
    assert row.message not in body


def test_the_inbox_runs_the_same_number_of_queries_for_more_items(staff, offices):
    def subjects(sequence: int) -> None:
        person = person_create(actor=staff.officer, id_number=valid_id_number(sequence=sequence), name="褚十四")
        case = case_services.case_create(actor=staff.officer, kind=TEST_KIND.code, category="basic", applicant=person)
        permit = make_permit(offices.yuehe, issued_on=D(2026, 6, 1), sequence=sequence + 1)
        filing = filing_for(staff.officer, person, f"HZZL2026-{sequence}")
        for subject_type, subject_id in (("case", case.pk), ("permit", permit.pk), ("lease_filing", filing.pk)):
            inbox_row(staff.officer, subject_type, subject_id)

    client = sign_in(Client(), staff.officer)
    subjects(810)
    client.get("/reminders/inbox/")
    with CaptureQueriesContext(connection) as few:
        client.get("/reminders/inbox/")
    subjects(820)
    subjects(830)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/reminders/inbox/").content.decode()
    assert body.count('data-testid="inbox-subject"') == 9
    assert len(many) == len(few)
