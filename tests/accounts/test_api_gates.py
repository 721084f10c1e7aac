"""An API client that must first verify its second factor or change its password is told so in
JSON (403, a machine code, a Chinese message) — not redirected to an HTML form it cannot fill."""

import pytest
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.services import user_create
from tests.helpers import TEST_PASSWORD, make_user, sign_in, zh

ELIGIBILITY = "/api/v1/settlement/eligibility"
SCHEMA = "/api/v1/schema/"


@pytest.fixture
def unverified_supervisor_client(offices) -> Client:
    """A supervisor signed in with the password only: the TOTP step is still to come."""
    supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor")
    client = Client()
    client.force_login(supervisor)
    return client


@pytest.fixture
def must_change_client(offices, staff) -> Client:
    newbie = user_create(
        actor=staff.admin,
        username="newbie",
        full_name="新同事",
        office=offices.yuehe,
        roles=[Role.COUNTER_OFFICER],
        password=TEST_PASSWORD,
    )
    assert newbie.must_change_password
    return sign_in(Client(), newbie)


@pytest.mark.parametrize(("method", "path"), [("post", ELIGIBILITY), ("get", SCHEMA)])
def test_api_without_the_second_factor_is_a_json_403(unverified_supervisor_client, method, path):
    response = getattr(unverified_supervisor_client, method)(path, {}, content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "second_factor_required"
    assert body["detail"] == zh("Verify your second factor on the portal's sign-in page before using the API.")
    # The HTML pages still lead to the second-factor page.
    page = unverified_supervisor_client.get("/")
    assert (page.status_code, page["Location"]) == (302, "/accounts/second-factor/")


@pytest.mark.parametrize(("method", "path"), [("post", ELIGIBILITY), ("get", SCHEMA)])
def test_api_before_the_forced_password_change_is_a_json_403(must_change_client, method, path):
    response = getattr(must_change_client, method)(path, {}, content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "password_change_required"
    assert body["detail"] == zh("Change your password on the portal before using the API.")
    page = must_change_client.get("/")
    assert (page.status_code, page["Location"]) == (302, "/accounts/password/")


def test_a_verified_user_reaches_the_api(staff):
    supervisor = make_user(staff.officer.office, Role.SUPERVISOR, username="verified")
    response = sign_in(Client(), supervisor).get(SCHEMA, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
