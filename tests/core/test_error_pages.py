"""Bad requests get a clean page in Chinese, never a traceback, and change nothing."""

from django.test import Client

from hukou_portal.people.models import Person
from tests.helpers import sign_in, valid_id_number, zh


def test_missing_csrf_token_gets_the_chinese_form_expired_page(staff):
    client = sign_in(Client(enforce_csrf_checks=True), staff.officer)
    response = client.post("/people/new/", {"id_number": valid_id_number(), "name": "王小明"})
    assert response.status_code == 403
    body = response.content.decode()
    assert zh("Form expired") in body
    assert "Traceback" not in body
    assert not Person.objects.exists()


def test_tampered_csrf_token_is_refused_the_same_way(staff):
    client = sign_in(Client(enforce_csrf_checks=True), staff.officer)
    client.get("/people/new/")
    data = {"id_number": valid_id_number(), "name": "王小明", "csrfmiddlewaretoken": "x" * 64}
    response = client.post("/people/new/", data)
    assert response.status_code == 403
    assert zh("Form expired") in response.content.decode()
    assert not Person.objects.exists()


def test_unknown_page_is_a_chinese_404(officer_client):
    response = officer_client.get("/no-such-page/")
    assert response.status_code == 404
    assert zh("There is no such page, or it belongs to an office you may not see.") in response.content.decode()


def test_forbidden_page_is_a_chinese_403(officer_client):
    response = officer_client.get("/audit/")
    assert response.status_code == 403
    assert zh("Your role does not allow this. If you think it should, ask your office's administrator.") in (
        response.content.decode()
    )


def test_anonymous_visitor_is_sent_to_sign_in(db):
    response = Client().get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_every_response_carries_a_request_id_and_security_headers(officer_client):
    response = officer_client.get("/")
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_english_is_available(officer_client):
    officer_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Welcome" in officer_client.get("/").content.decode()
