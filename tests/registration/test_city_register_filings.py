"""Lease filings and the city register (全域就近办): a station records the filing of any tenant of
Huzhou by their full number (an accounted lookup, D3), and the station answering for the rental
home's town (N2) opens the filing whoever recorded it — nobody else does."""

import datetime as dt

import pytest
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.people.models import PersonOffice, Town
from hukou_portal.people.services import person_create
from registration.models import LeaseFiling
from tests.helpers import make_user, sign_in, valid_id_number, zh

NUMBER = valid_id_number(sequence=612)


@pytest.fixture
def chen_jing(staff):
    return person_create(actor=staff.officer, id_number=NUMBER, name="陈静")  # recorded at 月河


@pytest.fixture
def zhili_officer(offices):
    Town.objects.filter(area__code="330502", name="织里镇").update(station=offices.zhili)
    return make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer")


def form(number: str, **overrides: str) -> dict[str, object]:
    return {
        "filing_number": "HZZL2026-0612",
        "filed_on": "2026-06-01",
        "town": Town.objects.get(area__code="330502", name="织里镇").pk,
        "address": "织里路 12 号",
        "housing": "private",
        "landlord": "房东庚",
        "tenant_id_number": number,
        "term_start": "2026-06-01",
        "term_end": "2027-05-31",
        **overrides,
    }


def test_a_station_records_the_filing_of_a_tenant_recorded_elsewhere_and_the_lookup_is_accounted(
    chen_jing, zhili_officer, offices
):
    client = sign_in(Client(), zhili_officer)
    spaced = f"{NUMBER[:6]} {NUMBER[6:14]} {NUMBER[14:]}"
    response = client.post("/registration/lease-filings/new/", form(spaced))
    assert response.status_code == 302
    filing = LeaseFiling.objects.get()
    assert (filing.tenant, filing.office) == (chen_jing, offices.zhili)
    event = AuditEvent.objects.get(action="person.lookup")
    assert (event.actor, event.object_id, event.new_values) == (
        zhili_officer,
        str(chen_jing.pk),
        {"reason": "business", "found": True},
    )
    assert NUMBER not in str(list(AuditEvent.objects.values()))
    row = PersonOffice.objects.get(person=chen_jing, office=offices.zhili)
    assert (row.first_via, row.last_via) == ("lease_filing", "lease_filing")
    # 织里 serves her now: the list links her file.
    listing = client.get("/registration/lease-filings/").content.decode()
    assert f'href="/people/{chen_jing.pk}/"' in listing


def test_a_tenant_nobody_holds_or_a_malformed_number_is_refused_and_nothing_is_written(zhili_officer):
    client = sign_in(Client(), zhili_officer)
    nobody = client.post("/registration/lease-filings/new/", form(valid_id_number(sequence=613)))
    assert nobody.status_code == 200
    assert zh("Nobody with this citizen ID number is in the city register: record the person first.") in (
        nobody.content.decode()
    )
    bad = client.post("/registration/lease-filings/new/", form(NUMBER[:17]))
    assert "tenant_id_number" in bad.context["form"].errors
    assert not LeaseFiling.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["lease_filing.recorded", "person.lookup"]).exists()


def test_the_station_of_the_rental_home_opens_a_filing_another_station_recorded(chen_jing, zhili_officer, offices):
    """月河 recorded the filing of a home in 织里镇: 织里 answers for the town (N2) and opens it;
    南浔 never does; 织里 finds it by its number from the header search too."""
    from registration.services import lease_filing_record

    filing = lease_filing_record(
        actor=make_user(offices.yuehe, Role.COUNTER_OFFICER, username="yuehe_two"),
        filing_number="HZZL2026-0614",
        filed_on=dt.date(2026, 6, 1),
        town=Town.objects.get(area__code="330502", name="织里镇"),
        address="织里路 14 号",
        housing="private",
        landlord="房东辛",
        tenant=chen_jing,
        term_start=dt.date(2026, 6, 1),
        term_end=dt.date(2027, 5, 31),
    )
    zhili = sign_in(Client(), zhili_officer)
    listing = zhili.get("/registration/lease-filings/")
    assert [row.pk for row in listing.context["page"]] == [filing.pk]
    assert f'href="/people/{chen_jing.pk}/"' not in listing.content.decode()  # her file is not 织里's
    found = zhili.post("/search/", {"q": "HZZL2026-0614"})
    assert found.status_code == 302 and found["Location"] == "/registration/lease-filings/?q=HZZL2026-0614"
    nanxun = sign_in(Client(), make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nanxun_officer"))
    assert list(nanxun.get("/registration/lease-filings/").context["page"]) == []
    assert nanxun.post("/search/", {"q": "HZZL2026-0614"}).status_code == 200  # nothing found, no redirect
