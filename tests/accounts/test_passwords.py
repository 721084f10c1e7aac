"""Passwords: the change page, the forced change of a password an administrator chose, and no
reuse of the last five passwords. Written as the attack."""

import itertools

import pytest
from django.test import Client

from hukou_portal.accounts.models import PasswordHistory, User
from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.services import user_create
from hukou_portal.audit.models import AuditEvent
from tests.helpers import TEST_PASSWORD, sign_in, zh

CHANGE_URL = "/accounts/password/"
REUSED = "This password is one of your last %(count)d passwords. Choose a new one."


def change(client: Client, old: str, new: str):
    return client.post(CHANGE_URL, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.fixture
def created_by_admin(offices, staff) -> User:
    """A counter officer whose initial password an administrator chose."""
    return user_create(
        actor=staff.admin,
        username="newbie",
        full_name="新同事",
        office=offices.yuehe,
        roles=[Role.COUNTER_OFFICER],
        password=TEST_PASSWORD,
    )


def test_an_account_created_by_an_administrator_must_change_its_password(created_by_admin, staff):
    assert created_by_admin.must_change_password
    assert not staff.officer.must_change_password  # make_user: a system command, no administrator


@pytest.mark.parametrize(
    "url",
    ["/", "/cases/", "/cases/all/", "/people/", "/accounts/users/"],
)
def test_until_changed_every_page_redirects_to_the_change_page(created_by_admin, url):
    client = sign_in(Client(), created_by_admin)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == CHANGE_URL


def test_the_audit_export_redirects_too(offices, security_admin):
    auditor = user_create(
        actor=security_admin,
        username="new_auditor",
        full_name="新审计",
        office=offices.yuehe,
        roles=[Role.AUDITOR],
        password=TEST_PASSWORD,
    )
    client = sign_in(Client(), auditor)
    response = client.get("/audit/export.csv")
    assert response.status_code == 302
    assert response["Location"] == CHANGE_URL


def test_the_change_page_and_sign_out_stay_reachable(created_by_admin):
    client = sign_in(Client(), created_by_admin)
    page = client.get(CHANGE_URL)
    assert page.status_code == 200
    assert zh("Your password was set by an administrator. Choose your own password before you continue.") in (
        page.content.decode()
    )
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert response["Location"] != CHANGE_URL
    assert "_auth_user_id" not in client.session


def test_changing_the_password_lifts_the_redirect_keeps_the_session_and_is_audited(created_by_admin):
    client = sign_in(Client(), created_by_admin)
    response = change(client, TEST_PASSWORD, "Fresh-Password-2027")
    assert response.status_code == 302
    user = User.objects.get(pk=created_by_admin.pk)
    assert user.check_password("Fresh-Password-2027")
    assert not user.must_change_password
    assert client.get("/cases/").status_code == 200  # still signed in, no redirect
    event = AuditEvent.objects.get(action="user.password_changed", object_id=str(user.pk))
    assert event.actor == user
    assert "Fresh-Password-2027" not in str(event.new_values) + str(event.old_values)


def test_a_wrong_old_password_is_refused_and_nothing_changes(created_by_admin):
    client = sign_in(Client(), created_by_admin)
    response = change(client, "not-my-password", "Fresh-Password-2027")
    assert response.status_code == 200
    user = User.objects.get(pk=created_by_admin.pk)
    assert user.check_password(TEST_PASSWORD)
    assert user.must_change_password
    assert not AuditEvent.objects.filter(action="user.password_changed").exists()


def test_the_history_holds_hashes_never_the_text(created_by_admin):
    stored = list(PasswordHistory.objects.filter(user=created_by_admin).values_list("password", flat=True))
    assert stored == [created_by_admin.password]
    assert TEST_PASSWORD not in stored[0]


def test_none_of_the_last_five_passwords_may_be_reused_the_sixth_oldest_may(staff):
    user = staff.officer
    client = sign_in(Client(), user)
    passwords = [TEST_PASSWORD] + [f"Rotating-Secret-{n}-2027" for n in range(1, 6)]
    for old, new in itertools.pairwise(passwords):
        assert change(client, old, new).status_code == 302
    current = passwords[-1]
    assert PasswordHistory.objects.filter(user=user).count() == 5
    for reused in passwords[1:]:  # the last five, the current one included
        before = User.objects.get(pk=user.pk).password
        response = change(client, current, reused)
        assert response.status_code == 200
        assert zh(REUSED) % {"count": 5} in response.content.decode()
        assert User.objects.get(pk=user.pk).password == before
    assert AuditEvent.objects.filter(action="user.password_changed").count() == 5
    assert change(client, current, passwords[0]).status_code == 302  # the sixth-oldest
    assert User.objects.get(pk=user.pk).check_password(passwords[0])


def test_the_page_changes_only_the_signed_in_users_own_password(staff):
    client = sign_in(Client(), staff.officer)
    # No user in the URL; an extra field naming another user is ignored.
    response = client.post(
        CHANGE_URL,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Hijack-Password-2027",
            "new_password2": "Hijack-Password-2027",
            "user": staff.admin.pk,
            "username": staff.admin.username,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=staff.admin.pk).check_password(TEST_PASSWORD)
    assert User.objects.get(pk=staff.officer.pk).check_password("Hijack-Password-2027")
    assert client.get(f"{CHANGE_URL}{staff.admin.pk}/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().post(CHANGE_URL, {"old_password": "x", "new_password1": "y", "new_password2": "y"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_demo_accounts_are_exempt(offices):
    demo = user_create(
        actor=None,
        username="demo_officer",
        full_name="演示",
        office=offices.yuehe,
        roles=[Role.COUNTER_OFFICER],
        password=TEST_PASSWORD,
        is_demo=True,
    )
    assert not demo.must_change_password
    assert sign_in(Client(), demo).get("/cases/").status_code == 200


def test_the_user_menu_links_to_the_change_page(staff):
    page = sign_in(Client(), staff.officer).get("/cases/").content.decode()
    assert f'href="{CHANGE_URL}"' in page
    assert zh("Change password") in page
