"""A rental-category settlement case in Chromium: intake with an accompanying child and the
live pre-check, 补正, approval by a supervisor, completion, the printed notice, and — once the
case is completed — finding it again from the header search and reprinting its notice."""

import datetime as dt

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from hukou_portal.accounts.roles import Role
from hukou_portal.casework.models import Case, IssuedDocument, Status
from hukou_portal.people.models import Town
from hukou_portal.people.services import person_create
from settlement.models import HukouEntry
from tests.browser.demo import sign_in_as
from tests.casework.factories import png_bytes
from tests.helpers import TEST_PASSWORD, make_office_tree, make_user, valid_id_number, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHILD = valid_id_number(birth_date=dt.date(2016, 5, 20), sequence=246)


@pytest.fixture
def people(transactional_db):
    offices = make_office_tree()
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor")
    TOTPDevice.objects.create(user=supervisor, name="phone", confirmed=True)
    applicant = person_create(actor=officer, id_number=valid_id_number(birth_date=dt.date(1990, 1, 2)), name="王小明")
    return officer, supervisor, applicant


def sign_in(page: Page, base: str, username: str) -> None:
    """Password and code through the real pages (every account has a second factor)."""
    sign_in_as(page, base, username, TEST_PASSWORD)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name=zh("Sign out")).click()


def act(page: Page, label: str, text: str | None = None) -> None:
    page.get_by_test_id("case-actions").get_by_role("link", name=label, exact=True).click()
    if text is not None:
        page.get_by_test_id("action-form").locator("textarea").fill(text)
    page.get_by_test_id("action-form").get_by_role("button").first.click()


def upload(page: Page, code: str) -> None:
    form = page.get_by_test_id("upload-form")
    form.locator("select[name=requirement]").select_option(code)
    form.locator("input[type=file]").set_input_files(
        {"name": f"{code}.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    form.get_by_role("button", name=zh("Upload")).click()
    expect(page.get_by_test_id("checklist")).to_contain_text(f"{code}.png")


def accept(page: Page, code: str) -> None:
    row = page.get_by_test_id("checklist").locator("tr", has_text=f"{code}.png")
    row.get_by_role("button", name=zh("Accept", "document")).click()
    expect(page.get_by_test_id("checklist").locator("tr", has_text=f"{code}.png")).to_contain_text(
        zh("Accepted", "document")
    )


def test_rental_case_from_intake_to_notice(page: Page, live_server, people, csp_violations):
    _officer, _supervisor, applicant = people
    base = live_server.url
    town = Town.objects.get(area__code="330502", name="月河街道")

    sign_in(page, base, "officer")
    page.goto(f"{base}/cases/new/settlement/")
    page.locator("#id_category").select_option("rental")
    # htmx swaps in the S1.2 facts (the others travel hidden).
    expect(page.get_by_test_id("intake-facts")).to_have_attribute("data-category", "rental")
    page.locator("#id_applicant_id_number").fill(applicant.id_number)
    page.locator("#id_details-town").select_option(str(town.pk))
    page.locator("#id_details-address").fill("红旗路 8 号 302 室")
    page.locator("#id_details-community").fill("红旗社区")  # the community household of S1.2
    page.locator("#id_details-marital_status").select_option("married")
    page.locator("#id_details-lease_private_housing").check()
    page.locator("#id_details-lease_town").select_option(str(town.pk))
    page.locator("#id_details-lease_filed_on").fill("2026-01-10")
    page.locator("#id_details-family-0-name").fill("王小宝")
    page.locator("#id_details-family-0-id_number").fill(CHILD)
    page.locator("#id_details-family-0-relation").select_option("child")
    page.locator("#id_details-family-0-marital_status").select_option("unmarried")
    page.locator("#id_details-family-1-name").click()  # leave the last field: "change" runs the pre-check
    expect(page.get_by_test_id("precheck")).to_contain_text("S1.2")
    expect(page.get_by_test_id("precheck-result")).to_contain_text(zh("Eligible"))
    page.get_by_role("button", name=zh("Open the case")).click()
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Draft"))

    upload(page, "id_card")
    upload(page, "lease_filing_certificate")
    act(page, zh("Accept (受理)"))
    act(page, zh("Start review"))
    accept(page, "id_card")
    accept(page, "lease_filing_certificate")
    act(page, zh("Request documents (补正)"), "请补交无房证明")
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Waiting for documents"))
    upload(page, "no_home_proof")
    act(page, zh("Documents received"))
    accept(page, "no_home_proof")
    act(page, zh("Forward for approval"))
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Pending approval"))
    sign_out(page)

    sign_in(page, base, "supervisor")
    case = Case.objects.get(kind="settlement")
    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.get_by_test_id("members")).to_contain_text("王小宝")
    act(page, zh("Approve"))
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Approved"))
    sign_out(page)

    sign_in(page, base, "officer")
    page.goto(f"{base}/cases/{case.pk}/")
    act(page, zh("Complete (办结)"))
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Completed"))
    page.get_by_test_id("printed-document-settlement_approval").click()
    page.get_by_test_id("issue-button").click()
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text(zh("Notice of approval of settlement (准予落户通知书)"))
    expect(notice).to_contain_text("王小宝")
    expect(notice).to_contain_text("S1.2")
    number = IssuedDocument.objects.get(case__kind="settlement", kind="settlement_approval").number
    expect(page.get_by_test_id("document-number")).to_have_text(number)

    # Days later: the completed case is in no working queue, but the header search finds it
    # by its number, and its notice reprints with the same document number.
    page.goto(f"{base}/")
    box = page.get_by_test_id("header-search")
    box.get_by_role("searchbox").fill(Case.objects.get(kind="settlement").reference)
    box.get_by_role("button").click()
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Completed"))
    page.get_by_test_id("printed-document-settlement_approval").click()
    expect(page.get_by_test_id("document-number")).to_have_text(number)
    expect(page.get_by_test_id("document-draft")).to_have_count(0)
    expect(page.get_by_test_id("print-button")).to_be_visible()
    assert IssuedDocument.objects.filter(case__kind="settlement").count() == 1

    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert sorted(e.clause for e in HukouEntry.objects.filter(case=case)) == ["S1.2", "S6.1"]
    assert csp_violations == []
