"""Playwright drives Debian's Chromium (/usr/bin/chromium) against pytest-django's live server.

Never ``playwright install``: the browser comes from the system package (``.ci/run`` installs it).

Live-server tests commit, so each ends with a flush of every table; the flush runs post_migrate,
which brings back the roles, the towns and the calendar (see their ``reference_data`` modules).
"""

import os

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
