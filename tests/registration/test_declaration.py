"""The first real case kind: residence declaration (居住登记申报, R1.1), approved at the counter."""

import datetime as dt

import pytest
from django.test import Client

from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework.models import Case, Status
from hukou_portal.people.models import Person, Town
from hukou_portal.people.services import person_create
from registration.models import ResidenceDeclaration, ResidenceRegistration
from tests.casework.factories import accept_all, fresh, upload_all
from tests.helpers import sign_in, valid_id_number, zh


@pytest.fixture
def applicant(staff):
    return person_create(actor=staff.officer, id_number=valid_id_number(), name="王小明")


@pytest.fixture
def town(db):
    return Town.objects.get(area__code="330502", name="月河街道")


def intake(client: Client, applicant, town, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "category": "rented",
        "applicant_id_number": applicant.id_number,
        "details-town": town.pk,
        "details-address": "红旗路 1 号 101 室",
        "details-lived_since": "2026-10-01",
    }
    data.update(overrides)
    return client.post("/cases/new/residence_declaration/", data)


def test_declaration_from_intake_to_registration(staff, applicant, town):
    client = sign_in(Client(), staff.officer)
    response = intake(client, applicant, town)
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.reference.startswith(f"HZ-330502-{dt.date.today().year}-")
    assert ResidenceDeclaration.objects.get(case=case).address == "红旗路 1 号 101 室"
    for action in ["submit", "start_review"]:
        client.post(f"/cases/{case.pk}/actions/{action}/", {"version": fresh(case).version})
    upload_all(case, staff.officer)
    accept_all(case, staff.officer)
    # No supervisor approval for this kind: the counter officer approves and completes.
    assert (
        client.post(f"/cases/{case.pk}/actions/approve_at_counter/", {"version": fresh(case).version}).status_code
        == 302
    )
    assert client.post(f"/cases/{case.pk}/actions/complete/", {"version": fresh(case).version}).status_code == 302
    case = fresh(case)
    assert case.status == Status.COMPLETED
    registration = ResidenceRegistration.objects.get(person=applicant)
    assert (registration.town, registration.case) == (town, case)
    assert AuditEvent.objects.filter(action="registration.created", case=case).exists()
    assert "红旗路" in client.get(f"/cases/{case.pk}/").content.decode()


def test_reference_numbers_count_up_per_area_and_year(staff, applicant, town):
    client = sign_in(Client(), staff.officer)
    intake(client, applicant, town)
    intake(client, applicant, town)
    serials = sorted(int(reference.rsplit("-", 1)[1]) for reference in Case.objects.values_list("reference", flat=True))
    assert serials[1] == serials[0] + 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"details-lived_since": "2099-01-01"}, "lived_since", "The date cannot be in the future."),
        ({"applicant_id_number": "33050219900517123"}, "applicant_id_number", None),
        ({"category": "castle"}, "category", None),
    ],
)
def test_bad_intake_is_refused_and_nothing_is_written(staff, applicant, town, overrides, field, message):
    client = sign_in(Client(), staff.officer)
    response = intake(client, applicant, town, **overrides)
    assert response.status_code == 200
    if message:
        assert zh(message) in response.content.decode()
    assert not Case.objects.exists() and not ResidenceDeclaration.objects.exists()
    assert not AuditEvent.objects.filter(action="case.created").exists()


def test_a_person_recorded_at_another_station_declares_here_and_the_intake_is_an_accounted_lookup(staff, town, offices):
    """全域就近办 (D1): the applicant may have been recorded anywhere in Huzhou. Finding them by
    their full number is a lookup for business, tied to the case it opened (D3)."""
    from hukou_portal.accounts.roles import Role
    from hukou_portal.people.selectors import person_list_for_user
    from tests.helpers import make_user

    stranger = person_create(
        actor=make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer"),
        id_number=valid_id_number(sequence=777),
        name="李四",
    )
    assert not person_list_for_user(user=staff.officer).filter(pk=stranger.pk).exists()
    client = sign_in(Client(), staff.officer)
    response = intake(client, stranger, town)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert (case.applicant, case.office) == (stranger, offices.yuehe)
    lookup = AuditEvent.objects.get(action="person.lookup")
    assert (lookup.actor, lookup.case, lookup.object_id) == (staff.officer, case, str(stranger.pk))
    assert lookup.new_values == {"reason": "business", "found": True}
    assert stranger.id_number not in str(list(AuditEvent.objects.values()))
    # 月河 has served 李四 now: the file opens there.
    assert person_list_for_user(user=staff.officer).filter(pk=stranger.pk).exists()


def test_a_number_nobody_holds_is_refused_in_chinese_and_nothing_is_written(staff, town):
    client = sign_in(Client(), staff.officer)
    nobody = Person(name="无名", office=staff.officer.office)
    nobody.id_number = valid_id_number(sequence=778)  # never saved: nobody holds this number
    response = intake(client, nobody, town)
    assert response.status_code == 200
    assert zh("Nobody with this citizen ID number is in the city register: record the person first.") in (
        response.content.decode()
    )
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["case.created", "person.lookup"]).exists()


def test_supervisors_and_auditors_cannot_open_cases(staff, applicant, town):
    for user in (staff.supervisor, staff.auditor, staff.admin):
        response = intake(sign_in(Client(), user), applicant, town)
        assert response.status_code == 403
    assert not Case.objects.exists()


def test_the_case_page_reads_the_declaration_with_its_town_area_and_station_in_one_query(
    staff, applicant, town, offices
):
    """The kind's ``detail_prefetch``: one query for the declaration and the place it names, and
    no bureau query when the town's station is open."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Town.objects.filter(pk=town.pk).update(station=offices.yuehe)
    client = sign_in(Client(), staff.officer)
    case = Case.objects.get(pk=intake(client, applicant, town)["Location"].strip("/").rsplit("/", 1)[-1])
    client.get(f"/cases/{case.pk}/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200 and town.name in response.content.decode()
    read = [q["sql"] for q in captured.captured_queries]
    declaration = [q for q in read if 'FROM "registration_residencedeclaration"' in q]
    assert len(declaration) == 1 and '"people_area"' in declaration[0] and '"people_town"' in declaration[0]
    assert not [q for q in read if q.lstrip().startswith('SELECT "people_town"') or 'FROM "people_area"' in q]
    assert not [q for q in read if 'FROM "accounts_office"' in q and "'county'" in q]  # the station answers
