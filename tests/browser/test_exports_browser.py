"""In Chromium at 1024 px, on the demo: each list page shows its export buttons in Chinese on the
title's line, and the CSV button downloads the filtered list (the auditor: the trail)."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.demo import sign_in_demo
from tests.helpers import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "shots-export"
LISTS = [
    ("cases", "/cases/all/"),
    ("people", "/people/"),
    ("registrations", "/registration/registrations/"),
    ("lease-filings", "/registration/lease-filings/"),
    ("permits", "/permits/"),
    ("households", "/people/households/"),
]


def _buttons_read_in_chinese(page: Page, kind: str, name: str) -> None:
    buttons = page.get_by_test_id(f"export-{kind}")
    expect(buttons.get_by_test_id(f"export-{kind}-csv")).to_have_text(zh("Export CSV"))
    expect(buttons.get_by_test_id(f"export-{kind}-xlsx")).to_have_text(zh("Export Excel"))
    box = buttons.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1024  # inside the page, no overflow
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-1024.png"))


def test_the_export_buttons_read_in_chinese_and_download(page: Page, live_server, demo):
    base = live_server.url
    page.set_viewport_size({"width": 1024, "height": 800})
    sign_in_demo(page, base, "yuehe_supervisor")
    for kind, url in LISTS:
        page.goto(base + url)
        _buttons_read_in_chinese(page, kind, kind)
    with page.expect_download() as download:
        page.goto(base + "/people/")
        page.get_by_test_id("export-people-csv").click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith("\ufeff".encode()) and zh("Citizen ID number").encode() in content


def test_the_auditor_exports_the_trail(page: Page, live_server, demo):
    base = live_server.url
    page.set_viewport_size({"width": 1024, "height": 800})
    sign_in_demo(page, base, "yuehe_auditor")
    page.goto(base + "/audit/")
    _buttons_read_in_chinese(page, "audit", "audit")
    with page.expect_download() as download:
        page.get_by_test_id("export-audit-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
