"""Administrators manage offices and users of their own subtree; separation of duties holds."""

import pytest
from django.test import Client

from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from tests.helpers import TEST_PASSWORD, make_user, sign_in, zh


@pytest.fixture
def county_admin(offices):
    return make_user(offices.wuxing, Role.ADMINISTRATOR, username="wx_admin")


@pytest.fixture
def client(county_admin):
    return sign_in(Client(), county_admin)


def user_form(office, roles, **overrides):
    data = {"full_name": "新同事", "email": "", "office": office.pk, "roles": roles, "is_active": "on"}
    data.update(overrides)
    return data


def test_administrator_creates_a_user_in_their_subtree(client, offices, county_admin):
    data = user_form(offices.yuehe, [Role.COUNTER_OFFICER], username="newbie", password=TEST_PASSWORD)
    response = client.post("/accounts/users/new/", data)
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.office == offices.yuehe
    assert user.roles == {Role.COUNTER_OFFICER}
    assert user.check_password(TEST_PASSWORD)
    event = AuditEvent.objects.get(action="user.created", object_id=str(user.pk))
    assert event.actor == county_admin
    assert TEST_PASSWORD not in str(event.new_values)


def test_weak_password_is_refused_and_nothing_is_written(client, offices):
    data = user_form(offices.yuehe, [Role.COUNTER_OFFICER], username="weak", password="12345678")
    response = client.post("/accounts/users/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(username="weak").exists()
    assert not AuditEvent.objects.filter(action="user.created", new_values__username="weak").exists()


def test_office_outside_the_subtree_is_not_offered(client, offices):
    data = user_form(offices.nanxun_station, [Role.COUNTER_OFFICER], username="far", password=TEST_PASSWORD)
    response = client.post("/accounts/users/new/", data)
    assert response.status_code == 200
    assert "office" in response.context["form"].errors
    assert not User.objects.filter(username="far").exists()


@pytest.mark.parametrize("roles", [[Role.ADMINISTRATOR, Role.AUDITOR], [Role.AUDITOR], [Role.SECURITY_ADMINISTRATOR]])
def test_administrator_cannot_change_their_own_account(client, county_admin, offices, roles):
    """Their own account holds a role they may not grant: the page is read-only, a post is 403."""
    page = client.get(f"/accounts/users/{county_admin.pk}/").content.decode()
    assert 'data-testid="account-read-only"' in page
    assert 'data-testid="account-form"' not in page
    data = user_form(offices.wuxing, roles, full_name=county_admin.full_name)
    response = client.post(f"/accounts/users/{county_admin.pk}/", data)
    assert response.status_code == 403
    assert User.objects.get(pk=county_admin.pk).roles == {Role.ADMINISTRATOR}
    assert not AuditEvent.objects.filter(action="user.updated").exists()


def test_no_account_is_both_administrator_and_auditor(client, offices):
    data = user_form(offices.yuehe, [Role.ADMINISTRATOR, Role.AUDITOR], username="both", password=TEST_PASSWORD)
    response = client.post("/accounts/users/new/", data)
    assert response.status_code == 200
    assert not User.objects.filter(username="both").exists()


def test_administrator_changes_another_users_roles_with_an_audit_event(client, offices, county_admin):
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    data = user_form(offices.zhili, [Role.COUNTER_OFFICER, Role.SUPERVISOR], full_name=officer.full_name)
    assert client.post(f"/accounts/users/{officer.pk}/", data).status_code == 302
    officer = User.objects.get(pk=officer.pk)
    assert officer.roles == {Role.COUNTER_OFFICER, Role.SUPERVISOR}
    assert officer.office == offices.zhili
    event = AuditEvent.objects.get(action="user.updated")
    assert event.old_values == {"office": "33050201", "roles": ["counter_officer"]}
    assert event.new_values == {"office": "33050202", "roles": ["counter_officer", "supervisor"]}


def test_users_of_another_county_are_not_found(client, offices):
    other = make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="other")
    assert client.get(f"/accounts/users/{other.pk}/").status_code == 404
    assert "other" not in client.get("/accounts/users/").content.decode()


@pytest.mark.parametrize("role", [Role.COUNTER_OFFICER, Role.SUPERVISOR, Role.AUDITOR])
def test_other_roles_may_not_manage_users_or_offices(offices, role):
    client = sign_in(Client(), make_user(offices.wuxing, role, username="someone"))
    for path in ["/accounts/users/", "/accounts/users/new/", "/accounts/offices/", "/people/towns/"]:
        response = client.get(path)
        assert response.status_code == 403
        assert zh("Not allowed") in response.content.decode()


def test_administrator_creates_a_station_under_their_county(client, offices):
    data = {
        "code": "33050209",
        "name": "新派出所",
        "level": "station",
        "parent": offices.wuxing.pk,
        "area_code": "330502",
    }
    assert client.post("/accounts/offices/new/", data).status_code == 302
    station = Office.objects.get(code="33050209")
    assert station.path == "330500/330502/33050209/"
    assert AuditEvent.objects.filter(action="office.created", object_id=str(station.pk)).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"level": "station", "parent": "wuxing", "area_code": "330503"}, "area_code"),  # wrong area
        ({"level": "county", "parent": "wuxing", "area_code": "330502"}, "parent"),  # county under county
        ({"level": "station", "parent": "nanxun", "area_code": "330503"}, "parent"),  # outside subtree
        ({"level": "station", "parent": "wuxing", "area_code": "3305"}, "area_code"),  # malformed
    ],
)
def test_malformed_offices_are_refused(client, offices, data, field):
    post = {"code": "33050299", "name": "错", **data, "parent": getattr(offices, data["parent"]).pk}
    response = client.post("/accounts/offices/new/", post)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Office.objects.filter(code="33050299").exists()


def test_reset_second_factor_of_a_supervisor(client, offices, security_admin):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="sup")
    TOTPDevice.objects.create(user=supervisor, name="phone", confirmed=True)
    # The system administrator may not: the second factor is the security administrator's.
    assert client.post(f"/accounts/users/{supervisor.pk}/reset-second-factor/").status_code == 403
    assert TOTPDevice.objects.filter(user=supervisor).exists()
    response = sign_in(Client(), security_admin).post(f"/accounts/users/{supervisor.pk}/reset-second-factor/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=supervisor).exists()
    assert AuditEvent.objects.filter(action="user.second_factor_reset", object_id=str(supervisor.pk)).exists()
