"""Recording and viewing people: masked numbers, audited full views, clear refusals."""

import pytest
from django.test import Client

from hukou_portal.audit.models import AuditEvent
from hukou_portal.people.models import Person
from hukou_portal.people.services import person_create
from tests.helpers import get_with_id_number_refused, sign_in, valid_id_number, zh


def test_officer_records_a_person(officer_client, staff):
    number = valid_id_number()
    response = officer_client.post("/people/new/", {"id_number": number.lower(), "name": " 王小明 ", "mobile": ""})
    person = Person.objects.get()
    assert response.status_code == 302
    assert person.id_number == number
    assert person.name == "王小明"
    assert person.office == staff.officer.office
    event = AuditEvent.objects.get(action="person.created")
    assert event.object_repr == f"王小明 ({person.masked_id_number})"
    assert number not in str(list(AuditEvent.objects.values()))  # never a full ID number in the trail


@pytest.mark.parametrize("spacing", ["{a} {b} {c}", "{a}-{b}-{c}", "{a}　{b}　{c}"])
def test_a_number_written_for_reading_is_recorded_as_one_and_found_again(officer_client, staff, spacing):
    number = valid_id_number()
    typed = spacing.format(a=number[:6], b=number[6:14], c=number[14:])
    assert officer_client.post("/people/new/", {"id_number": typed, "name": "王小明"}).status_code == 302
    assert Person.objects.with_id_number(number).get().id_number == number
    duplicate = officer_client.post("/people/new/", {"id_number": number, "name": "王小明"})
    assert "id_number" in duplicate.context["form"].errors  # the same person, however it was typed


def test_invalid_number_is_refused_in_chinese_and_nothing_is_written(officer_client):
    bad = valid_id_number()[:17] + ("0" if valid_id_number()[17] != "0" else "1")
    response = officer_client.post("/people/new/", {"id_number": bad, "name": "王小明"})
    assert response.status_code == 200
    assert zh("The check character (the last one) does not match: the number has a typing error.") in (
        response.content.decode()
    )
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person.created").exists()


def test_duplicate_number_is_refused(officer_client, staff):
    person_create(actor=staff.officer, id_number=valid_id_number(), name="王小明")
    response = officer_client.post("/people/new/", {"id_number": valid_id_number(), "name": "王小明"})
    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors
    assert Person.objects.count() == 1


def test_bad_mobile_number_is_refused(officer_client):
    response = officer_client.post("/people/new/", {"id_number": valid_id_number(), "name": "王", "mobile": "12345"})
    assert "mobile" in response.context["form"].errors
    assert not Person.objects.exists()


def test_list_shows_masked_numbers_only(officer_client, staff):
    person = person_create(actor=staff.officer, id_number=valid_id_number(), name="王小明")
    body = officer_client.get("/people/").content.decode()
    assert person.masked_id_number in body
    assert person.id_number not in body


def test_list_searches_the_start_of_a_name(officer_client, staff):
    person_create(actor=staff.officer, id_number=valid_id_number(), name="王小明")
    person_create(actor=staff.officer, id_number=valid_id_number(sequence=246), name="李华")
    person_create(actor=staff.officer, id_number=valid_id_number(sequence=248), name="小王")
    assert [p.name for p in officer_client.get("/people/", {"q": "王"}).context["page"]] == ["王小明"]
    assert [p.name for p in officer_client.get("/people/", {"q": "小"}).context["page"]] == ["小王"]


def test_list_refuses_an_id_number_and_points_to_the_header_search(officer_client, staff):
    person = person_create(actor=staff.officer, id_number=valid_id_number(sequence=246), name="李华")
    number = valid_id_number(sequence=246)
    page = get_with_id_number_refused(officer_client, "/people/", {"q": number}, number)
    assert [p.pk for p in page.context["page"]] == [person.pk]  # unfiltered: the number was not used
    assert not AuditEvent.objects.filter(action__startswith="person.found").exists()


def test_list_refuses_digits_and_points_to_the_header_search(officer_client, staff):
    person_create(actor=staff.officer, id_number=valid_id_number(sequence=246), name="李华")
    response = officer_client.get("/people/", {"q": "330502"})
    assert list(response.context["page"]) == []
    assert (
        zh("Search people here by name. Find a citizen ID number with the search box at the top of the page.")
        in response.content.decode()
    )


@pytest.mark.parametrize("role", ["officer", "supervisor"])
def test_own_page_shows_the_full_number_and_the_view_is_audited(staff, role):
    person = person_create(actor=staff.officer, id_number=valid_id_number(), name="王小明")
    viewer = getattr(staff, role)
    response = sign_in(Client(), viewer).get(f"/people/{person.pk}/")
    assert person.id_number in response.content.decode()
    assert zh("Male") in response.content.decode()
    assert "1990-05-17" in response.content.decode()
    event = AuditEvent.objects.get(action="person.viewed")
    assert (event.actor, event.object_id) == (viewer, str(person.pk))


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_administrators_and_auditors_do_not_see_people(staff, role):
    person = person_create(actor=staff.officer, id_number=valid_id_number(), name="王小明")
    client = sign_in(Client(), getattr(staff, role))
    assert client.get(f"/people/{person.pk}/").status_code == 403
    assert client.get("/people/").status_code == 403
