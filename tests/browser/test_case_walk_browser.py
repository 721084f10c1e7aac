"""A case walks from intake to approval in Chromium, with two users: officer and supervisor."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from hukou_portal.accounts.roles import Role
from hukou_portal.casework.kinds import register, unregister
from hukou_portal.casework.models import Case, Status
from hukou_portal.people.services import person_create
from tests.browser.demo import sign_in_as
from tests.casework.factories import TEST_KIND, png_bytes
from tests.helpers import TEST_PASSWORD, make_office_tree, make_user, valid_id_number, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db):
    register(TEST_KIND)
    offices = make_office_tree()
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor")
    TOTPDevice.objects.create(user=supervisor, name="phone", confirmed=True)
    applicant = person_create(actor=officer, id_number=valid_id_number(), name="王小明")
    yield officer, supervisor, applicant
    unregister(TEST_KIND.code)


def sign_in(page: Page, base: str, username: str) -> None:
    """Password and code through the real pages (every account has a second factor)."""
    sign_in_as(page, base, username, TEST_PASSWORD)


def act(page: Page, label: str) -> None:
    page.get_by_test_id("case-actions").get_by_role("link", name=label, exact=True).click()
    page.get_by_test_id("action-form").get_by_role("button").first.click()


def test_intake_to_approval_with_two_users(page: Page, live_server, people, csp_violations):
    officer, supervisor, applicant = people
    base = live_server.url

    sign_in(page, base, "officer")
    page.goto(f"{base}/cases/new/")
    page.get_by_role("link", name="测试业务").click()
    page.get_by_label(zh("Applicant's citizen ID number")).fill(applicant.id_number)
    page.get_by_role("button", name=zh("Open the case")).click()
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Draft"))

    upload = page.get_by_test_id("upload-form")
    for code in ["id_card", "photo"]:
        upload.locator("select[name=requirement]").select_option(code)
        upload.locator("input[type=file]").set_input_files(
            {"name": f"{code}.png", "mimeType": "image/png", "buffer": png_bytes()}
        )
        upload.get_by_role("button", name=zh("Upload")).click()
        expect(page.get_by_test_id("checklist")).to_contain_text(f"{code}.png")

    act(page, zh("Accept (受理)"))
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Accepted at the counter"))
    act(page, zh("Start review"))
    for code in ["id_card", "photo"]:
        row = page.get_by_test_id("checklist").locator("tr", has_text=f"{code}.png")
        row.get_by_role("button", name=zh("Accept", "document")).click()
        expect(page.get_by_test_id("checklist").locator("tr", has_text=f"{code}.png")).to_contain_text(
            zh("Accepted", "document")
        )
    act(page, zh("Forward for approval"))
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Pending approval"))
    page.get_by_role("button", name=zh("Sign out")).click()

    sign_in(page, base, "supervisor")
    page.goto(f"{base}/cases/queue/approval/")
    case = Case.objects.get()
    page.get_by_role("link", name=case.reference).click()
    act(page, zh("Approve"))
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Approved"))
    expect(page.get_by_test_id("timeline")).to_contain_text(zh("Forwarded for approval"))

    case.refresh_from_db()
    assert case.status == Status.APPROVED
    assert (case.reviewed_by, case.decided_by) == (officer, supervisor)
    assert csp_violations == []
