"""A citizen ID number in a web address is never used (core.middleware), and the lines the
server logs for such a request never hold it (core.redaction.RedactIdNumbersLogFilter). Written
as the requests a user, an old bookmark or an attacker sends."""

import io
import logging
import threading
import urllib.error
import urllib.request
from urllib.parse import quote, urlencode

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework.views import APPLICANT_REFERENCE, applicant_reference
from hukou_portal.people.models import Person
from hukou_portal.people.references import person_reference
from hukou_portal.people.services import person_create
from tests.helpers import ID_NUMBER_IN_ADDRESS, get_with_id_number_refused, make_user, sign_in, valid_id_number, zh

NUMBER = valid_id_number(sequence=246)


def spellings(number: str) -> list[str]:
    return [
        number,
        number.lower(),
        f"{number[:6]} {number[6:14]} {number[14:]}",
        f"{number[:6]}-{number[6:10]}-{number[10:14]}-{number[14:]}",
        number.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    ]


@pytest.fixture
def person(staff):
    return person_create(actor=staff.officer, id_number=NUMBER, name="李华")


@pytest.mark.parametrize("spelled", spellings(NUMBER))
@pytest.mark.parametrize(
    ("role", "url", "param"),
    [
        ("officer", "/people/", "q"),
        ("officer", "/cases/", "q"),
        ("officer", "/cases/all/", "q"),
        ("officer", "/permits/", "q"),
        ("officer", "/registration/lease-filings/", "q"),
        ("officer", "/registration/registrations/", "q"),
        ("officer", "/cases/new/settlement/", "applicant"),
        ("officer", "/search/", "q"),
        ("auditor", "/audit/", "case"),
        ("auditor", "/audit/", "actor"),
        ("admin", "/accounts/users/", "q"),
    ],
)
def test_a_get_carrying_an_id_number_is_never_served(staff, person, role, url, param, spelled):
    client = sign_in(Client(), getattr(staff, role))
    get_with_id_number_refused(client, url, {param: spelled, "sort": "-x"}, NUMBER)
    assert not AuditEvent.objects.filter(action="person.found_by_id_number").exists()


def test_the_other_parameters_are_kept(officer_client, person):
    response = officer_client.get("/cases/", {"q": NUMBER, "status": "draft"})
    assert response.status_code == 302 and response["Location"] == "/cases/?status=draft"


def test_an_export_with_an_id_number_in_its_filters_does_not_run(staff, person):
    auditor = sign_in(Client(), staff.auditor)
    response = auditor.get("/audit/export.csv", {"case": NUMBER})
    assert response.status_code == 302 and NUMBER not in response["Location"]
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


def test_a_post_carrying_one_in_its_address_changes_nothing(officer_client):
    other = valid_id_number(sequence=888)
    response = officer_client.post(f"/people/new/?q={NUMBER}", {"id_number": other, "name": "王五"})
    assert response.status_code == 303 and NUMBER not in response["Location"]
    assert not Person.objects.exists()


def test_the_api_answers_400(officer_client):
    response = officer_client.post(f"/api/v1/settlement/eligibility?id={NUMBER}", {}, content_type="application/json")
    assert response.status_code == 400
    assert NUMBER not in response.content.decode()


def test_an_anonymous_visitor_is_not_sent_to_sign_in_with_the_number_in_next(client):
    response = client.get("/people/", {"q": NUMBER})
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert NUMBER not in client.get("/people/")["Location"]


def test_ordinary_addresses_pass(officer_client, person):
    for params in ({"q": "HZ-330502-2026-000012"}, {"created_from": "2026-12-01"}, {"q": "000012"}):
        assert officer_client.get("/cases/", params).status_code == 200
    assert officer_client.get("/permits/", {"q": "ZJ3305022026000012"}).status_code == 200


# --- opening an intake page for a known applicant: the number is posted -------------------------


def test_loading_an_applicants_records_posts_the_number_and_redirects_to_a_reference(officer_client, person):
    response = officer_client.post("/cases/new/settlement/applicant/", {"applicant": NUMBER, "category": "permit"})
    assert response.status_code == 302
    location = response["Location"]
    assert NUMBER not in location and NUMBER[6:14] not in location
    page = officer_client.get(location)
    assert page.context["known"] == person
    assert page.context["form"]["applicant_id_number"].value() == NUMBER


def test_another_station_loads_the_applicant_from_the_city_register_and_the_lookup_is_accounted(staff, offices, person):
    """全域就近办: 织里 finds 李华, recorded at 月河, by the number posted; the lookup is for business
    and in the trail. The reference it is given opens 李华 for 织里's officer only."""
    zhili_officer = make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer")
    outsider = sign_in(Client(), zhili_officer)
    response = outsider.post("/cases/new/settlement/applicant/", {"applicant": NUMBER}, follow=True)
    assert response.context["known"] == person
    event = AuditEvent.objects.get(action="person.lookup")
    assert (event.actor, event.object_id, event.new_values) == (
        zhili_officer,
        str(person.pk),
        {"reason": "business", "found": True},
    )
    # A reference made for the 月河 officer does not open the person for 织里: it is bound to its user.
    reference = applicant_reference(user=staff.officer, person_id=person.pk)
    page = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_two")).get(
        "/cases/new/settlement/", {"applicant": reference}
    )
    assert page.context["known"] is None and "李华" not in page.content.decode()


def test_a_number_nobody_holds_is_said_so(officer_client, person):
    nobody = valid_id_number(sequence=992)
    response = officer_client.post("/cases/new/settlement/applicant/", {"applicant": nobody}, follow=True)
    assert response.context["known"] is None
    assert zh("Nobody with this citizen ID number is in the city register: record the person first.") in (
        response.content.decode()
    )
    assert AuditEvent.objects.get(action="person.lookup").new_values == {"reason": "business", "found": False}


def test_a_forged_or_foreign_reference_opens_nobody(officer_client, staff, person):
    from hukou_portal.audit.filters import person_token

    unbound = person_reference(person.pk, purpose=APPLICANT_REFERENCE)  # bound to no user: refused
    forged = applicant_reference(user=staff.officer, person_id=person.pk)[:-2] + "xx"
    for token in (forged, person_token(person.pk), unbound):
        page = officer_client.get("/cases/new/settlement/", {"applicant": token})
        assert page.status_code == 200 and page.context["known"] is None
        assert zh("This link to an applicant is not valid any more: type the number again.") in (page.content.decode())


# --- what the server logs -----------------------------------------------------------------------


@pytest.fixture
def server_log():
    """What the handlers of the runserver access logger (``django.server``, as LOGGING
    configures it) write, captured."""
    from hukou_portal.core.redaction import RedactIdNumbersLogFilter

    stream = io.StringIO()
    configured = [h for h in logging.getLogger("django.server").handlers if type(h) is logging.StreamHandler]
    assert configured, "django.server logs through no handler of LOGGING"
    # Each handler the access lines go through masks ID numbers (pytest's own capture aside).
    assert all(any(isinstance(f, RedactIdNumbersLogFilter) for f in h.filters) for h in configured)
    handlers = configured
    previous = [handler.setStream(stream) for handler in handlers]
    yield stream
    for handler, old in zip(handlers, previous, strict=True):
        handler.setStream(old)


@pytest.mark.parametrize("spelled", spellings(NUMBER))
def test_the_access_log_line_of_such_a_request_is_masked(db, server_log, spelled):
    """A real development server (runserver's request handler and logging) serving
    ``GET /people/?q=<number>``: the page is a redirect without the number, and the access line
    the server logs holds the number masked only."""
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(WSGIHandler())  # not get_wsgi_application(): its django.setup() would reconfigure logging
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/people/?{urlencode({'q': spelled})}"
    try:
        urllib.request.build_opener(_NoRedirect).open(url, timeout=10)
    except urllib.error.HTTPError as redirected:
        status, location = redirected.code, redirected.headers["Location"]
        redirected.close()
    else:
        pytest.fail("the server served the page")
    finally:
        thread.join(timeout=10)
        server.server_close()
    assert status == 302 and location == "/people/"
    line = server_log.getvalue()
    assert "GET /people/?q=" in line and '" 302 ' in line
    assert NUMBER not in line and quote(spelled) not in line and spelled not in line
    assert NUMBER[6:14] not in line
    assert "330502********" in line


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def test_the_message_is_the_one_the_lists_show():
    from django.utils import translation

    from hukou_portal.core.middleware import ID_NUMBER_IN_ADDRESS as message
    from hukou_portal.people.filters import ID_NUMBER_IN_SEARCH

    with translation.override(None):
        assert str(message) == str(ID_NUMBER_IN_SEARCH) == ID_NUMBER_IN_ADDRESS
