"""Playwright drives Debian's Chromium (/usr/bin/chromium) against pytest-django's live server.

Never ``playwright install``: the browser comes from the system package (``.ci/run`` installs it).

Live-server tests commit, so each ends with a flush of every table; the flush runs post_migrate,
which brings back the roles, the towns and the calendar (see their ``reference_data`` modules).
"""

import os
import time

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture
def csp_violations(page):
    """Console reports of Content-Security-Policy violations during the test; must stay empty."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


@pytest.fixture
def demo(transactional_db):
    """The demo offices, accounts and cases of ``seed_demo``."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _requests_settle_before_the_flush(request):
    """A live-server test ends with a flush (TRUNCATE of every table). A request the page still has
    in flight (a pre-check fetched on the last keystroke, say) would hold its locks while the
    TRUNCATE takes them one table at a time, and PostgreSQL breaks that deadlock by failing the
    flush. So: the page closes first (it is set up after this fixture, so torn down before it),
    then this waits until no other session of the test database is busy, then the flush runs."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")  # set up before this fixture, so flushed after it
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + 15
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state <> 'idle'"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)
