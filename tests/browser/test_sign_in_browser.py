"""In a real Chromium: the Chinese sign-in page, a counter officer's home, the Chinese error."""

import pytest
from playwright.sync_api import Page, expect

from hukou_portal.accounts.roles import Role
from tests.browser.demo import sign_in_as
from tests.helpers import TEST_PASSWORD, make_office_tree, make_user, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(transactional_db):
    offices = make_office_tree()
    return make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")


def test_counter_officer_signs_in_and_sees_the_chinese_home_page(page: Page, live_server, officer, csp_violations):
    # The first sign-in enrols the authenticator app (a QR code), then the home page.
    sign_in_as(page, live_server.url, "officer", TEST_PASSWORD)
    expect(page.get_by_test_id("home-heading")).to_contain_text(officer.full_name)
    expect(page.get_by_test_id("home-heading")).to_contain_text(zh("Welcome, %(name)s").split("%")[0].strip())
    nav = page.get_by_test_id("main-nav")
    nav.get_by_role("button", name=zh("Population")).click()  # the menu groups its entries
    expect(nav.get_by_role("link", name=zh("People"), exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name=zh("Audit trail"), include_hidden=True)).to_have_count(0)
    assert page.evaluate("document.documentElement.lang") == "zh-hans"
    assert csp_violations == []


def test_wrong_password_shows_the_chinese_error(page: Page, live_server, officer, csp_violations):
    page.goto(f"{live_server.url}/")
    page.get_by_label(zh("Username")).fill("officer")
    page.get_by_label(zh("Password")).fill("wrong-password")
    page.get_by_role("button", name=zh("Sign in")).click()
    error = zh("The username or password is wrong. Note that both fields may be case-sensitive.")
    expect(page.get_by_test_id("form-errors")).to_contain_text(error)
    assert "/accounts/sign-in/" in page.url
    assert csp_violations == []


def test_language_switch_turns_the_page_english(page: Page, live_server, officer):
    sign_in_as(page, live_server.url, "officer", TEST_PASSWORD)
    page.get_by_test_id("user-menu-toggle").click()  # the language is in the user's menu
    page.get_by_test_id("language-switch").get_by_role("button", name="English").click()
    expect(page.get_by_test_id("home-heading")).to_contain_text("Welcome")
