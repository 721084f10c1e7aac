"""One city register (全域就近办, D1; every access accountable, D3): a person is one record for all
of Huzhou; any station finds them by exact full ID number with a reason, and serves them there.
Offices see a person in their list and file once they have served them (``PersonOffice``)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework import services as case_services
from hukou_portal.casework.kinds import register, unregister
from hukou_portal.casework.models import Case
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people.models import Person, PersonOffice
from hukou_portal.people.selectors import person_list_for_user
from hukou_portal.people.services import person_create, person_lookup, person_office_touch
from tests.casework.factories import TEST_KIND
from tests.helpers import get_with_id_number_refused, make_user, sign_in, valid_id_number, zh

NUMBER = valid_id_number(sequence=322, birth_date=dt.date(1992, 3, 14))  # 陈静 (female), recorded at 月河
LOOKUP = "/people/lookup/"


@pytest.fixture(autouse=True)
def test_kind():
    register(TEST_KIND)
    yield TEST_KIND
    unregister(TEST_KIND.code)


@pytest.fixture
def chen_jing(staff):
    return person_create(actor=staff.officer, id_number=NUMBER, name="陈静", mobile="13900000321")


@pytest.fixture
def zhili(offices):
    officer = make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer")
    supervisor = make_user(offices.zhili, Role.SUPERVISOR, username="zhili_supervisor")
    return officer, supervisor


def served(person: Person) -> dict[str, tuple[str, str]]:
    return {
        row.office.name: (row.first_via, row.last_via)
        for row in PersonOffice.objects.filter(person=person).select_related("office")
    }


# --- which offices served the person ----------------------------------------------------------


def test_recording_opening_and_transferring_note_the_offices_that_served_the_person(staff, chen_jing, zhili, offices):
    zhili_officer, _ = zhili
    assert served(chen_jing) == {"月河派出所": ("recorded", "recorded")}
    case = case_services.case_create(actor=zhili_officer, kind=TEST_KIND.code, category="basic", applicant=chen_jing)
    case_services.case_create(actor=staff.officer, kind=TEST_KIND.code, category="basic", applicant=chen_jing)
    assert served(chen_jing) == {"月河派出所": ("recorded", "case"), "织里派出所": ("case", "case")}
    case_services.case_transfer(
        case_id=case.pk, actor=zhili_officer, expected_version=None, office=offices.nanxun_station
    )
    assert served(chen_jing)["南浔派出所"] == ("transfer", "transfer")
    assert PersonOffice.objects.filter(person=chen_jing).count() == 3  # one row per office, never two


def test_a_later_touch_moves_the_last_time_and_an_earlier_one_the_first(chen_jing, offices):
    row = PersonOffice.objects.get(person=chen_jing)
    with time_machine.travel(row.first_at + dt.timedelta(days=3)):
        person_office_touch(person=chen_jing, office=offices.yuehe, via="case")
    with time_machine.travel(row.first_at - dt.timedelta(days=3)):
        person_office_touch(person=chen_jing, office=offices.yuehe, via="lease_filing")
    moved = PersonOffice.objects.get(person=chen_jing)
    assert moved.first_at == row.first_at - dt.timedelta(days=3) and moved.first_via == "lease_filing"
    assert moved.last_at == row.first_at + dt.timedelta(days=3) and moved.last_via == "case"
    with pytest.raises(ValueError, match="looked_at"):
        person_office_touch(person=chen_jing, office=offices.yuehe, via="looked_at")


def test_a_person_is_in_an_offices_list_once_it_has_served_them(staff, chen_jing, zhili, offices):
    zhili_officer, _ = zhili
    zhili_client = sign_in(Client(), zhili_officer)
    assert chen_jing.pk not in [p.pk for p in zhili_client.get("/people/").context["page"]]
    assert zhili_client.get(f"/people/{chen_jing.pk}/").status_code == 404
    case_services.case_create(actor=zhili_officer, kind=TEST_KIND.code, category="basic", applicant=chen_jing)
    assert chen_jing.pk in [p.pk for p in zhili_client.get("/people/").context["page"]]
    assert zhili_client.get(f"/people/{chen_jing.pk}/").status_code == 200
    # The county bureau above both sees the person; the other county's station never does.
    wuxing = make_user(offices.wuxing, Role.SUPERVISOR, username="wuxing_supervisor")
    nanxun = make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nanxun_officer")
    assert person_list_for_user(user=wuxing).filter(pk=chen_jing.pk).exists()
    assert not person_list_for_user(user=nanxun).filter(pk=chen_jing.pk).exists()
    assert sign_in(Client(), nanxun).get(f"/people/{chen_jing.pk}/").status_code == 404


def test_the_people_list_is_one_query_and_the_offices_are_read_once_per_page(staff, chen_jing, offices):
    """The list's own query: one statement with the served-by condition over the offices' ids
    written out (so PostgreSQL plans from how many people those offices served); the offices are
    read once per request, shared with the filter bar's office choices."""
    county = make_user(offices.wuxing, Role.COUNTER_OFFICER, username="county_officer")
    for user in (staff.officer, county):
        with CaptureQueriesContext(connection) as queries:
            rows = list(person_list_for_user(user=user)[:20])
        assert [p.pk for p in rows] == [chen_jing.pk]
        people = [q["sql"] for q in queries if 'FROM "people_person"' in q["sql"]]
        assert len(people) == 1 and len(queries) == 2  # the offices, then the people
        assert "people_personoffice" in people[0] and "EXISTS" in people[0].upper()
        assert "LIKE" not in people[0] and 'U0."office_id" IN (' in people[0]  # the ids, not a subquery
    client = sign_in(Client(), county)
    with CaptureQueriesContext(connection) as page:
        response = client.get("/people/")
    assert [p.pk for p in response.context["page"]] == [chen_jing.pk]
    office_reads = [q["sql"] for q in page if 'FROM "accounts_office"' in q["sql"] and "LIKE" in q["sql"]]
    assert len(office_reads) == 1
    assert "吴兴分局" in response.content.decode() and "月河派出所" in response.content.decode()  # the choices


# --- recording a number already in the register -------------------------------------------------


def test_recording_a_number_already_in_the_register_offers_the_lookup_with_the_number_in_the_body(chen_jing, zhili):
    zhili_officer, _ = zhili
    client = sign_in(Client(), zhili_officer)
    response = client.post("/people/new/", {"id_number": NUMBER, "name": "陈静"})
    assert response.status_code == 200
    body = response.content.decode()
    already = "This person is already in the city register (全市人员库). Look them up by their citizen ID number to serve them here."  # noqa: E501
    assert zh(already) in body
    assert 'data-testid="already-recorded-lookup"' in body
    assert f'name="id_number" value="{NUMBER}"' in body  # carried in the form's body, posted
    assert 'action="/people/lookup/"' in body
    assert Person.objects.count() == 1
    assert not AuditEvent.objects.filter(action="person.lookup").exists()  # nothing looked up yet
    # Following the offer: the lookup with a reason finds her.
    found = client.post(LOOKUP, {"id_number": NUMBER, "reason": "business"})
    assert found.context["person"] == chen_jing


# --- the lookup -----------------------------------------------------------------------------------


def test_a_lookup_with_a_reason_finds_the_person_and_is_audited_without_the_number(chen_jing, zhili):
    zhili_officer, _ = zhili
    client = sign_in(Client(), zhili_officer)
    spaced = f"{NUMBER[:6]} {NUMBER[6:14]} {NUMBER[14:]}"
    response = client.post(LOOKUP, {"id_number": spaced, "reason": "verification", "reason_text": "核对身份"})
    assert response.status_code == 200
    assert response.context["person"] == chen_jing
    event = AuditEvent.objects.get(action="person.lookup")
    assert (event.actor, event.object_id) == (zhili_officer, str(chen_jing.pk))
    assert event.new_values == {"reason": "verification", "found": True}
    assert event.note == "核对身份"
    assert NUMBER not in str(list(AuditEvent.objects.values()))
    # Looking someone up does not make them the office's.
    assert not person_list_for_user(user=zhili_officer).filter(pk=chen_jing.pk).exists()


def test_the_answer_shows_what_serving_needs_and_masks_the_number(staff, chen_jing, zhili, offices):
    zhili_officer, _ = zhili
    ours = case_services.case_create(actor=staff.officer, kind=TEST_KIND.code, category="basic", applicant=chen_jing)
    client = sign_in(Client(), zhili_officer)
    body = client.post(LOOKUP, {"id_number": NUMBER, "reason": "business"}).content.decode()
    assert "陈静" in body and chen_jing.masked_id_number in body
    assert NUMBER not in body  # neither in the answer nor left in the form
    assert zh("Female") in body and "1992-03-14" in body
    assert "13900000321" not in body  # the mobile number is not what serving here needs
    assert "月河派出所" in body  # the office that served her, and the office of her case
    assert ours.reference in body and f"/cases/{ours.pk}/" not in body  # listed, not openable
    assert zh("another office's case") in body
    # One link per case kind to take an application here, by a reference, never the number.
    assert 'data-testid="intake-test_kind"' in body
    assert "/cases/new/residence_declaration/?applicant=" in body
    assert (
        zh("Your offices have not served this person yet: their file opens here once you take an application for them.")
        in body
    )
    assert f'href="/people/{chen_jing.pk}/"' not in body


def test_the_intake_link_opens_the_intake_for_the_person_and_only_for_its_user(chen_jing, zhili, offices):
    zhili_officer, _ = zhili
    client = sign_in(Client(), zhili_officer)
    response = client.post(LOOKUP, {"id_number": NUMBER, "reason": "business"})
    link = next(link for link in _intake_links(response) if link.code == "residence_declaration")
    page = client.get(link.url)
    assert page.context["known"] == chen_jing
    assert page.context["form"]["applicant_id_number"].value() == NUMBER
    # The same address, opened by another officer of the same station: nobody.
    other = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_two"))
    assert other.get(link.url).context["known"] is None


def _intake_links(response):  # type: ignore[no-untyped-def]
    from django.template import Context, Template

    template = Template("{% load casework_intake %}{% case_intake_links person as links %}")
    context = Context({"request": response.wsgi_request, "person": response.context["person"]})
    template.render(context)
    return context["links"]


def test_a_supervisor_looks_up_but_is_offered_no_intake(chen_jing, zhili):
    _, zhili_supervisor = zhili
    body = sign_in(Client(), zhili_supervisor).post(LOOKUP, {"id_number": NUMBER, "reason": "verification"}).content
    assert "陈静" in body.decode() and 'data-testid="lookup-intake"' not in body.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": ""}, "reason", "Choose the reason for the lookup."),
        ({}, "reason", "Choose the reason for the lookup."),
        ({"reason": "curiosity"}, "reason", None),
        ({"reason": "other", "reason_text": "  "}, "reason_text", "Say why you look this person up."),
    ],
)
def test_a_lookup_without_a_reason_is_refused_and_reads_nothing(chen_jing, zhili, data, field, message):
    zhili_officer, _ = zhili
    response = sign_in(Client(), zhili_officer).post(LOOKUP, {"id_number": NUMBER, **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    if message:
        assert zh(message) in response.content.decode()
    assert "person" not in response.context and "陈静" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="person.lookup").exists()


def test_the_service_refuses_a_lookup_without_a_reason_too(chen_jing, zhili):
    zhili_officer, _ = zhili
    for reason, text in (("", ""), ("nosy", ""), ("other", "")):
        with pytest.raises(ApplicationError):
            person_lookup(actor=zhili_officer, id_number=NUMBER, reason=reason, reason_text=text)
    assert not AuditEvent.objects.filter(action="person.lookup").exists()


def test_other_with_words_is_accepted_and_the_words_are_kept(chen_jing, zhili):
    zhili_officer, _ = zhili
    response = sign_in(Client(), zhili_officer).post(
        LOOKUP, {"id_number": NUMBER, "reason": "other", "reason_text": f"协查函 {NUMBER}"}
    )
    assert response.context["person"] == chen_jing
    event = AuditEvent.objects.get(action="person.lookup")
    assert event.new_values["reason"] == "other"
    assert event.note.startswith("协查函 ") and NUMBER not in event.note  # a number typed is masked


def test_a_number_nobody_holds_is_said_so_and_the_lookup_is_audited(staff, zhili):
    zhili_officer, _ = zhili
    nobody = valid_id_number(sequence=999)
    response = sign_in(Client(), zhili_officer).post(LOOKUP, {"id_number": nobody, "reason": "business"})
    assert zh("Nobody with this citizen ID number is in the city register.") in response.content.decode()
    event = AuditEvent.objects.get(action="person.lookup")
    assert (event.object_id, event.new_values) == ("", {"reason": "business", "found": False})


def test_a_malformed_number_is_refused_in_chinese_and_not_looked_up(zhili):
    zhili_officer, _ = zhili
    bad = NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")
    response = sign_in(Client(), zhili_officer).post(LOOKUP, {"id_number": bad, "reason": "business"})
    assert zh("The check character (the last one) does not match: the number has a typing error.") in (
        response.content.decode()
    )
    assert not AuditEvent.objects.filter(action="person.lookup").exists()


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_administrators_and_auditors_may_not_look_anyone_up(staff, chen_jing, role):
    client = sign_in(Client(), getattr(staff, role))
    assert client.get(LOOKUP).status_code == 403
    assert client.post(LOOKUP, {"id_number": NUMBER, "reason": "business"}).status_code == 403
    assert not AuditEvent.objects.filter(action="person.lookup").exists()


def test_the_lookup_never_takes_a_number_from_the_address(officer_client, chen_jing):
    page = get_with_id_number_refused(officer_client, LOOKUP, {"id_number": NUMBER, "reason": "business"}, NUMBER)
    assert "person" not in page.context
    assert not AuditEvent.objects.filter(action="person.lookup").exists()


def test_the_lookup_is_rate_limited_per_user(settings, chen_jing, zhili):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/min"}
    zhili_officer, _ = zhili
    client = sign_in(Client(), zhili_officer)
    for _ in range(2):
        assert client.post(LOOKUP, {"id_number": NUMBER, "reason": "business"}).status_code == 200
    assert client.post(LOOKUP, {"id_number": NUMBER, "reason": "business"}).status_code == 429
    assert AuditEvent.objects.filter(action="person.lookup").count() == 2


def test_the_lookup_page_reads_as_chinese(officer_client):
    body = officer_client.get(LOOKUP).content.decode()
    for text in ("City register lookup", "Reason for the lookup", "Verification (核查)", "Other (其他)", "Look up"):
        assert zh(text) in body
    assert zh("Business for the person (办理业务)") in body


# --- intake by full number at another station -----------------------------------------------------


def test_an_intake_at_another_station_opens_the_case_there_and_ties_the_lookup_to_it(chen_jing, zhili, offices):
    zhili_officer, _ = zhili
    client = sign_in(Client(), zhili_officer)
    response = client.post(
        f"/cases/new/{TEST_KIND.code}/", {"category": "basic", "applicant_id_number": NUMBER.lower()}
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.office, case.applicant) == (offices.zhili, chen_jing)
    event = AuditEvent.objects.get(action="person.lookup")
    assert (event.case, event.new_values) == (case, {"reason": "business", "found": True})
    assert served(chen_jing)["织里派出所"] == ("case", "case")


def test_the_backfill_migration_names_the_recording_and_the_case_offices(transactional_db):
    """0010 fills PersonOffice from Person.office, Case.office and each case's opening office (a
    case transferred since counts for both), run on data with Django's MigrationExecutor."""
    from tests.helpers import make_office_tree
    from tests.people.test_id_number_migration import migrate

    tree = make_office_tree()
    officer = make_user(tree.yuehe, Role.COUNTER_OFFICER, username="officer")
    person = person_create(actor=officer, id_number=NUMBER, name="陈静")
    other = person_create(actor=officer, id_number=valid_id_number(sequence=323), name="无案")
    case = case_services.case_create(actor=officer, kind=TEST_KIND.code, category="basic", applicant=person)
    case_services.case_transfer(case_id=case.pk, actor=officer, expected_version=None, office=tree.zhili)
    try:
        migrate([("people", "0011_person_office")])  # backwards: the rows go
        assert not PersonOffice.objects.exists()
        migrate([("people", "0012_person_office_backfill")])
        rows = {(row.person_id, row.office_id, row.first_via, row.last_via) for row in PersonOffice.objects.all()}
        assert rows == {
            (person.pk, tree.yuehe.pk, "recorded", "case"),
            (person.pk, tree.zhili.pk, "case", "case"),
            (other.pk, tree.yuehe.pk, "recorded", "recorded"),
        }
    finally:
        migrate(None)


def test_the_header_search_finds_only_people_served_and_points_to_the_lookup(chen_jing, zhili):
    zhili_officer, _ = zhili
    response = sign_in(Client(), zhili_officer).post("/search/", {"q": NUMBER})
    body = response.content.decode()
    assert response.status_code == 200 and "陈静" not in body and NUMBER not in body
    assert 'data-testid="offer-lookup"' in body and 'href="/people/lookup/"' in body
    assert not AuditEvent.objects.filter(action__in=["person.found_by_id_number", "person.lookup"]).exists()


def test_the_audit_trail_reads_a_lookup_in_chinese(chen_jing, zhili, offices):
    zhili_officer, _ = zhili
    sign_in(Client(), zhili_officer).post(LOOKUP, {"id_number": NUMBER, "reason": "other", "reason_text": "协查"})
    auditor = make_user(offices.zhili, Role.AUDITOR, username="zhili_auditor")
    body = sign_in(Client(), auditor).get("/audit/").content.decode()
    assert zh("Person looked up in the city register by citizen ID number") in body
    assert zh("Reason for the lookup") in body and zh("Other (其他)") in body and "协查" in body
    assert zh("Person found") in body
    assert ">other<" not in body and ">True<" not in body and "reason_text" not in body and NUMBER not in body
