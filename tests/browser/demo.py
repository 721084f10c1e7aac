"""Signing in as one of ``seed_demo``'s accounts (the ``demo`` fixture is in conftest.py)."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from hukou_portal.accounts.management.commands.seed_demo import DEMO_PASSWORD
from hukou_portal.accounts.second_factor import current_code
from tests.helpers import zh


def sign_in_demo(page: Page, base: str, username: str) -> None:
    """Through the real pages: password, then the second factor when the account has one."""
    page.goto(f"{base}/")
    page.get_by_label(zh("Username")).fill(username)
    page.get_by_label(zh("Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=zh("Sign in")).click()
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is not None:
        expect(page.get_by_test_id("second-factor-form")).to_be_visible()
        page.get_by_label(zh("Six-digit code")).fill(current_code(device))
        page.get_by_role("button", name=zh("Verify")).click()
    page.wait_for_load_state()
