"""In Chromium, on the demo, under the portal's CSP (no inline script, no eval): the statistics
dashboard draws every chart from its JSON, fits the page at 1024 and 1400 px, and a number of a
table opens the list of exactly that many records."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.demo import sign_in_demo
from tests.helpers import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "shots-stats"

# Whether a canvas holds anything drawn: its pixels are not all transparent.
CANVAS_DRAWN = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) return true; }
  return false;
}"""


def _charts_drawn(page: Page) -> None:
    figures = page.locator("section[data-testid^='figure-']")
    count = figures.count()
    assert count == 11
    page.locator(f"html[data-charts-drawn='{count}']").wait_for(state="attached")
    for canvas in page.locator("canvas[data-figure]").all():
        assert canvas.evaluate(CANVAS_DRAWN), canvas.get_attribute("data-figure")


def test_the_dashboard_draws_its_charts_under_the_csp_and_drills_down(page: Page, live_server, demo, csp_violations):
    base = live_server.url
    SHOTS.mkdir(exist_ok=True)
    sign_in_demo(page, base, "city_supervisor")
    for width in (1400, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/")
        page.get_by_test_id("main-nav").get_by_role("link", name=zh("Statistics", "navigation")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(zh("Statistics"))
        _charts_drawn(page)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width  # nothing overflows the page
        page.screenshot(path=str(SHOTS / f"dashboard-{width}.png"), full_page=True)
    assert csp_violations == []

    # The period picker: a quarter, then a custom range (its two day fields appear).
    page.get_by_label(zh("Period")).select_option("custom")
    expect(page.get_by_label(zh("From"))).to_be_visible()
    expect(page.get_by_label(zh("A day in it"))).to_be_hidden()
    page.get_by_label(zh("Period")).select_option("quarter")
    page.get_by_role("button", name=zh("Show")).click()
    _charts_drawn(page)

    # A number of the processing table opens its records: as many rows as it said.
    link = page.get_by_test_id("table-processing-by-kind").get_by_test_id("cell").first
    expect(link).to_be_visible()
    number = int(link.inner_text().replace(",", ""))
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Cases behind the figure"))
    assert page.get_by_test_id("case-records").locator("tbody tr").count() == number
    page.screenshot(path=str(SHOTS / "records-1024.png"), full_page=True)

    # The printable report: every figure, drawn, and a print button.
    page.go_back()
    page.get_by_test_id("report-link").click()
    expect(page.get_by_test_id("print-report")).to_be_visible()
    _charts_drawn(page)
    page.screenshot(path=str(SHOTS / "report-1024.png"), full_page=True)
    assert csp_violations == []
