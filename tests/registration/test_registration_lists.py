"""The residence-registrations and lease-filing lists: scoped to the user's offices, searched,
filtered, linked to each person and case."""

from django.test import Client

from hukou_portal.accounts.roles import Role
from registration.models import LeaseFiling, ResidenceRegistration
from tests.core import list_data
from tests.helpers import get_with_id_number_refused, make_user, sign_in, valid_id_number, zh


def _pks(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [row.pk for row in response.context["page"]]


def test_registrations_list_shows_the_offices_people_and_links_them(officer_client, staff, offices):
    list_data.populate(offices.yuehe, staff.officer, 3)
    zhili_officer = make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer")
    list_data.populate(offices.zhili, zhili_officer, 2)
    response = officer_client.get("/registration/registrations/")
    assert response.status_code == 200
    own = ResidenceRegistration.objects.filter(person__office=offices.yuehe)
    assert set(_pks(response)) == set(own.values_list("pk", flat=True))
    body = response.content.decode()
    registration = own.first()
    assert f'href="/people/{registration.person_id}/"' in body
    assert zh("Zhejiang") in body and "330106" not in body  # the region reads as a name
    assert zh("Residence registrations") in body  # the menu entry


def test_registrations_filter_by_state_source_and_name(officer_client, staff, offices):
    list_data.populate(offices.yuehe, staff.officer, 3)
    first = ResidenceRegistration.objects.order_by("pk").first()
    ResidenceRegistration.objects.filter(pk=first.pk).update(ended_on=None, source="local", region_code="330502")
    active = officer_client.get("/registration/registrations/", {"state": "active"})
    assert _pks(active) == [first.pk]
    ended = officer_client.get("/registration/registrations/", {"state": "ended", "source": "elsewhere"})
    assert first.pk not in _pks(ended) and len(_pks(ended)) == 2
    by_name = officer_client.get("/registration/registrations/", {"q": first.person.name})
    assert _pks(by_name) == [first.pk]
    number = first.person.id_number
    refused = get_with_id_number_refused(officer_client, "/registration/registrations/", {"q": number}, number)
    assert len(_pks(refused)) == 3  # the list unfiltered: the number was never used


def test_another_station_sees_none_of_them(staff, offices):
    list_data.populate(offices.yuehe, staff.officer, 3)
    outsider = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer"))
    for url in ("/registration/registrations/", "/registration/lease-filings/"):
        assert _pks(outsider.get(url)) == []
    county = sign_in(Client(), make_user(offices.wuxing, Role.COUNTER_OFFICER, username="county_officer"))
    assert len(_pks(county.get("/registration/registrations/"))) == 3


def test_lease_filings_search_by_number_or_tenant_and_filter(officer_client, staff, offices):
    list_data.populate(offices.yuehe, staff.officer, 4)
    filing = LeaseFiling.objects.order_by("pk").first()
    assert _pks(officer_client.get("/registration/lease-filings/", {"q": filing.filing_number.lower()})) == [filing.pk]
    assert _pks(officer_client.get("/registration/lease-filings/", {"q": filing.tenant.name})) == [filing.pk]
    LeaseFiling.objects.filter(pk=filing.pk).update(is_urban=False)
    assert _pks(officer_client.get("/registration/lease-filings/", {"urban": "no"})) == [filing.pk]
    assert filing.pk not in _pks(officer_client.get("/registration/lease-filings/", {"urban": "yes"}))
    number = valid_id_number()
    spaced = f"{number[:6]} {number[6:14]} {number[14:]}"
    get_with_id_number_refused(officer_client, "/registration/lease-filings/", {"q": spaced, "urban": "no"}, number)
