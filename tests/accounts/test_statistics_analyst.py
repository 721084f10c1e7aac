"""The statistics analyst (统计分析员, issue 13): reads figures of their office subtree and nothing
else, works at the city bureau or a county-level bureau — never at a police station — and is
staffed by the administrators. Written as the requests an attacker (or a careless administrator)
sends; each refusal leaves nothing written but the record of the refusal. Who may grant the role
is in the grant matrix of tests/accounts/test_separation_of_duties.py, its writes in
tests/test_role_matrix.py."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client

from hukou_portal.accounts import services
from hukou_portal.accounts.models import User
from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent, Outcome
from hukou_portal.casework.models import Case
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people.models import Person
from hukou_portal.stats.kinds import export_kinds
from permits.models import ResidencePermit
from tests.audit.denials import denials_seen, events_but_denials
from tests.core import list_data
from tests.helpers import TEST_PASSWORD, make_user, sign_in, zh

ANALYST, OFFICER, SUPERVISOR = Role.STATISTICIAN, Role.COUNTER_OFFICER, Role.SUPERVISOR
AT_A_STATION = "A statistics analyst works at the city bureau or a county-level bureau, not at a police station."


@pytest.fixture
def admins(offices, security_admin):
    """Those who staff offices: the city's and 吴兴's system administrators, the security
    administrator."""
    return {
        "city_admin": make_user(offices.city, Role.ADMINISTRATOR, username="city_admin"),
        "wuxing_admin": make_user(offices.wuxing, Role.ADMINISTRATOR, username="wuxing_admin"),
        "security_admin": security_admin,
    }


def _business_events() -> list[tuple[str, str]]:
    return list(events_but_denials().values_list("action", "object_id"))


# --- where an analyst works ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["city_admin", "wuxing_admin", "security_admin", "system"])
def test_no_one_creates_an_analyst_at_a_police_station(offices, admins, who):
    actor = None if who == "system" else admins[who]
    before = _business_events()
    with pytest.raises(ApplicationError) as refused:
        services.user_create(
            actor=actor,
            username="station_analyst",
            full_name="派出所分析员",
            office=offices.yuehe,
            roles=[ANALYST],
            password=TEST_PASSWORD,
        )
    assert (refused.value.message, refused.value.field) == (zh(AT_A_STATION), "office")
    assert not User.objects.filter(username="station_analyst").exists()
    assert _business_events() == before


@pytest.mark.parametrize(
    ("who", "office"), [("city_admin", "city"), ("wuxing_admin", "wuxing"), ("security_admin", "nanxun")]
)
def test_the_administrators_create_analysts_at_the_city_and_county_bureaus(offices, admins, who, office):
    analyst = services.user_create(
        actor=admins[who],
        username="analyst",
        full_name="分析员",
        office=getattr(offices, office),
        roles=[ANALYST],
        password=TEST_PASSWORD,
    )
    assert analyst.roles == {ANALYST}
    event = AuditEvent.objects.get(action="user.created", object_id=str(analyst.pk))
    assert event.actor == admins[who] and event.new_values["roles"] == [ANALYST]


def test_the_account_form_shows_the_station_refusal_on_the_office_field(offices, admins):
    """A 吴兴 administrator picks 月河派出所 and ticks 统计分析员: the form comes back with the
    reason under the office, nothing is created, and the refusal is in the trail."""
    client = sign_in(Client(), admins["wuxing_admin"])
    assert f'value="{ANALYST}"' in client.get("/accounts/users/new/").content.decode()
    data = {
        "username": "station_analyst",
        "full_name": "派出所分析员",
        "email": "",
        "office": offices.yuehe.pk,
        "roles": [ANALYST],
        "password": TEST_PASSWORD,
    }
    before = _business_events()
    response = client.post("/accounts/users/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["office"] == [zh(AT_A_STATION)]
    assert zh(AT_A_STATION) in response.content.decode()
    assert not User.objects.filter(username="station_analyst").exists()
    assert _business_events() == before
    [refusal] = AuditEvent.objects.filter(action="action.refused")
    assert (refusal.actor, refusal.outcome) == (admins["wuxing_admin"], Outcome.DENIED)
    assert refusal.new_values["reason"] == zh(AT_A_STATION)
    assert refusal.new_values["field"] == str(form.fields["office"].label)
    assert TEST_PASSWORD not in str(refusal.new_values)


def test_a_station_administrator_is_not_offered_the_analyst_role(offices):
    """A station's administrator makes accounts at the station only, where no analyst works: the
    form does not offer the role, and ticking it anyway (a forged POST) creates nothing."""
    station_admin = make_user(offices.yuehe, Role.ADMINISTRATOR, username="yuehe_admin")
    client = sign_in(Client(), station_admin)
    page = client.get("/accounts/users/new/").content.decode()
    assert f'value="{OFFICER}"' in page
    assert f'value="{ANALYST}"' not in page
    data = {
        "username": "station_analyst",
        "full_name": "派出所分析员",
        "office": offices.yuehe.pk,
        "roles": [ANALYST],
        "password": TEST_PASSWORD,
    }
    response = client.post("/accounts/users/new/", data)
    assert response.status_code == 200
    assert "roles" in response.context["form"].errors
    assert not User.objects.filter(username="station_analyst").exists()


@pytest.fixture
def wuxing_analyst(offices):
    return make_user(offices.wuxing, ANALYST, username="wuxing_analyst")


@pytest.mark.parametrize("who", ["city_admin", "wuxing_admin", "security_admin"])
def test_no_one_moves_an_analyst_to_a_police_station(offices, admins, wuxing_analyst, who):
    before = _business_events()
    with pytest.raises(ApplicationError) as refused:
        services.user_update(
            actor=admins[who],
            user_id=wuxing_analyst.pk,
            full_name=wuxing_analyst.full_name,
            email="",
            office=offices.yuehe,
            roles={ANALYST},
            is_active=True,
        )
    assert (refused.value.message, refused.value.field) == (zh(AT_A_STATION), "office")
    analyst = User.objects.get(pk=wuxing_analyst.pk)
    assert (analyst.office, analyst.roles) == (offices.wuxing, {ANALYST})
    assert _business_events() == before


def test_moving_an_analyst_to_a_station_through_the_form_is_refused_on_the_office(offices, admins, wuxing_analyst):
    client = sign_in(Client(), admins["wuxing_admin"])
    page = client.get(f"/accounts/users/{wuxing_analyst.pk}/")
    assert page.status_code == 200 and page.context["form"] is not None  # the administrator manages it
    data = {"full_name": "改名", "email": "", "office": offices.zhili.pk, "roles": [ANALYST], "is_active": "on"}
    before = _business_events()
    response = client.post(f"/accounts/users/{wuxing_analyst.pk}/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["office"] == [zh(AT_A_STATION)]
    analyst = User.objects.get(pk=wuxing_analyst.pk)
    assert (analyst.full_name, analyst.office, analyst.roles) == ("测试wuxing_analyst", offices.wuxing, {ANALYST})
    assert _business_events() == before
    assert AuditEvent.objects.get(action="action.refused").new_values["reason"] == zh(AT_A_STATION)
    # Moved to another county-level bureau instead, by an administrator who sees both: saved.
    city = sign_in(Client(), admins["city_admin"])
    data["office"] = offices.nanxun.pk
    assert city.post(f"/accounts/users/{wuxing_analyst.pk}/", data).status_code == 302
    analyst = User.objects.get(pk=wuxing_analyst.pk)
    assert (analyst.office, analyst.roles) == (offices.nanxun, {ANALYST})


def test_a_station_account_is_not_given_the_analyst_role(offices, admins):
    """The role added to an officer of 月河: refused on the roles field, the officer unchanged."""
    officer = make_user(offices.yuehe, OFFICER, username="yuehe_officer")
    with pytest.raises(ApplicationError) as refused:
        services.user_update(
            actor=admins["security_admin"],
            user_id=officer.pk,
            full_name=officer.full_name,
            email="",
            office=offices.yuehe,
            roles={OFFICER, ANALYST},
            is_active=True,
        )
    assert (refused.value.message, refused.value.field) == (zh(AT_A_STATION), "roles")
    client = sign_in(Client(), admins["wuxing_admin"])
    data = {"full_name": officer.full_name, "email": "", "office": offices.yuehe.pk, "roles": [OFFICER, ANALYST]}
    response = client.post(f"/accounts/users/{officer.pk}/", {**data, "is_active": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["roles"] == [zh(AT_A_STATION)]
    assert User.objects.get(pk=officer.pk).roles == {OFFICER}
    assert not AuditEvent.objects.filter(action="user.updated").exists()


def test_an_analyst_made_at_a_station_before_the_rule_is_listed(offices):
    """As a direct write could leave one (the services refuse it): the check finds it."""
    make_user(offices.wuxing, ANALYST, username="fine_analyst")
    stray = make_user(offices.yuehe, OFFICER, username="stray")
    stray.groups.add(Group.objects.get(name=ANALYST))
    out = StringIO()
    with pytest.raises(CommandError, match="1 account"):
        call_command("check_separation_of_duties", stdout=out)
    assert out.getvalue().startswith("stray\t月河派出所\tcounter_officer,statistician\t")
    stray.groups.remove(Group.objects.get(name=ANALYST))
    call_command("check_separation_of_duties", stdout=StringIO())


# --- what an analyst reads -------------------------------------------------------------------


@pytest.fixture
def city_analyst(offices):
    return make_user(offices.city, ANALYST, username="city_analyst")


@pytest.fixture
def yuehe_data(staff, offices):
    """People and cases at 月河, inside the city analyst's subtree."""
    list_data.populate(offices.yuehe, staff.officer, 3)
    return offices.yuehe


def test_the_analyst_holds_the_statistics_permission_and_nothing_else(city_analyst):
    assert city_analyst.get_all_permissions() == {"stats.view_statistics"}
    assert not city_analyst.has_perm("people.view_full_id_number")


def test_the_analyst_is_refused_every_page_of_people_cases_and_the_audit_trail(city_analyst, yuehe_data, settings):
    settings.AUDIT_DENIALS_PER_MINUTE = 100  # count every denial one by one
    person = Person.objects.filter(office=yuehe_data).first()
    case = Case.objects.filter(office=yuehe_data).first()
    permit = ResidencePermit.objects.filter(office=yuehe_data).first()
    client = sign_in(Client(), city_analyst)
    pages = [
        "/people/",
        "/people/lookup/",
        f"/people/{person.pk}/",
        "/people/households/",
        "/registration/registrations/",
        "/registration/lease-filings/",
        "/permits/",
        f"/permits/{permit.pk}/",
        "/reminders/worklist/",
        "/cases/",
        "/cases/all/",
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/timeline/",
        "/audit/",
        "/audit/export.csv",
        "/accounts/users/",
        "/accounts/offices/",
    ]
    before = _business_events()
    for path in pages:
        assert client.get(path).status_code == 403, path
    # The city register's lookup, posted as an officer would: refused before anything is read.
    lookup = client.post("/people/lookup/", {"id_number": person.id_number, "reason": "verification"})
    assert lookup.status_code == 403
    assert person.id_number not in lookup.content.decode()
    assert _business_events() == before  # no person.lookup, no person viewed
    assert denials_seen(city_analyst) == len(pages) + 1


def test_the_analyst_exports_no_list(city_analyst, yuehe_data, settings):
    """Every list export — cases, people, registrations, lease filings, permits, households, the
    audit trail — in both formats: 403, no file, no export event. (The records behind the
    dashboard's numbers, ``figure-*``, are the analyst's, without names: test_dashboard.py.)"""
    settings.AUDIT_DENIALS_PER_MINUTE = 100
    kinds = sorted(kind for kind in export_kinds() if not kind.startswith("figure-"))
    assert {"cases", "people", "audit"} <= set(kinds)
    client = sign_in(Client(), city_analyst)
    before = _business_events()
    for kind in kinds:
        for file_format in ("csv", "xlsx"):
            response = client.get(f"/stats/export/{kind}.{file_format}", {"queue": "all"})
            assert response.status_code == 403, (kind, file_format)
            assert "attachment" not in response.get("Content-Disposition", "")
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()
    assert _business_events() == before
    assert denials_seen(city_analyst) == 2 * len(kinds)


def test_the_header_search_finds_nothing_for_the_analyst(city_analyst, yuehe_data):
    person = Person.objects.filter(office=yuehe_data).first()
    case = Case.objects.filter(office=yuehe_data).first()
    client = sign_in(Client(), city_analyst)
    before = _business_events()
    for query in (person.name, person.id_number, case.reference):
        response = client.post("/search/", {"q": query})
        assert response.status_code == 200  # the results page, with nothing found
        results = response.context["results"]
        assert (results.people, results.cases, results.permits, results.lease_filings) == ([], [], [], [])
        assert results.person_by_id_number is None
        body = response.content.decode()
        assert person.id_number not in body  # the name the analyst typed stays in the box
        assert f"/cases/{case.pk}/" not in body and f"/people/{person.pk}/" not in body
    assert _business_events() == before  # no person.found_by_id_number


def test_the_analyst_writes_no_account(offices, city_analyst):
    client = sign_in(Client(), city_analyst)
    before = _business_events()
    data = {
        "username": "minted",
        "full_name": "新人",
        "email": "",
        "office": offices.city.pk,
        "roles": [ANALYST],
        "password": TEST_PASSWORD,
    }
    assert client.post("/accounts/users/new/", data).status_code == 403
    assert not User.objects.filter(username="minted").exists()
    # Nor grants itself a supervisor's reading of people and cases.
    with pytest.raises((ApplicationError, PermissionDenied)):
        services.user_update(
            actor=city_analyst,
            user_id=city_analyst.pk,
            full_name="",
            email="",
            office=offices.city,
            roles={ANALYST, SUPERVISOR},
            is_active=True,
        )
    assert User.objects.get(pk=city_analyst.pk).roles == {ANALYST}
    assert _business_events() == before


def test_an_analyst_signs_in_to_a_home_page_that_works(city_analyst):
    """No landing page by role exists: the analyst lands on the home page, which names the role
    and offers no page of people, cases or the trail: only the statistics."""
    client = sign_in(Client(), city_analyst)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert zh("Statistics analyst") in body
    assert 'data-testid="today"' not in body  # no case tiles
    links = [entry["url"] for entry in response.context["navigation"]]
    assert links == ["/", "/stats/"]  # Home and the statistics, nothing else
    assert [link["url"] for page in response.context["pages"] for link in page["links"]] == ["/stats/"]
