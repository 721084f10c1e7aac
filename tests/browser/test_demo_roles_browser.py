"""Every demo role signs in through the real pages and sees the menu of its role."""

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from hukou_portal.accounts.management.commands.seed_demo import DEMO_PASSWORD
from hukou_portal.accounts.second_factor import current_code
from tests.helpers import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL_ITEMS = [
    "Cases",
    "People",
    "Residence permits",
    "Offices",
    "Users",
    "Towns and sub-districts",
    "Rule parameters",
    "Audit trail",
]
MENUS = {
    "yuehe_officer": ["Cases", "People", "Residence permits"],
    "yuehe_supervisor": ["Cases", "People", "Residence permits"],
    "yuehe_admin": ["Offices", "Users", "Towns and sub-districts", "Rule parameters"],
    "yuehe_auditor": ["Audit trail"],
}


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("username", sorted(MENUS))
def test_demo_user_signs_in_and_sees_their_menu(page: Page, live_server, demo, username, csp_violations):
    page.goto(f"{live_server.url}/")
    page.get_by_label(zh("Username")).fill(username)
    page.get_by_label(zh("Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=zh("Sign in")).click()
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is not None:
        expect(page.get_by_test_id("second-factor-form")).to_be_visible()
        page.get_by_label(zh("Six-digit code")).fill(current_code(device))
        page.get_by_role("button", name=zh("Verify")).click()
    nav = page.get_by_test_id("main-nav")
    expect(nav.get_by_role("link", name=zh("Home"))).to_be_visible()
    for item in ALL_ITEMS:
        expected = 1 if item in MENUS[username] else 0
        expect(nav.get_by_role("link", name=zh(item), exact=True)).to_have_count(expected)
    assert csp_violations == []
