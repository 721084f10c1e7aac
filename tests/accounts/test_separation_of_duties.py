"""Separation of duties (issue 10, finding 1; MLPS 8.1.4.2): system, security and audit
administrators are different people, nobody grants a role they have no right to grant, and an
auditor holds no other role. Written as the requests an attacker sends, and as a matrix of who
may do what to whom, spelled out here rather than read from accounts.roles. The statistics
analyst (issue 13) is in the matrix; its office levels and reading refusals are in
tests/accounts/test_statistics_analyst.py."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from hukou_portal.accounts import services
from hukou_portal.accounts.models import User, UserSession
from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.core.exceptions import ApplicationError
from tests.helpers import TEST_PASSWORD, make_user, sign_in, zh

OFFICER, SUPERVISOR, ADMIN, SECURITY, AUDITOR, ANALYST = (
    Role.COUNTER_OFFICER,
    Role.SUPERVISOR,
    Role.ADMINISTRATOR,
    Role.SECURITY_ADMINISTRATOR,
    Role.AUDITOR,
    Role.STATISTICIAN,
)

# Who may create an account holding each role (the grant matrix, written out by hand).
MAY_GRANT = {
    OFFICER: set(),
    SUPERVISOR: set(),
    ADMIN: {OFFICER, SUPERVISOR, ANALYST},
    SECURITY: {OFFICER, SUPERVISOR, ADMIN, SECURITY, AUDITOR, ANALYST},
    AUDITOR: set(),
    ANALYST: set(),
}


def _office_for(granted, offices):
    """The 月河 station, but a county-level bureau for an analyst, whom no station holds: the
    matrix judges who grants, not where."""
    return offices.wuxing if granted == ANALYST else offices.yuehe


NEW_PASSWORD = "Another-Password-2026"


@pytest.fixture
def actors(offices):
    """One account per role at the city bureau, whose subtree is every office."""
    return {role: make_user(offices.city, role, username=f"city_{role}") for role in Role.values}


@pytest.mark.parametrize("actor_role", Role.values)
@pytest.mark.parametrize("granted", Role.values)
def test_who_may_create_an_account_with_which_role(offices, actors, actor_role, granted):
    create = lambda: services.user_create(  # noqa: E731
        actor=actors[actor_role],
        username="newcomer",
        full_name="新同事",
        office=_office_for(granted, offices),
        roles=[granted],
        password=TEST_PASSWORD,
    )
    if granted in MAY_GRANT[actor_role]:
        assert create().roles == {granted}
    else:
        with pytest.raises((PermissionDenied, ApplicationError)):
            create()
        assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize("actor_role", Role.values)
@pytest.mark.parametrize("granted", Role.values)
def test_who_may_add_which_role_to_an_existing_account(offices, actors, actor_role, granted):
    """An officer's account given a second (or another) role; an auditor's never mixes."""
    office = _office_for(granted, offices)
    target = make_user(office, OFFICER, username="target")
    wanted = {granted} if granted == AUDITOR else {OFFICER, granted}
    update = lambda: services.user_update(  # noqa: E731
        actor=actors[actor_role],
        user_id=target.pk,
        full_name=target.full_name,
        email="",
        office=office,
        roles=wanted,
        is_active=True,
    )
    allowed = actor_role in (ADMIN, SECURITY) and granted in MAY_GRANT[actor_role]
    # Turning an officer into an auditor also takes the officer role away: the grantor must hold
    # the right to both.
    if granted == AUDITOR:
        allowed = actor_role == SECURITY
    if allowed:
        assert update().roles == wanted
    else:
        with pytest.raises((PermissionDenied, ApplicationError)):
            update()
        assert User.objects.get(pk=target.pk).roles == {OFFICER}


def test_finding_1_the_station_administrator_cannot_mint_an_auditor(offices):
    """The attack of the issue, through the pages: yuehe_admin posts a new user with
    roles=auditor and a password of their choosing."""
    admin = make_user(offices.yuehe, ADMIN, username="yuehe_admin")
    client = sign_in(Client(), admin)
    page = client.get("/accounts/users/new/").content.decode()
    assert f'value="{AUDITOR}"' not in page and f'value="{SECURITY}"' not in page
    data = {
        "username": "minted",
        "full_name": "假审计",
        "email": "",
        "office": offices.yuehe.pk,
        "roles": [AUDITOR],
        "password": TEST_PASSWORD,
    }
    response = client.post("/accounts/users/new/", data)
    assert response.status_code == 200
    assert "roles" in response.context["form"].errors
    assert not User.objects.filter(username="minted").exists()
    # The service refuses without the form, in words the administrator reads.
    with pytest.raises(ApplicationError) as refused:
        services.user_create(
            actor=admin,
            username="minted",
            full_name="假审计",
            office=offices.yuehe,
            roles=[AUDITOR],
            password=TEST_PASSWORD,
        )
    assert refused.value.field == "roles"
    assert not User.objects.filter(username="minted").exists()
    assert not AuditEvent.objects.filter(action="user.created", object_repr__contains="minted").exists()


def test_finding_1_the_administrator_cannot_add_the_auditor_role_to_an_officer(offices):
    admin = make_user(offices.yuehe, ADMIN, username="yuehe_admin")
    officer = make_user(offices.yuehe, OFFICER, username="officer")
    client = sign_in(Client(), admin)
    data = {"full_name": officer.full_name, "email": "", "office": offices.yuehe.pk, "roles": [OFFICER, AUDITOR]}
    response = client.post(f"/accounts/users/{officer.pk}/", {**data, "is_active": "on"})
    assert response.status_code == 200
    assert "roles" in response.context["form"].errors
    assert User.objects.get(pk=officer.pk).roles == {OFFICER}
    assert client.get("/audit/").status_code == 403


@pytest.mark.parametrize(
    "roles",
    [
        {AUDITOR, OFFICER},
        {AUDITOR, SUPERVISOR},
        {AUDITOR, ADMIN},
        {AUDITOR, SECURITY},
        {AUDITOR, ANALYST},
        {ADMIN, SECURITY},
    ],
)
def test_no_account_holds_these_roles_together_whoever_asks(offices, actors, roles):
    # At a county-level bureau, where an analyst may work: only the combination is refused.
    with pytest.raises(ApplicationError) as refused:
        services.user_create(
            actor=actors[SECURITY],
            username="both",
            full_name="兼任",
            office=offices.wuxing,
            roles=roles,
            password=TEST_PASSWORD,
        )
    assert refused.value.field == "roles"
    with pytest.raises(ApplicationError) as refused:
        # Nor a system command (bootstrap, seed_demo).
        services.user_create(
            actor=None, username="both", full_name="兼任", office=offices.wuxing, roles=roles, password=TEST_PASSWORD
        )
    assert refused.value.field == "roles"
    assert not User.objects.filter(username="both").exists()


@pytest.mark.parametrize("granter", [ADMIN, SECURITY])
def test_an_analyst_may_also_be_a_supervisor(offices, actors, granter):
    """The figures are a supervisor's to read anyway: the two mix, whoever grants them."""
    both = services.user_create(
        actor=actors[granter],
        username="both",
        full_name="兼任",
        office=offices.wuxing,
        roles=[SUPERVISOR, ANALYST],
        password=TEST_PASSWORD,
    )
    assert both.roles == {SUPERVISOR, ANALYST}
    assert both.has_perm("stats.view_statistics") and both.has_perm("casework.view_case")


def test_the_refusal_is_said_in_chinese(offices, actors):
    client = sign_in(Client(), actors[SECURITY])
    data = {
        "username": "both",
        "full_name": "兼任",
        "email": "",
        "office": offices.yuehe.pk,
        "roles": [AUDITOR, OFFICER],
        "password": TEST_PASSWORD,
    }
    response = client.post("/accounts/users/new/", data)
    assert response.status_code == 200
    assert zh("An auditor holds no other role (separation of duties).") in response.content.decode()


@pytest.mark.parametrize("added", [SUPERVISOR, ANALYST])
@pytest.mark.parametrize("role", [ADMIN, SECURITY])
def test_nobody_grants_themselves_more(offices, actors, role, added):
    """Not even a role they grant others (the city bureau, where an analyst may work)."""
    actor = actors[role]
    with pytest.raises((ApplicationError, PermissionDenied)):
        services.user_update(
            actor=actor,
            user_id=actor.pk,
            full_name=actor.full_name,
            email="",
            office=actor.office,
            roles={role, added},
            is_active=True,
        )
    assert User.objects.get(pk=actor.pk).roles == {role}
    assert not AuditEvent.objects.filter(action="user.updated", actor=actor).exists()


@pytest.mark.parametrize("held", [ADMIN, SECURITY, AUDITOR])
def test_a_system_administrator_manages_no_administrative_account(offices, actors, held):
    """Not edit, move, deactivate, nor take the role away: a security administrator does."""
    target = make_user(offices.yuehe, held, username="privileged")
    client = sign_in(Client(), actors[ADMIN])
    page = client.get(f"/accounts/users/{target.pk}/")
    assert page.status_code == 200
    assert 'data-testid="account-read-only"' in page.content.decode()
    data = {"full_name": "改名", "email": "", "office": offices.zhili.pk, "roles": [], "is_active": ""}
    refused = client.post(f"/accounts/users/{target.pk}/", data)
    assert refused.status_code == 403
    assert zh("This account holds a role you may not grant: only a security administrator manages it.") in (
        refused.content.decode()
    )
    target = User.objects.get(pk=target.pk)
    assert (target.full_name, target.office, target.is_active, target.roles) == (
        "测试privileged",
        offices.yuehe,
        True,
        {held},
    )
    # The security administrator does.
    data = {"full_name": "改名", "email": "", "office": offices.zhili.pk, "roles": [held], "is_active": "on"}
    assert sign_in(Client(), actors[SECURITY]).post(f"/accounts/users/{target.pk}/", data).status_code == 302
    assert User.objects.get(pk=target.pk).office == offices.zhili


def test_only_a_security_administrator_resets_a_second_factor(offices, actors):
    target = make_user(offices.yuehe, OFFICER, username="target")
    TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    for role in (OFFICER, SUPERVISOR, ADMIN, AUDITOR, ANALYST):
        with pytest.raises(PermissionDenied):
            services.user_reset_second_factor(actor=actors[role], user_id=target.pk)
        assert (
            sign_in(Client(), actors[role]).post(f"/accounts/users/{target.pk}/reset-second-factor/").status_code == 403
        )
    assert TOTPDevice.objects.filter(user=target).exists()
    services.user_reset_second_factor(actor=actors[SECURITY], user_id=target.pk)
    assert not TOTPDevice.objects.filter(user=target).exists()
    with pytest.raises(ApplicationError):
        services.user_reset_second_factor(actor=actors[SECURITY], user_id=actors[SECURITY].pk)


def test_a_system_administrator_sets_a_temporary_password(offices, actors):
    """The user who forgot theirs: a temporary password, a forced change, every session ended."""
    officer = make_user(offices.yuehe, OFFICER, username="forgetful")
    elsewhere = sign_in(Client(), officer)
    assert UserSession.objects.filter(user=officer).exists()
    client = sign_in(Client(), actors[ADMIN])
    response = client.post(f"/accounts/users/{officer.pk}/reset-password/", {"password": NEW_PASSWORD})
    assert response.status_code == 302
    officer = User.objects.get(pk=officer.pk)
    assert officer.check_password(NEW_PASSWORD) and officer.must_change_password
    assert not UserSession.objects.filter(user=officer).exists()
    assert elsewhere.get("/").status_code == 302
    event = AuditEvent.objects.get(action="user.password_reset")
    assert event.actor == actors[ADMIN] and event.object_id == str(officer.pk)
    assert NEW_PASSWORD not in str(event.new_values)


@pytest.mark.parametrize("role", [OFFICER, SUPERVISOR, SECURITY, AUDITOR, ANALYST])
def test_only_a_system_administrator_sets_a_temporary_password(offices, actors, role):
    """A security administrator who could set the password and reset the second factor would
    take over any account alone: the two are different people's."""
    target = make_user(offices.yuehe, OFFICER, username="target")
    client = sign_in(Client(), actors[role])
    assert client.post(f"/accounts/users/{target.pk}/reset-password/", {"password": NEW_PASSWORD}).status_code == 403
    assert User.objects.get(pk=target.pk).check_password(TEST_PASSWORD)


def test_a_temporary_password_alone_does_not_open_an_auditors_account(offices, actors):
    """The system administrator resets the auditor's password and signs in with it: the
    auditor's second factor, which only a security administrator resets, still stands."""
    auditor = make_user(offices.yuehe, AUDITOR, username="the_auditor")
    TOTPDevice.objects.create(user=auditor, name="phone", confirmed=True, tolerance=0)
    services.user_password_reset(actor=actors[ADMIN], user_id=auditor.pk, password=NEW_PASSWORD)
    intruder = Client()
    assert intruder.post("/accounts/sign-in/", {"username": "the_auditor", "password": NEW_PASSWORD}).status_code == 302
    response = intruder.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/second-factor/")
    assert intruder.get("/accounts/second-factor/").context["enrolling"] is False


def test_an_administrator_of_one_county_touches_no_account_of_another(offices):
    security = make_user(offices.wuxing, SECURITY, username="wx_security")
    admin = make_user(offices.wuxing, ADMIN, username="wx_admin")
    other = make_user(offices.nanxun_station, OFFICER, username="nx_officer")
    # Outside their subtree the account is not found (404); an action of the other
    # administrator's role is refused before that (403).
    expected = {
        security: {"reset-password": 403, "reset-second-factor": 404, "end-sessions": 404},
        admin: {"reset-password": 404, "reset-second-factor": 403, "end-sessions": 404},
    }
    for actor, answers in expected.items():
        client = sign_in(Client(), actor)
        assert client.get(f"/accounts/users/{other.pk}/").status_code == 404
        for action, status in answers.items():
            response = client.post(f"/accounts/users/{other.pk}/{action}/", {"password": NEW_PASSWORD})
            assert response.status_code == status, (actor.username, action)
    assert User.objects.get(pk=other.pk).check_password(TEST_PASSWORD)
