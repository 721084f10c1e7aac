"""The header search: one box, posted; finds cases in every state, permits, lease filings and
people within the user's offices; audits a person revealed by a full ID number."""

import pytest
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework.models import Case, Status
from hukou_portal.people.services import person_create
from tests.casework.factories import TEST_KIND, drive, open_case, upload_all
from tests.core import list_data
from tests.helpers import make_user, sign_in, valid_id_number, zh


@pytest.fixture(autouse=True)
def _test_kind():
    from hukou_portal.casework.kinds import register, unregister

    register(TEST_KIND)
    yield
    unregister(TEST_KIND.code)


def _search(client: Client, query: str):  # type: ignore[no-untyped-def]
    return client.post("/search/", {"q": query})


@pytest.fixture
def completed(staff) -> Case:
    case = open_case(staff.officer)
    upload_all(case, staff.officer)
    return drive(case, "completed", officer=staff.officer, supervisor=staff.supervisor)


def test_the_header_has_one_search_box_that_posts(officer_client):
    body = officer_client.get("/").content.decode()
    assert 'data-testid="header-search"' in body
    form = body[body.index('data-testid="header-search"') - 120 :]
    assert 'method="post" action="/search/"' in form[:200]
    assert 'name="csrfmiddlewaretoken"' in form[:600]


def test_roles_that_may_not_look_anything_up_get_no_search_box(staff):
    body = sign_in(Client(), staff.admin).get("/").content.decode()
    assert 'data-testid="header-search"' not in body


@pytest.mark.parametrize("typed", ["full", "tail", "short tail", "year and tail", "lower case"])
def test_a_completed_case_is_found_by_its_number_and_opened(officer_client, completed, typed):
    assert completed.status == Status.COMPLETED
    reference = completed.reference
    query = {
        "full": reference,
        "tail": reference[-6:],
        "short tail": str(int(reference[-6:])),
        "year and tail": reference[-11:],
        "lower case": f" {reference.lower()} ",
    }[typed]
    response = _search(officer_client, query)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{completed.pk}/"


def test_a_whole_case_number_reads_the_cases_unique_index_alone(officer_client, completed):
    """No permit, lease-filing or name query for it: a case number is nothing else."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _search(officer_client, completed.reference)  # what the first request of a session reads
    with CaptureQueriesContext(connection) as captured:
        assert _search(officer_client, completed.reference)["Location"] == f"/cases/{completed.pk}/"
    read = [q["sql"] for q in captured.captured_queries]
    assert sum('FROM "casework_case"' in q for q in read) == 1
    assert not [q for q in read if any(t in q for t in ("permits_", "registration_", 'FROM "people_person"'))]


def test_a_withdrawn_case_is_found_too(officer_client, staff):
    case = drive(open_case(staff.officer), "withdrawn", officer=staff.officer, supervisor=staff.supervisor)
    assert case.status == Status.WITHDRAWN
    assert _search(officer_client, case.reference)["Location"] == f"/cases/{case.pk}/"


def test_another_offices_case_is_not_found(completed, offices):
    outsider = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer"))
    for query in (completed.reference, completed.reference[-6:]):
        response = _search(outsider, query)
        assert response.status_code == 200
        assert response.context["results"].count == 0
        assert f'href="/cases/{completed.pk}/"' not in response.content.decode()
        assert 'data-testid="no-results"' in response.content.decode()


def test_the_county_bureau_finds_its_stations_case(completed, offices):
    county = sign_in(Client(), make_user(offices.wuxing, Role.COUNTER_OFFICER, username="county_officer"))
    assert _search(county, completed.reference)["Location"] == f"/cases/{completed.pk}/"


def test_a_full_id_number_opens_the_person_and_is_audited(officer_client, staff):
    person = person_create(actor=staff.officer, id_number=valid_id_number(sequence=246), name="李华")
    response = _search(officer_client, person.id_number.lower())
    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/"
    assert person.id_number not in response["Location"]
    event = AuditEvent.objects.get(action="person.found_by_id_number")
    assert (event.actor, event.object_id) == (staff.officer, str(person.pk))
    assert person.id_number not in str(list(AuditEvent.objects.values()))


def test_a_full_id_number_of_another_offices_person_finds_nothing_and_audits_nothing(staff, offices):
    person = person_create(actor=staff.officer, id_number=valid_id_number(sequence=246), name="李华")
    outsider = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer"))
    response = _search(outsider, person.id_number)
    assert response.status_code == 200
    body = response.content.decode()
    assert person.id_number not in body  # not even echoed back: only masked
    assert person.masked_id_number in body
    assert "李华" not in body
    assert not AuditEvent.objects.filter(action="person.found_by_id_number").exists()


def test_a_name_prefix_lists_people_grouped_and_capped(officer_client, offices):
    list_data.people(offices.yuehe, 25, name="王")
    list_data.people(offices.yuehe, 2, name="李")
    response = _search(officer_client, "王")
    assert response.status_code == 200
    results = response.context["results"]
    assert len(results.people) == 20 and "people" in results.more
    assert all(person.name.startswith("王") for person in results.people)
    body = response.content.decode()
    assert 'data-testid="results-people"' in body and 'data-testid="more-results"' in body
    assert not AuditEvent.objects.filter(action="person.found_by_id_number").exists()


def test_one_person_by_name_opens_them(officer_client, offices):
    (person,) = list_data.people(offices.yuehe, 1, name="欧阳")
    assert _search(officer_client, "欧阳")["Location"] == f"/people/{person.pk}/"


def test_permit_and_lease_filing_numbers(officer_client, staff, offices):
    list_data.populate(offices.yuehe, staff.officer, 2)
    from permits.models import ResidencePermit
    from registration.models import LeaseFiling

    permit = ResidencePermit.objects.first()
    filing = LeaseFiling.objects.first()
    assert _search(officer_client, permit.number.lower())["Location"] == f"/permits/{permit.pk}/"
    location = _search(officer_client, filing.filing_number)["Location"]
    assert location == f"/registration/lease-filings/?q={filing.filing_number}"
    listed = officer_client.get(location).context["page"]
    assert [f.pk for f in listed] == [filing.pk]


def test_several_results_are_grouped_by_kind(officer_client, staff):
    first = open_case(staff.officer, sequence=101)
    upload_all(first, staff.officer)
    drive(first, "completed", officer=staff.officer, supervisor=staff.supervisor)
    second = open_case(staff.officer, sequence=102)
    Case.objects.filter(pk=second.pk).update(reference=first.reference.replace("-2026-", "-2025-"))
    response = _search(officer_client, first.reference[-6:])
    assert response.status_code == 200
    assert {case.pk for case in response.context["results"].cases} == {first.pk, second.pk}
    assert 'data-testid="results-cases"' in response.content.decode()


def test_nothing_found_says_so_in_chinese(officer_client):
    response = _search(officer_client, "HZ-330502-2026-999999")
    assert response.status_code == 200
    assert (
        zh("Nothing you may see matches “%(query)s”. Check the number, or type the first characters of a name.").split(
            "%"
        )[0]
        in response.content.decode()
    )


def test_a_query_that_finds_nothing_stays_in_the_box_unless_it_is_an_id_number(officer_client, staff):
    """A mistyped name can be corrected where it was typed; a whole ID number never comes back."""
    body = _search(officer_client, "不存在的人").content.decode()
    assert 'value="不存在的人"' in body
    number = valid_id_number(sequence=977)  # nobody has it
    body = _search(officer_client, number).content.decode()
    assert number not in body


def test_an_empty_or_too_long_query_is_refused_with_a_message(officer_client):
    empty = _search(officer_client, "   ")
    assert empty.status_code == 200 and empty.context["results"] is None
    assert empty.context["form"].errors
    too_long = _search(officer_client, "王" * 51)
    assert too_long.context["results"] is None and too_long.context["form"].errors


def test_get_shows_the_form_and_searches_nothing(officer_client, completed):
    response = officer_client.get("/search/", {"q": completed.reference})
    assert response.status_code == 200
    assert response.context["results"] is None


def test_search_needs_a_signed_in_user(client):
    response = client.post("/search/", {"q": "x"})
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_an_auditor_finds_no_case_or_person(staff, completed):
    auditor = sign_in(Client(), staff.auditor)
    response = _search(auditor, completed.reference)
    assert response.status_code == 200
    assert response.context["results"].count == 0
