"""全域就近办 in Chromium, with seed_demo's accounts: 织里's officer finds 陈静 — recorded at 月河 —
by her full ID number, giving a reason; takes her residence declaration for a 织里 address and
works it to completion; then 月河's officer opens her file and sees that case, 织里 named.

The lookup page, its answer and the person's file are checked at 1024 and 1400 px wide (nothing
wider than the window); with ``SCREENSHOTS_DIR`` set, each is saved there to be looked at."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hukou_portal.accounts.models import User
from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework.models import Case, Status
from hukou_portal.people.models import Town
from hukou_portal.people.services import person_create
from registration.models import ResidenceRegistration
from tests.browser.demo import sign_in_demo
from tests.browser.test_settlement_browser import accept, act, sign_out, upload
from tests.helpers import valid_id_number, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1024, 1400)
CHEN_JING = valid_id_number(address_code="330502", sequence=462)  # female (even sequence)


def shoot(page: Page, name: str) -> None:
    """The page at each width (saved whole as ``<name>-<width>.png`` when asked); the layout must
    not spill over the window."""
    shots = os.environ.get("SCREENSHOTS_DIR")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} is wider than the window at {width} px"
    page.set_viewport_size({"width": 1400, "height": 900})


def test_zhili_serves_a_person_recorded_at_yuehe_and_yuehe_sees_it_in_her_file(
    page: Page, live_server, demo, csp_violations
):
    base = live_server.url
    chen_jing = person_create(actor=User.objects.get(username="yuehe_officer"), id_number=CHEN_JING, name="陈静")
    zhili_town = Town.objects.get(area__code="330502", name="织里镇")
    assert zhili_town.station is not None and zhili_town.station.name == "织里派出所"  # seed_demo's jurisdiction

    # 织里: the person is not 织里's, and the page to record her says she is in the city register.
    sign_in_demo(page, base, "zhili_officer")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{base}/people/new/")
    page.get_by_label(zh("Citizen ID number")).fill(CHEN_JING)
    page.get_by_label(zh("Name", "person")).fill("陈静")
    page.get_by_role("button", name=zh("Save")).click()
    expect(page.get_by_test_id("already-recorded")).to_be_visible()
    shoot(page, "already-recorded")

    # The lookup, from the menu; a reason is required.
    page.get_by_test_id("nav-group-population").get_by_role("button", name=zh("Population")).click()
    page.get_by_role("link", name=zh("City register lookup")).click()
    expect(page.get_by_test_id("lookup-form")).to_be_visible()
    page.get_by_label(zh("Citizen ID number")).fill(CHEN_JING)
    page.get_by_test_id("lookup-form").get_by_role("button", name=zh("Look up")).click()
    expect(page.get_by_text(zh("Choose the reason for the lookup."))).to_be_visible()
    assert not AuditEvent.objects.filter(action="person.lookup").exists()
    shoot(page, "lookup-page")

    page.get_by_label(zh("Citizen ID number")).fill(CHEN_JING)
    page.get_by_label(zh("Business for the person (办理业务)")).check()
    page.get_by_test_id("lookup-form").get_by_role("button", name=zh("Look up")).click()
    result = page.get_by_test_id("lookup-result")
    expect(result.get_by_test_id("lookup-name")).to_have_text("陈静")
    expect(result.get_by_test_id("lookup-id-number")).to_have_text(chen_jing.masked_id_number)
    expect(result).to_contain_text(zh("Female"))
    expect(result.get_by_test_id("file-section-offices")).to_contain_text("月河派出所")
    assert CHEN_JING not in page.content()
    shoot(page, "lookup-result")
    lookup = AuditEvent.objects.get(action="person.lookup")
    assert lookup.new_values == {"reason": "business", "found": True} and lookup.actor.username == "zhili_officer"

    # A residence declaration for a 织里 address, taken at 织里, from the answer's button.
    result.get_by_test_id("intake-residence_declaration").click()
    expect(page.locator("#id_applicant_id_number")).to_have_value(CHEN_JING)
    assert CHEN_JING not in page.url
    page.locator("#id_category").select_option("rented")
    page.locator("#id_details-town").select_option(str(zhili_town.pk))
    page.locator("#id_details-address").fill("织里镇珍贝路 18 号")
    page.locator("#id_details-lived_since").fill("2026-09-01")
    page.get_by_role("button", name=zh("Open the case")).click()
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Draft"))
    expect(page.get_by_test_id("responsible-office")).to_have_count(0)  # 织里's own jurisdiction
    upload(page, "id_card")
    upload(page, "lease")
    act(page, zh("Accept (受理)"))
    act(page, zh("Start review"))
    accept(page, "id_card")
    accept(page, "lease")
    act(page, zh("Approve"))  # a declaration is decided at the counter (no supervisor approval)
    act(page, zh("Complete (办结)"))
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Completed"))
    case = Case.objects.get(kind="residence_declaration", applicant=chen_jing)
    assert (case.office.name, case.status) == ("织里派出所", Status.COMPLETED)
    assert ResidenceRegistration.objects.get(person=chen_jing, case=case).town == zhili_town
    assert AuditEvent.objects.filter(action="person.lookup", case=case).exists()  # the intake's lookup
    sign_out(page)

    # 月河: her file names 织里 among the offices that served her and lists 织里's case.
    sign_in_demo(page, base, "yuehe_officer")
    page.goto(f"{base}/people/{chen_jing.pk}/")
    offices = page.get_by_test_id("file-section-offices")
    expect(offices).to_contain_text("月河派出所")
    expect(offices).to_contain_text("织里派出所")
    cases = page.get_by_test_id("file-section-cases")
    row = cases.locator("tr", has_text=case.reference)
    expect(row).to_contain_text("织里派出所")
    expect(row).to_contain_text(zh("Completed"))
    expect(row.get_by_role("link")).to_have_count(0)  # 织里's case: listed, not opened from 月河
    expect(page.get_by_test_id("file-section-registrations")).to_contain_text("织里镇珍贝路 18 号")
    shoot(page, "person-file")
    assert csp_violations == []
