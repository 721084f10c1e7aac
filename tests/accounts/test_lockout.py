"""Lockout by (username, address) and by address alone, written as the attacks: a stranger who
guesses an officer's password from elsewhere must not lock the officer at the counter out, and
one address spraying passwords over many usernames is stopped (accounts/lockout.py)."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent, Outcome
from tests.helpers import TEST_PASSWORD, make_user, zh

SIGN_IN = "/accounts/sign-in/"
START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
# Documentation addresses (RFC 5737): the attacker's, the station's NAT, another station's.
ATTACKER, STATION, ELSEWHERE = "198.51.100.7", "192.0.2.10", "203.0.113.20"


def sign_in_from(address: str, username: str, password: str):
    return Client(REMOTE_ADDR=address).post(SIGN_IN, {"username": username, "password": password})


@pytest.fixture
def officer(offices):
    return make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")


def test_five_failures_lock_the_pair_but_the_officer_signs_in_from_another_address(officer):
    with time_machine.travel(START, tick=False):
        answers = [sign_in_from(ATTACKER, "officer", "wrong-password").status_code for _ in range(5)]
        assert answers == [200, 200, 200, 200, 429]
        # The attacker's address is locked for this username, even with the right password…
        locked = sign_in_from(ATTACKER, "officer", TEST_PASSWORD)
        assert locked.status_code == 429
        assert zh("Sign-in locked") in locked.content.decode()
        # …the officer at the counter is not.
        assert sign_in_from(STATION, "officer", TEST_PASSWORD).status_code == 302
        # The station's success does not lift the attacker's lock either.
        assert sign_in_from(ATTACKER, "officer", TEST_PASSWORD).status_code == 429
    events = AuditEvent.objects.filter(action__in=["auth.sign_in_failed", "auth.locked_out"]).order_by("id")
    assert {(e.action, e.outcome) for e in events} == {
        ("auth.sign_in_failed", Outcome.FAILED),
        ("auth.locked_out", Outcome.DENIED),
    }
    # Filed under the account and its station, from the attacker's address.
    assert {(e.object_id, e.actor_office_id, e.ip_address) for e in events} == {
        (str(officer.pk), officer.office_id, ATTACKER)
    }


def test_the_pair_lock_ends_after_fifteen_minutes(officer):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            sign_in_from(ATTACKER, "officer", "wrong-password")
        traveller.shift(dt.timedelta(minutes=14))
        assert sign_in_from(ATTACKER, "officer", TEST_PASSWORD).status_code == 429
        traveller.shift(dt.timedelta(minutes=16))
        assert sign_in_from(ATTACKER, "officer", TEST_PASSWORD).status_code == 302


def test_spraying_many_usernames_from_one_address_locks_the_address(officer, settings):
    with time_machine.travel(START, tick=False):
        # Four guesses per name stay under the pair limit; the address reaches 30 failures.
        answers = [
            sign_in_from(ATTACKER, f"name{index // 4}", "Spring2026!").status_code
            for index in range(settings.LOCKOUT_ADDRESS_FAILURES)
        ]
        assert answers[:-1] == [200] * (settings.LOCKOUT_ADDRESS_FAILURES - 1)
        assert answers[-1] == 429
        # Now every username is locked from that address, a real one with its right password too…
        locked = sign_in_from(ATTACKER, "officer", TEST_PASSWORD)
        assert locked.status_code == 429
        page = locked.content.decode()
        assert zh("Sign-in locked") in page
        assert (
            zh(
                "Too many failed sign-ins from this network address, for several usernames. Sign-in from this "
                "address is locked for 15 minutes; ask your administrator if this was not you."
            )
            in page
        )
        # …and a username never tried before.
        assert sign_in_from(ATTACKER, "someone-new", "x").status_code == 429
        # Other addresses are untouched.
        assert sign_in_from(ELSEWHERE, "officer", TEST_PASSWORD).status_code == 302
    lockout = AuditEvent.objects.filter(action="auth.locked_out", object_id=str(officer.pk)).latest("id")
    assert (lockout.outcome, lockout.actor_office_id, lockout.ip_address) == (
        Outcome.DENIED,
        officer.office_id,
        ATTACKER,
    )


def test_a_station_whose_officers_mistype_is_not_locked(offices):
    """A busy morning: ten officers behind one NAT address each mistype twice, then sign in."""
    names = [f"counter{index}" for index in range(10)]
    for name in names:
        make_user(offices.yuehe, Role.COUNTER_OFFICER, username=name)
    with time_machine.travel(START, tick=False):
        for name in names:
            assert sign_in_from(STATION, name, "typo").status_code == 200
            assert sign_in_from(STATION, name, "typo-again").status_code == 200
        assert all(sign_in_from(STATION, name, TEST_PASSWORD).status_code == 302 for name in names)


def test_the_address_lock_ends_when_its_failures_age_out(officer, settings):
    with time_machine.travel(START, tick=False) as traveller:
        for index in range(settings.LOCKOUT_ADDRESS_FAILURES):
            sign_in_from(ATTACKER, f"name{index}", "Spring2026!")
        assert sign_in_from(ATTACKER, "officer", TEST_PASSWORD).status_code == 429
        traveller.shift(dt.timedelta(minutes=16))
        assert sign_in_from(ATTACKER, "officer", TEST_PASSWORD).status_code == 302


def test_the_address_warning_of_axes_no_longer_applies(settings):
    """The pair holds the address, so axes.W006 (lockout without an address) is not silenced."""
    from axes.checks import axes_lockout_params_check

    assert axes_lockout_params_check(None) == []
    assert "axes.W006" not in getattr(settings, "SILENCED_SYSTEM_CHECKS", [])
