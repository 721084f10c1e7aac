"""In Chromium: an officer issues the 受理回执 from the case page, its 打印 button opens the print
dialog (through the static script, under the CSP), and printed to PDF it is one A4 page without
the navigation bar."""

import re

import pytest
from playwright.sync_api import Page, expect

from hukou_portal.accounts.roles import Role
from hukou_portal.casework import services
from hukou_portal.casework.models import IssuedDocument
from tests.browser.test_settlement_browser import sign_in
from tests.casework.factories import open_case, upload_all
from tests.helpers import make_office_tree, make_user, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def accepted_case(transactional_db):
    from hukou_portal.casework.kinds import register, unregister
    from tests.casework.factories import TEST_KIND

    register(TEST_KIND)
    offices = make_office_tree()
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    case = open_case(officer)
    upload_all(case, officer)
    services.case_submit(case_id=case.pk, actor=officer, expected_version=None)
    yield case
    unregister(TEST_KIND.code)


def test_issue_and_print_the_receipt_on_one_a4_page(page: Page, live_server, accepted_case, csp_violations):
    base = live_server.url
    sign_in(page, base, "officer")
    page.goto(f"{base}/cases/{accepted_case.pk}/")
    page.get_by_test_id("printed-document-receipt").click()
    expect(page.get_by_test_id("document-draft")).to_be_visible()
    page.get_by_test_id("issue-button").click()

    number = IssuedDocument.objects.get(case=accepted_case).number
    expect(page.get_by_test_id("document-number")).to_have_text(number)
    expect(page.get_by_test_id("document-draft")).to_have_count(0)

    # The 打印 button calls window.print() from print.js (no inline script).
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_test_id("print-button").click()
    assert page.evaluate("window.__printed") == 1

    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_test_id("document-toolbar")).to_be_hidden()
    expect(page.get_by_test_id("document-seal")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) == 1  # one A4 page
    assert csp_violations == []
    assert zh("Acknowledgement receipt (受理回执)") in page.content()
