"""Fixtures shared by the whole suite: an office tree, users per role, signed-in clients."""

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from tests.helpers import TEST_PASSWORD, make_office_tree, make_user, sign_in

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

__all__ = ["TEST_PASSWORD"]


@pytest.fixture(autouse=True)
def _chinese_first(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Every test starts with no request counted against the rate limits (core/throttling.py),
    which live in the default cache; the defaults stay as in production."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _audit_guards(request):
    """The append-only triggers stay on in every test. A transactional test ends with a flush of
    every table, which they would refuse, so only that flush runs with them suspended."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        yield
        return
    from django.db import connection

    from hukou_portal.audit import db_guards

    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    db_guards.install(connection)
    yield
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        db_guards.suspend(connection)


@pytest.fixture
def offices(db):
    return make_office_tree()


@dataclass
class Staff:
    officer: object
    supervisor: object
    admin: object
    auditor: object


@pytest.fixture
def staff(offices):
    """One user per role at the 月河 station."""
    from hukou_portal.accounts.roles import Role

    return Staff(
        officer=make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer"),
        supervisor=make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor"),
        admin=make_user(offices.yuehe, Role.ADMINISTRATOR, username="admin"),
        auditor=make_user(offices.yuehe, Role.AUDITOR, username="auditor"),
    )


@pytest.fixture
def officer_client(staff) -> Client:
    return sign_in(Client(), staff.officer)


@pytest.fixture
def admin_client(staff) -> Client:
    return sign_in(Client(), staff.admin)


@pytest.fixture
def city_admin(offices):
    """An administrator of the city bureau: the only one who changes city-wide rules."""
    from hukou_portal.accounts.roles import Role

    return make_user(offices.city, Role.ADMINISTRATOR, username="city_admin")


@pytest.fixture
def city_admin_client(city_admin) -> Client:
    return sign_in(Client(), city_admin)


@pytest.fixture
def security_admin(offices):
    """The city bureau's security administrator: grants administrative roles and the auditor's."""
    from hukou_portal.accounts.roles import Role

    return make_user(offices.city, Role.SECURITY_ADMINISTRATOR, username="security_admin")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (HUKOU_FORBID_SKIPS=1) a skipped test is a failure: every check must really run."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("HUKOU_FORBID_SKIPS") == "1" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped, which CI does not allow: {report.longrepr}"
