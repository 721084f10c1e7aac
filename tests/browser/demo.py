"""Signing in through the real pages (the ``demo`` fixture, seed_demo's accounts, is in conftest.py)."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from hukou_portal.accounts.management.commands.seed_demo import DEMO_PASSWORD
from tests.helpers import code_for_now, zh


def sign_in_as(page: Page, base: str, username: str, password: str) -> None:
    """Password, then the TOTP code; an account without a device enrols one on the way, as a
    person does at their first sign-in (the code read off the new device)."""
    page.goto(f"{base}/")
    page.get_by_label(zh("Username")).fill(username)
    page.get_by_label(zh("Password")).fill(password)
    page.get_by_role("button", name=zh("Sign in")).click()
    expect(page.get_by_test_id("second-factor-form")).to_be_visible()
    device = TOTPDevice.objects.filter(user__username=username).order_by("-confirmed", "pk").first()
    assert device is not None
    page.get_by_label(zh("Six-digit code")).fill(code_for_now(device))
    page.get_by_role("button", name=zh("Verify")).click()
    page.wait_for_load_state()


def sign_in_demo(page: Page, base: str, username: str) -> None:
    sign_in_as(page, base, username, DEMO_PASSWORD)
