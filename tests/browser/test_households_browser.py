"""In Chromium, on the demo: the officer finds a household from the menu, opens it and prints a
member's 户口簿 page (常住人口登记卡, with its photo box) on one A4 page; opens the case of the
applicant from outside Huzhou, prints the 准迁证 with its number on one A4 page, and records the
origin's 迁出 confirmation — only then is the applicant a member of the household."""

import re

import pytest
from playwright.sync_api import Page, expect

from hukou_portal.people.models import Household, HouseholdMember, MoveInPermit
from tests.browser.demo import sign_in_demo
from tests.helpers import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def one_a4_page(page: Page) -> None:
    page.wait_for_load_state("load")  # print.js (deferred) listens for the button by then
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_test_id("print-button").click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_test_id("document-toolbar")).to_be_hidden()
    expect(page.get_by_test_id("document-seal")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) == 1  # one A4 page
    page.emulate_media(media="screen")


def test_the_officer_prints_a_member_s_household_register_page(page: Page, live_server, demo, csp_violations):
    base = live_server.url
    family = Household.objects.get(type="family")
    sign_in_demo(page, base, "yuehe_officer")
    page.get_by_test_id("nav-group-population").locator(".dropdown-toggle").click()
    page.get_by_test_id("main-nav").get_by_role("link", name=zh("Households"), exact=True).click()
    page.get_by_test_id("households").get_by_role("link", name=family.number).click()
    expect(page.get_by_test_id("household-number")).to_have_text(family.number)
    expect(page.get_by_test_id("active-member")).to_have_count(3)
    page.get_by_test_id("register-card-link").first.click()
    expect(page.get_by_test_id("register-card-number")).to_have_text(family.number)
    expect(page.get_by_test_id("register-card-relation")).to_have_text(zh("Head of household"))
    expect(page.get_by_test_id("household-photo")).to_be_visible()
    assert zh("Permanent resident registration card (常住人口登记卡)") in page.content()
    one_a4_page(page)
    assert csp_violations == []


def test_the_move_in_permit_prints_with_its_number_and_the_origin_s_confirmation_moves_them_in(
    page: Page, live_server, demo, csp_violations
):
    base = live_server.url
    permit = MoveInPermit.objects.select_related("household").get()
    assert not HouseholdMember.objects.filter(household=permit.household).exists()
    sign_in_demo(page, base, "yuehe_officer")
    page.goto(f"{base}/cases/{permit.case_id}/")
    page.get_by_test_id("move-in-permit-link").click()
    expect(page.get_by_test_id("document-number")).to_have_text(permit.number)
    expect(page.get_by_test_id("move-in-permit-origin")).to_have_text("河南省郑州市中原区建设西路 12 号")
    expect(page.get_by_test_id("move-in-permit-household")).to_contain_text(permit.household.number)
    one_a4_page(page)

    page.goto(f"{base}/cases/{permit.case_id}/")
    page.get_by_test_id("move-in-confirm-link").click()
    form = page.get_by_test_id("action-form")
    form.get_by_label(zh("Moved out of the origin on")).fill(permit.issued_on.isoformat())
    form.get_by_label(zh("Origin office")).fill("郑州市公安局中原分局")
    form.get_by_label(zh("Origin office's reference")).fill("郑公迁〔2026〕17号")
    form.get_by_role("button", name=zh("Confirm: they move in")).click()
    expect(page.get_by_test_id("household-number")).to_have_text(permit.household.number)
    expect(page.get_by_test_id("active-member")).to_have_count(1)
    expect(page.get_by_test_id("active-member")).to_contain_text("周杰")
    assert HouseholdMember.objects.get(household=permit.household).join_reason == "moved_in_from_elsewhere"
    assert csp_violations == []
