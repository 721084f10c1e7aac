"""Sign-in: lockout, one answer for unknown names, TOTP for every account (a code good for its
own 30-second step only), idle expiry, and every step in the audit trail."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.second_factor import current_code
from hukou_portal.audit.models import AuditEvent
from tests.helpers import TEST_PASSWORD, make_user, sign_in_through_the_pages, zh

SIGN_IN = "/accounts/sign-in/"
SECOND_FACTOR = "/accounts/second-factor/"
START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def post_sign_in(client: Client, username: str, password: str):
    return client.post(SIGN_IN, {"username": username, "password": password})


def actions() -> list[str]:
    """The sign-in events so far, oldest first (fixtures also write office and user events)."""
    events = AuditEvent.objects.filter(action__startswith="auth.").order_by("id")
    return list(events.values_list("action", flat=True))


@pytest.fixture
def officer(offices):
    return make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")


@pytest.fixture
def supervisor(offices):
    return make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor")


def test_sign_in_page_is_chinese(db):
    response = Client().get(SIGN_IN)
    assert response.status_code == 200
    assert zh("Sign in") in response.content.decode()
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_officer_signs_in_and_it_is_audited(officer):
    client = sign_in_through_the_pages(Client(), officer)
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(action="auth.signed_in")
    assert event.actor == officer
    assert event.actor_office == officer.office
    assert event.ip_address == "127.0.0.1"
    assert len(event.request_id) == 32


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(officer):
    wrong = post_sign_in(Client(), "officer", "not-the-password")
    unknown = post_sign_in(Client(), "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors
    assert (
        zh("The username or password is wrong. Note that both fields may be case-sensitive.") in wrong.content.decode()
    )
    assert actions() == ["auth.sign_in_failed", "auth.sign_in_failed"]
    # The password never reaches the audit trail.
    assert "not-the-password" not in str(list(AuditEvent.objects.values()))


def test_five_failures_lock_the_username_at_that_address_for_fifteen_minutes(officer):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(4):
            assert post_sign_in(Client(), "officer", "wrong-password").status_code == 200
        fifth = post_sign_in(Client(), "officer", "wrong-password")
        assert fifth.status_code == 429
        # Locked: even the right password is refused, from any client at this address (other
        # addresses: tests/accounts/test_lockout.py).
        locked = post_sign_in(Client(), "officer", TEST_PASSWORD)
        assert locked.status_code == 429
        assert zh("Sign-in locked") in locked.content.decode()
        assert "auth.locked_out" in actions()
        assert not AuditEvent.objects.filter(action="auth.signed_in").exists()

        traveller.shift(dt.timedelta(minutes=14))
        assert post_sign_in(Client(), "officer", TEST_PASSWORD).status_code == 429
        traveller.shift(dt.timedelta(minutes=16))
        assert post_sign_in(Client(), "officer", TEST_PASSWORD).status_code == 302


def test_unknown_username_locks_the_same_way(db):
    for _ in range(5):
        response = post_sign_in(Client(), "ghost", "wrong-password")
    assert response.status_code == 429


def test_failures_from_another_name_do_not_lock_this_one(officer):
    for _ in range(5):
        post_sign_in(Client(), "someone-else", "wrong-password")
    assert post_sign_in(Client(), "officer", TEST_PASSWORD).status_code == 302


def test_session_ends_after_fifteen_idle_minutes(officer):
    with time_machine.travel(START, tick=False) as traveller:
        client = sign_in_through_the_pages(Client(), officer)
        traveller.shift(dt.timedelta(minutes=14))
        assert client.get("/").status_code == 200  # activity renews the session
        traveller.shift(dt.timedelta(minutes=14))
        assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=15, seconds=1))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN)


@pytest.mark.parametrize("role", [Role.COUNTER_OFFICER, Role.AUDITOR, Role.SECURITY_ADMINISTRATOR])
def test_every_role_needs_the_second_factor(offices, role):
    """Finding 2 of issue 10: counter officers and auditors signed in with a password alone."""
    user = make_user(offices.yuehe, role, username="someone")
    client = Client()
    assert post_sign_in(client, "someone", TEST_PASSWORD).status_code == 302
    for path in ["/", "/people/", "/audit/", "/cases/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SECOND_FACTOR), path
    # Enrolment is forced: the page shows a QR code for a new device that allows no old codes.
    assert client.get(SECOND_FACTOR).context["enrolling"] is True
    assert TOTPDevice.objects.get(user=user, confirmed=False).tolerance == 0
    assert not AuditEvent.objects.filter(action="auth.second_factor_verified").exists()


def test_a_code_from_the_step_before_is_refused(officer):
    """A code 30-60 s old (read off a phone a minute ago, seen over a shoulder) is refused."""
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True, tolerance=0)
    with time_machine.travel(START + dt.timedelta(seconds=45), tick=False):
        client = Client()
        assert post_sign_in(client, "officer", TEST_PASSWORD).status_code == 302
        with time_machine.travel(START + dt.timedelta(seconds=15), tick=False):
            old_code = current_code(device)
        current = current_code(device)
        assert old_code != current
        refused = client.post(SECOND_FACTOR, {"token": old_code})
        assert refused.status_code == 200
        assert zh("The code is wrong or has expired. Enter the code your app shows now.") in refused.content.decode()
    with time_machine.travel(START + dt.timedelta(seconds=75), tick=False):
        # After the throttle's pause, the code of the step that is now is accepted.
        assert client.post(SECOND_FACTOR, {"token": current_code(device)}).status_code == 302
    assert actions()[-2:] == ["auth.second_factor_failed", "auth.second_factor_verified"]


def test_supervisor_enrols_with_a_qr_code_on_first_sign_in(supervisor):
    with time_machine.travel(START, tick=False) as traveller:
        client = Client()
        assert post_sign_in(client, "supervisor", TEST_PASSWORD).status_code == 302
        # Nothing but the second-factor page until the code is verified.
        for path in ["/", "/people/", "/accounts/users/"]:
            response = client.get(path)
            assert response.status_code == 302
            # The page asked for is where the code leads afterwards.
            expected = SECOND_FACTOR if path == "/" else f"{SECOND_FACTOR}?next={path.replace('/', '%2F')}"
            assert response["Location"] == expected

        page = client.get(SECOND_FACTOR)
        assert page.context["enrolling"] is True
        qr = client.get("/accounts/second-factor/qr.svg")
        assert qr["Content-Type"] == "image/svg+xml"
        assert "no-store" in qr["Cache-Control"]
        assert b"<svg" in qr.content

        device = TOTPDevice.objects.get(user=supervisor)
        assert device.confirmed is False
        code = current_code(device)
        wrong = "000000" if code != "000000" else "111111"
        refused = client.post(SECOND_FACTOR, {"token": wrong})
        assert refused.status_code == 200
        assert zh("The code is wrong or has expired. Enter the code your app shows now.") in refused.content.decode()
        assert client.get("/").status_code == 302

        traveller.shift(dt.timedelta(seconds=31))  # past django-otp's throttle and into a new step
        device.refresh_from_db()
        accepted = client.post(SECOND_FACTOR, {"token": current_code(device)})
        assert accepted.status_code == 302
        assert client.get("/").status_code == 200
        device.refresh_from_db()
        assert device.confirmed is True
        assert client.get("/accounts/second-factor/qr.svg").status_code == 404
    assert actions()[-3:] == ["auth.second_factor_failed", "auth.second_factor_enrolled", "auth.second_factor_verified"]


def test_enrolled_supervisor_must_give_a_code_at_every_sign_in(supervisor):
    device = TOTPDevice.objects.create(user=supervisor, name="app", confirmed=True)
    client = Client()
    post_sign_in(client, "supervisor", TEST_PASSWORD)
    page = client.get(SECOND_FACTOR)
    assert page.context["enrolling"] is False
    assert client.get("/").status_code == 302
    assert client.post(SECOND_FACTOR, {"token": current_code(device)}).status_code == 302
    assert client.get("/").status_code == 200


def test_administrator_also_needs_the_second_factor(offices):
    make_user(offices.city, Role.ADMINISTRATOR, username="admin")
    client = Client()
    post_sign_in(client, "admin", TEST_PASSWORD)
    assert client.get("/accounts/offices/").status_code == 302


def test_sign_out_needs_post_and_is_audited(officer):
    client = Client()
    post_sign_in(client, "officer", TEST_PASSWORD)
    assert client.get("/accounts/sign-out/").status_code == 405
    assert client.post("/accounts/sign-out/").status_code == 302
    assert client.get("/").status_code == 302
    assert actions()[-1] == "auth.signed_out"


def test_times_are_shown_in_shanghai_time(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"
