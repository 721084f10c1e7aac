"""Every demo role signs in through the real pages and sees the menu of its role."""

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.demo import sign_in_demo
from tests.helpers import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL_ITEMS = [
    "Cases",
    "People",
    "Households",
    "Residence permits",
    "Offices",
    "Users",
    "Towns and sub-districts",
    "Rule parameters",
    "Audit trail",
]
MENUS = {
    "yuehe_officer": ["Cases", "People", "Households", "Residence permits"],
    "yuehe_supervisor": ["Cases", "People", "Households", "Residence permits"],
    "yuehe_admin": ["Offices", "Users", "Towns and sub-districts", "Rule parameters"],
    "yuehe_auditor": ["Audit trail"],
    "city_secadmin": ["Offices", "Users"],
    "city_analyst": [],  # figures only: none of these pages
}


@pytest.mark.parametrize("username", sorted(MENUS))
def test_demo_user_signs_in_and_sees_their_menu(page: Page, live_server, demo, username, csp_violations):
    sign_in_demo(page, live_server.url, username)
    nav = page.get_by_test_id("main-nav")
    expect(nav.get_by_role("link", name=zh("Home"))).to_be_visible()
    for item in ALL_ITEMS:
        if item in MENUS[username]:
            expect(reach(page, nav, zh(item))).to_be_visible()
            page.keyboard.press("Escape")
        else:
            expect(nav.get_by_role("link", name=zh(item), exact=True, include_hidden=True)).to_have_count(0)
    assert csp_violations == []


def reach(page: Page, nav: Locator, name: str) -> Locator:
    """The menu entry ``name``: a link in the bar, or inside one of its dropdown groups."""
    link = nav.get_by_role("link", name=name, exact=True)
    if link.count():
        return link
    for toggle in nav.locator(".dropdown-toggle").all():
        toggle.click()
        if link.count():
            return link
        page.keyboard.press("Escape")
    raise AssertionError(f"{name} is in no menu")


@pytest.mark.parametrize("username", sorted(MENUS))
def test_the_bar_fits_one_line_at_1024_and_1400_px(page: Page, live_server, demo, username):
    sign_in_demo(page, live_server.url, username)
    expect(page.get_by_test_id("main-nav")).to_be_visible()
    for width in (1024, 1400):
        page.set_viewport_size({"width": width, "height": 800})
        bar = page.locator("nav.navbar").bounding_box()
        brand = page.locator(".navbar-brand").bounding_box()
        assert bar is not None and brand is not None
        assert bar["height"] < brand["height"] + 30, f"the bar wraps at {width} px: {bar} {brand}"
        menu = page.get_by_test_id("user-menu").bounding_box()
        assert menu is not None and abs((menu["y"] + menu["height"] / 2) - (brand["y"] + brand["height"] / 2)) < 8
        tops = {round(box["y"]) for box in (el.bounding_box() for el in page.locator(".portal-nav > li").all()) if box}
        assert len(tops) == 1, f"menu entries on several lines at {width} px"
