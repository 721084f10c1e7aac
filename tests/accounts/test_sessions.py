"""Sessions end when they must: deactivation signs a user out everywhere for good, an
administrator of the user's office can end their sessions, and no session outlives
SESSION_ABSOLUTE_SECONDS (10 h) after sign-in however active it is."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.test import Client

from hukou_portal.accounts import services
from hukou_portal.accounts.models import UserSession
from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from tests.helpers import make_user, sign_in, sign_in_through_the_pages, zh

SIGN_IN = "/accounts/sign-in/"
START = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


def is_signed_in(client: Client) -> bool:
    """A page needing sign-in answers 200, or a redirect to the sign-in page."""
    response = client.get("/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
    return False


@pytest.fixture
def two_browsers(staff):
    """The officer signed in twice: through the sign-in form and in a second browser."""
    first = sign_in_through_the_pages(Client(), staff.officer)
    second = sign_in(Client(), staff.officer)
    assert is_signed_in(first) and is_signed_in(second)
    assert UserSession.objects.filter(user=staff.officer).count() == 2
    return first, second


def user_form(user, **overrides):
    data = {"full_name": user.full_name, "email": "", "office": user.office.pk, "roles": sorted(user.roles)}
    data.update(overrides)
    return data


def test_deactivation_ends_every_session_and_reactivation_revives_none(staff, admin_client, two_browsers):
    officer = staff.officer
    response = admin_client.post(f"/accounts/users/{officer.pk}/", user_form(officer))  # is_active unticked
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert not UserSession.objects.filter(user=officer).exists()
    assert not any(is_signed_in(browser) for browser in two_browsers)

    response = admin_client.post(f"/accounts/users/{officer.pk}/", user_form(officer, is_active="on"))
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.is_active
    assert not any(is_signed_in(browser) for browser in two_browsers)


def test_saving_an_active_user_ends_no_session(staff, admin_client, two_browsers):
    officer = staff.officer
    response = admin_client.post(f"/accounts/users/{officer.pk}/", user_form(officer, is_active="on"))
    assert response.status_code == 302
    assert all(is_signed_in(browser) for browser in two_browsers)


def test_administrator_of_the_office_ends_a_users_sessions(staff, admin_client, two_browsers):
    officer = staff.officer
    other = sign_in(Client(), staff.supervisor)
    response = admin_client.post(f"/accounts/users/{officer.pk}/end-sessions/", follow=True)
    assert response.status_code == 200
    assert zh("End all sessions") in response.content.decode()  # back on the user's page
    assert not any(is_signed_in(browser) for browser in two_browsers)
    assert not UserSession.objects.filter(user=officer).exists()
    assert is_signed_in(other)  # only that user's sessions
    assert is_signed_in(admin_client)
    event = AuditEvent.objects.get(action="user.sessions_ended", object_id=str(officer.pk))
    assert event.actor == staff.admin
    assert event.new_values == {"sessions": 2}


def test_administrator_ends_their_own_sessions_and_is_signed_out(staff, admin_client):
    other_browser = sign_in(Client(), staff.admin)
    response = admin_client.post(f"/accounts/users/{staff.admin.pk}/end-sessions/")
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert not is_signed_in(admin_client)
    assert not is_signed_in(other_browser)


def test_confirmed_end_sessions_through_htmx_loads_the_user_page(staff, admin_client, two_browsers):
    response = admin_client.post(f"/accounts/users/{staff.officer.pk}/end-sessions/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == f"/accounts/users/{staff.officer.pk}/"
    assert not any(is_signed_in(browser) for browser in two_browsers)


def test_administrator_of_another_office_cannot_end_sessions(offices, staff, two_browsers):
    outsider = make_user(offices.nanxun_station, Role.ADMINISTRATOR, username="nx_admin")
    response = sign_in(Client(), outsider).post(f"/accounts/users/{staff.officer.pk}/end-sessions/")
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.user_end_sessions(actor=outsider, user_id=staff.officer.pk)
    assert all(is_signed_in(browser) for browser in two_browsers)
    assert UserSession.objects.filter(user=staff.officer).count() == 2
    assert not AuditEvent.objects.filter(action="user.sessions_ended").exists()


def test_officer_cannot_end_sessions(staff, officer_client):
    victim = sign_in(Client(), staff.supervisor)
    response = officer_client.post(f"/accounts/users/{staff.supervisor.pk}/end-sessions/")
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.user_end_sessions(actor=staff.officer, user_id=staff.supervisor.pk)
    assert is_signed_in(victim)
    assert not AuditEvent.objects.filter(action="user.sessions_ended").exists()


def test_end_sessions_is_post_only(staff, admin_client, two_browsers):
    assert admin_client.get(f"/accounts/users/{staff.officer.pk}/end-sessions/").status_code == 405
    assert all(is_signed_in(browser) for browser in two_browsers)


def test_user_page_offers_end_sessions_with_a_confirm(staff, admin_client):
    page = admin_client.get(f"/accounts/users/{staff.officer.pk}/").content.decode()
    assert f'action="/accounts/users/{staff.officer.pk}/end-sessions/"' in page
    assert zh("End all sessions") in page
    assert "hx-confirm=" in page


def keep_active(client: Client, traveller, until: dt.timedelta) -> None:
    """A request every 10 minutes (inside the 15-minute idle limit) from sign-in until ``until``."""
    step = dt.timedelta(minutes=10)
    elapsed = step
    while elapsed < until:
        traveller.move_to(START + elapsed)
        assert is_signed_in(client), f"signed out after {elapsed}"
        elapsed += step


def test_active_session_is_refused_ten_hours_and_a_second_after_sign_in(staff):
    with time_machine.travel(START, tick=False) as traveller:
        client = sign_in_through_the_pages(Client(), staff.officer)
        keep_active(client, traveller, dt.timedelta(hours=10))
        old_key = client.session.session_key
        traveller.move_to(START + dt.timedelta(hours=9, minutes=59))
        assert is_signed_in(client)  # active a minute ago, and still within the limit
        traveller.move_to(START + dt.timedelta(hours=10, seconds=1))
        response = client.get("/", follow=True)
        assert response.redirect_chain[0][0].startswith(SIGN_IN)
        assert zh("Your session has reached its time limit. Please sign in again.") in response.content.decode()
        assert not is_signed_in(client)
        assert not Session.objects.filter(session_key=old_key).exists()


def test_session_nine_hours_fifty_nine_minutes_old_is_fine(staff):
    with time_machine.travel(START, tick=False) as traveller:
        client = sign_in(Client(), staff.officer)
        keep_active(client, traveller, dt.timedelta(hours=9, minutes=59))
        traveller.move_to(START + dt.timedelta(hours=9, minutes=59))
        assert is_signed_in(client)


def test_limit_is_a_setting(staff, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 60 * 60
    with time_machine.travel(START, tick=False) as traveller:
        client = sign_in(Client(), staff.officer)
        keep_active(client, traveller, dt.timedelta(minutes=59))
        traveller.move_to(START + dt.timedelta(minutes=59))
        assert is_signed_in(client)
        traveller.move_to(START + dt.timedelta(minutes=60, seconds=1))
        assert not is_signed_in(client)


def test_htmx_request_past_the_limit_is_sent_to_sign_in(staff, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 60
    with time_machine.travel(START, tick=False) as traveller:
        client = sign_in(Client(), staff.officer)
        traveller.move_to(START + dt.timedelta(seconds=61))
        response = client.get("/", headers={"HX-Request": "true"})
        assert response["HX-Redirect"] == SIGN_IN


def session_writes(client: Client, path: str = "/") -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(1 for query in queries.captured_queries if query["sql"].startswith('UPDATE "django_session"'))


def test_reading_pages_renews_the_idle_limit_once_a_minute_not_on_every_request(staff):
    """A page that changes nothing writes no session row, yet an officer reading pages (one a
    minute, for longer than the idle limit) is never signed out."""
    with time_machine.travel(START, tick=False) as traveller:
        client = sign_in(Client(), staff.officer)
        session_writes(client)
        key = client.session.session_key
        expiry = Session.objects.get(session_key=key).expire_date
        traveller.shift(dt.timedelta(seconds=30))
        assert session_writes(client) == 0
        assert Session.objects.get(session_key=key).expire_date == expiry
        traveller.shift(dt.timedelta(seconds=31))
        assert session_writes(client) == 1
        assert Session.objects.get(session_key=key).expire_date == expiry + dt.timedelta(seconds=61)
        for _minute in range(20):
            traveller.shift(dt.timedelta(minutes=1))
            assert is_signed_in(client)
        traveller.shift(dt.timedelta(minutes=15, seconds=1))
        assert not is_signed_in(client)
