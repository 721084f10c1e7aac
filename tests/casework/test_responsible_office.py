"""Responsible office, computed (D1): each case kind says the town of its address; the case page
names the office answering for it (the town's police station, ``town_offices``) and, when that is
another station, offers 转办 there, pre-selected in the transfer form."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.casework import services
from hukou_portal.casework.kinds import register, unregister
from hukou_portal.casework.selectors import case_responsible_office
from hukou_portal.people.models import Area, Town
from hukou_portal.people.services import person_create
from registration import services as registration_services
from tests.casework.factories import TEST_KIND, fresh, open_case
from tests.helpers import make_user, sign_in, valid_id_number, zh
from tests.permits.factories import declare

D = dt.date
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def town(name: str, area: str = "330502") -> Town:
    return Town.objects.select_related("area", "station").get(area__code=area, name=name)


@pytest.fixture
def jurisdictions(offices):
    """织里镇 is 织里派出所's, 月河街道 月河派出所's; 爱山街道 has no station yet (吴兴分局 answers)."""
    Town.objects.filter(area__code="330502", name="织里镇").update(station=offices.zhili)
    Town.objects.filter(area__code="330502", name="月河街道").update(station=offices.yuehe)
    return offices


@pytest.fixture
def person(staff):
    return person_create(actor=staff.officer, id_number=valid_id_number(sequence=515), name="陈静")


def declaration(officer, person, where: Town):  # type: ignore[no-untyped-def]
    return services.case_create(
        actor=officer,
        kind="residence_declaration",
        category="rented",
        applicant=person,
        details={"town": where, "address": "人民路 5 号", "lived_since": D(2026, 11, 1)},
    )


# --- each kind names the town of its address ---------------------------------------------------


def test_a_declaration_names_the_town_declared(staff, person, jurisdictions):
    case = declaration(staff.officer, person, town("织里镇"))
    assert case.kind_spec.address_town(fresh(case)) == town("织里镇")


def test_a_change_names_the_new_town_and_a_cancellation_the_town_left(staff, person, jurisdictions):
    declare(staff.officer, person, accepted_on=D(2026, 6, 1))  # at 月河街道
    change = services.case_create(
        actor=staff.officer,
        kind="registration_change",
        category="rented",
        applicant=person,
        details={"town": town("织里镇"), "address": "织里路 2 号", "effective_on": D(2026, 11, 1)},
    )
    assert change.kind_spec.address_town(fresh(change)) == town("织里镇")
    services.case_withdraw(case_id=change.pk, actor=staff.officer, expected_version=None, reason="改为注销")
    cancel = services.case_create(
        actor=staff.officer,
        kind="registration_cancel",
        category="moved_away",
        applicant=person,
        details={"effective_on": D(2026, 11, 1)},
    )
    assert cancel.kind_spec.address_town(fresh(cancel)) == town("月河街道")


def test_a_permit_names_the_town_of_its_home_or_its_lease_and_none_for_schooling(staff, person, jurisdictions):
    wuxing = Area.objects.get(code="330502")
    own_home = services.case_create(
        actor=staff.officer,
        kind="permit_application",
        category="stable_residence",
        applicant=person,
        details={"area": wuxing, "home_certificate": "浙(2026)湖州市不动产权第0000515号", "home_town": town("织里镇")},
    )
    assert own_home.kind_spec.address_town(fresh(own_home)) == town("织里镇")
    services.case_withdraw(case_id=own_home.pk, actor=staff.officer, expected_version=None, reason="重新申请")
    registration_services.lease_filing_record(
        actor=staff.officer,
        filing_number="HZZL2026-0515",
        filed_on=D(2026, 5, 1),
        town=town("月河街道"),
        address="红旗路 5 号",
        housing="private",
        landlord="房东",
        tenant=person,
        term_start=D(2026, 5, 1),
        term_end=D(2027, 4, 30),
    )
    rented = services.case_create(
        actor=staff.officer,
        kind="permit_application",
        category="stable_residence",
        applicant=person,
        details={"area": wuxing, "lease_filing_number": "HZZL2026-0515"},
    )
    assert rented.kind_spec.address_town(fresh(rented)) == town("月河街道")
    services.case_withdraw(case_id=rented.pk, actor=staff.officer, expected_version=None, reason="重新申请")
    schooling = services.case_create(
        actor=staff.officer,
        kind="permit_application",
        category="continuous_schooling",
        applicant=person,
        details={"area": wuxing, "school": "湖州中学", "school_area": wuxing},
    )
    assert schooling.kind_spec.address_town(fresh(schooling)) is None
    assert case_responsible_office(case=fresh(schooling)) is None


def test_a_settlement_names_the_town_of_settlement(staff, jurisdictions):
    from tests.settlement.test_settlement_cases import open_rental_case

    applicant = person_create(actor=staff.officer, id_number=valid_id_number(birth_date=D(1988, 3, 2)), name="王小明")
    case = open_rental_case(sign_in(Client(), staff.officer), applicant, town("织里镇"))
    assert case.kind_spec.address_town(fresh(case)) == town("织里镇")
    responsible = case_responsible_office(case=fresh(case))
    assert responsible is not None and responsible.office == jurisdictions.zhili and responsible.elsewhere


def test_a_kind_without_an_address_names_none(staff):
    register(TEST_KIND)
    try:
        case = open_case(staff.officer)
        assert case.kind_spec.address_town(case) is None
        assert case_responsible_office(case=case) is None
    finally:
        unregister(TEST_KIND.code)


# --- the case page and the transfer form ---------------------------------------------------------


def test_an_address_in_another_stations_jurisdiction_offers_the_transfer_there_preselected(
    staff, person, jurisdictions
):
    case = declaration(staff.officer, person, town("织里镇"))  # taken at 月河 (就近办)
    client = sign_in(Client(), staff.officer)
    body = client.get(f"/cases/{case.pk}/").content.decode()
    notice = zh(
        "The address lies in %(town)s, in the jurisdiction of %(office)s. The case can be worked here (全域就近办) "
        "or transferred there."
    ) % {"town": "吴兴区织里镇", "office": "织里派出所"}
    assert notice in body
    assert f'href="/cases/{case.pk}/actions/transfer/"' in body
    assert zh("Transfer to %(office)s") % {"office": "织里派出所"} in body
    form = client.get(f"/cases/{case.pk}/actions/transfer/").context["form"]
    assert form["office"].value() == jurisdictions.zhili.pk  # pre-selected
    response = client.post(
        f"/cases/{case.pk}/actions/transfer/", {"version": fresh(case).version, "office": jurisdictions.zhili.pk}
    )
    assert response.status_code == 302
    assert fresh(case).office == jurisdictions.zhili


def test_no_offer_when_the_address_is_the_cases_own_station_or_has_no_station(staff, person, jurisdictions):
    client = sign_in(Client(), staff.officer)
    own = declaration(staff.officer, person, town("月河街道"))
    assert 'data-testid="responsible-office"' not in client.get(f"/cases/{own.pk}/").content.decode()
    assert client.get(f"/cases/{own.pk}/actions/transfer/").context["form"]["office"].value() is None
    services.case_withdraw(case_id=own.pk, actor=staff.officer, expected_version=None, reason="地址有误")
    nobody = declaration(staff.officer, person, town("爱山街道"))  # 吴兴分局 answers, not a station
    responsible = case_responsible_office(case=fresh(nobody))
    assert responsible is not None and responsible.office == jurisdictions.wuxing and not responsible.elsewhere
    assert 'data-testid="responsible-office"' not in client.get(f"/cases/{nobody.pk}/").content.decode()


def test_the_notice_shows_to_a_supervisor_but_the_transfer_button_only_to_who_may_transfer(
    staff, person, jurisdictions
):
    case = declaration(staff.officer, person, town("织里镇"))
    body = sign_in(Client(), staff.supervisor).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="responsible-office"' in body
    assert 'data-testid="transfer-to-responsible"' not in body  # 转办 is the counter officer's


def test_a_station_closed_since_is_not_offered(staff, person, jurisdictions):
    from hukou_portal.accounts.models import Office

    case = declaration(staff.officer, person, town("织里镇"))
    Office.objects.filter(pk=jurisdictions.zhili.pk).update(is_active=False)
    responsible = case_responsible_office(case=fresh(case))
    assert responsible is not None and responsible.office == jurisdictions.wuxing and not responsible.elsewhere
    page = sign_in(Client(), staff.officer).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="responsible-office"' not in page


def test_an_officer_of_another_station_cannot_transfer_a_case_not_theirs(staff, person, jurisdictions):
    case = declaration(staff.officer, person, town("织里镇"))
    outsider = make_user(jurisdictions.zhili, Role.COUNTER_OFFICER, username="zhili_officer")
    response = sign_in(Client(), outsider).post(
        f"/cases/{case.pk}/actions/transfer/", {"version": fresh(case).version, "office": jurisdictions.zhili.pk}
    )
    assert response.status_code == 404
    assert fresh(case).office == jurisdictions.yuehe
