"""``next`` after sign-in and after the second factor never leaves the portal, tested with the
URLs an attacker would put in a phishing link."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.second_factor import current_code
from tests.helpers import TEST_PASSWORD, make_user

SIGN_IN = "/accounts/sign-in/"
SECOND_FACTOR = "/accounts/second-factor/"
ELSEWHERE = [
    "https://evil.example/",
    "http://evil.example/login",
    "//evil.example",
    "/\\evil.example",
    "/\\\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "https://testserver@evil.example/",
]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_sign_in_never_sends_anyone_elsewhere(offices, target):
    make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    for data, query in [({"next": target}, ""), ({}, {"next": target})]:
        client = Client()
        url = SIGN_IN if not query else f"{SIGN_IN}?{urlencode(query)}"
        response = client.post(url, {"username": "officer", "password": TEST_PASSWORD, **data})
        assert response.status_code == 302
        assert response["Location"] == "/"
        # Nor does the page carry it in its hidden field to the next post.
        assert '<input type="hidden" name="next" value="">' in Client().get(url).content.decode()


def test_sign_in_follows_a_local_next(offices):
    make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    response = Client().post(f"{SIGN_IN}?next=/people/%3Fpage%3D2", {"username": "officer", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/people/?page=2"


def _at_second_factor(offices, *, secure: bool = False) -> tuple[Client, TOTPDevice]:
    supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor")
    device = TOTPDevice.objects.create(user=supervisor, name="app", confirmed=True)
    client = Client()
    signed_in = client.post(SIGN_IN, {"username": "supervisor", "password": TEST_PASSWORD}, secure=secure)
    assert signed_in.status_code == 302
    return client, device


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_second_factor_never_sends_anyone_elsewhere(offices, target):
    client, device = _at_second_factor(offices)
    response = client.post(f"{SECOND_FACTOR}?{urlencode({'next': target})}", {"token": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200  # the code was accepted: only the target was refused


def test_the_second_factor_follows_a_local_next(offices):
    client, device = _at_second_factor(offices)
    response = client.post(f"{SECOND_FACTOR}?next=/people/", {"token": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/people/"


def test_production_refuses_a_plain_http_next_to_its_own_host(offices, settings):
    settings.SECURE_SSL_REDIRECT = True
    client, device = _at_second_factor(offices, secure=True)
    code = current_code(device)
    response = client.post(f"{SECOND_FACTOR}?next=http://testserver/people/", {"token": code}, secure=True)
    assert response.status_code == 302
    assert response["Location"] == "/"
