"""A talent (S3.1) settlement refused, in Chromium: the supervisor's reject page shows the
pre-check in words, and the 不予落户告知书 names only S3.1's failed conditions, each with what
was found and required, and the applicant's remedies (行政复议 within 60 days, 行政诉讼 within
6 months)."""

import datetime as dt

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from hukou_portal.accounts.roles import Role
from hukou_portal.casework.issued_documents import LAWSUIT_WITHIN_MONTHS, REVIEW_WITHIN_DAYS
from hukou_portal.casework.models import Case, Status
from hukou_portal.people.models import Town
from hukou_portal.people.services import person_create
from tests.browser.test_settlement_browser import sign_in, sign_out
from tests.helpers import make_office_tree, make_user, valid_id_number, zh
from tests.helpers import sign_in as client_sign_in
from tests.settlement.test_settlement_cases import open_rental_case, to_pending_approval

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def talent_case(transactional_db):
    """A talent case for an applicant with ordinary high school, no qualification, and a lease
    filed a month ago (so S1.2 fails too — and must not be named on the notice)."""
    offices = make_office_tree()
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor")
    TOTPDevice.objects.create(user=supervisor, name="phone", confirmed=True)
    applicant = person_create(actor=officer, id_number=valid_id_number(birth_date=dt.date(1995, 3, 2)), name="赵敏")
    town = Town.objects.get(area__code="330502", name="月河街道")
    case = open_rental_case(
        client_sign_in(Client(), officer),
        applicant,
        town,
        filed_on=(dt.date.today() - dt.timedelta(days=30)).isoformat(),
        category="talent",
        **{"details-education_level": "senior_secondary", "details-education_full_time": "on"},
    )
    staff = type("Staff", (), {"officer": officer, "supervisor": supervisor})
    return to_pending_approval(case, staff), supervisor


def test_the_s31_refusal_names_only_s31_and_the_remedies(page: Page, live_server, talent_case, csp_violations):
    case, _supervisor = talent_case
    base = live_server.url
    sign_in(page, base, "supervisor")
    page.goto(f"{base}/cases/{case.pk}/")
    page.get_by_test_id("case-actions").get_by_role("link", name=zh("Reject"), exact=True).click()
    # The reject page explains the pre-check: S3.1 first, its three alternatives grouped.
    route = page.get_by_test_id("route-S3.1")
    expect(route).to_contain_text("以下条件满足其一即可")
    expect(route).to_contain_text("普通高中，全日制")
    page.get_by_test_id("action-form").locator("textarea").first.fill("学历未达到中专及以上")
    page.get_by_test_id("action-form").get_by_role("button").first.click()
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Rejected"))
    sign_out(page)

    sign_in(page, base, "officer")
    page.goto(f"{base}/cases/{case.pk}/")
    page.get_by_test_id("printed-document-settlement_refusal").click()
    page.get_by_test_id("issue-button").click()
    clauses = page.get_by_test_id("notice-clauses")
    expect(clauses.locator("li")).to_have_count(1)
    expect(clauses).to_contain_text("S3.1")
    expect(clauses).to_contain_text("学历为普通高中，全日制（要求：中专（含职高、技校）及以上学历，全日制）")
    expect(clauses).to_contain_text("职业技能等级或专业技术职称为无")
    for other in ("S1.1", "S1.2", "S2.1", "S2.2", "S4.1", "S4.2", "S5.1", "租赁"):
        expect(clauses).not_to_contain_text(other)
    expect(clauses).not_to_contain_text("落户地在湖州市")  # met: not a reason for the refusal
    remedies = page.get_by_test_id("notice-remedies")
    expect(remedies).to_contain_text(f"{REVIEW_WITHIN_DAYS}日内")
    expect(remedies).to_contain_text("行政复议")
    expect(remedies).to_contain_text(f"{LAWSUIT_WITHIN_MONTHS}个月内")
    expect(remedies).to_contain_text("行政诉讼")
    expect(page.get_by_test_id("notice")).to_contain_text("学历未达到中专及以上")
    assert Case.objects.get(pk=case.pk).status == Status.REJECTED
    assert csp_violations == []
