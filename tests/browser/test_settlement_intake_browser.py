"""The settlement intake in Chromium under a zh-CN browser locale (issue 9): an officer loads a
renter's records, the dates land in the date inputs as ISO and the pre-check counts their
months; switching the category shows only its facts and keeps what was typed; the pre-check
sits beside the form at 1024 px and below it on a narrow screen."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from hukou_portal.accounts.models import User
from hukou_portal.accounts.roles import Role
from hukou_portal.casework.views import applicant_reference
from hukou_portal.core.vocabulary import field_of
from hukou_portal.people.models import Town
from hukou_portal.people.services import person_create
from registration.services import lease_filing_record
from settlement.eligibility import add_months
from settlement.models import SettlementApplication
from tests.browser.test_settlement_browser import sign_in
from tests.helpers import make_office_tree, make_user, valid_id_number, zh
from tests.permits.factories import issue_permit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHILD = valid_id_number(birth_date=dt.date(2016, 5, 20), sequence=246)


@pytest.fixture
def renter(transactional_db):
    """A renter whose lease filing (8 months ago) and residence permit (7 months ago) are on record."""
    offices = make_office_tree()
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor")
    today = timezone.localdate()
    lease_day = add_months(today, -8) - dt.timedelta(days=3)
    permit_day = add_months(today, -7) - dt.timedelta(days=3)
    town = Town.objects.get(area__code="330502", name="月河街道")
    applicant = person_create(actor=officer, id_number=valid_id_number(birth_date=dt.date(1990, 1, 2)), name="王小明")
    lease_filing_record(
        actor=officer,
        filing_number="HZZL-BROWSER-1",
        filed_on=lease_day,
        town=town,
        address="红旗路 8 号 302 室",
        housing="private",
        landlord="李房东",
        tenant=applicant,
        term_start=lease_day,
        term_end=add_months(lease_day, 24),
    )
    noon = dt.datetime.combine(permit_day, dt.time(12), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(noon, tick=False):
        permit = issue_permit(officer, supervisor, applicant)
    assert permit.issued_on == permit_day
    return applicant, town, lease_day, permit_day


def months_shown(page: Page, check: str) -> int:
    """The months the pre-check counted for ``check`` (the first number after its label), once
    the pre-check of the category shows it (the answer for the category chosen before may still be
    on the page: it names the other categories' clauses too)."""
    with translation.override("zh-hans"):
        label = str(field_of("settlement", check).label)
    expect(page.get_by_test_id("precheck")).to_contain_text(label, use_inner_text=True)
    text = page.get_by_test_id("precheck").inner_text()
    found = re.search(re.escape(label) + r"\D*(\d+)", text)
    assert found, f"{label} not in the pre-check: {text}"
    return int(found.group(1))


def shown_groups(page: Page) -> list[str]:
    return page.locator("[data-testid=intake-facts] fieldset[data-group]").evaluate_all(
        "sets => sets.map(set => set.dataset.group)"
    )


def choose_category(page: Page, category: str) -> None:
    page.locator("#id_category").select_option(category)
    expect(page.get_by_test_id("intake-facts")).to_have_attribute("data-category", category)


def test_renter_records_prefill_iso_dates_and_the_precheck_counts_them(page: Page, live_server, renter, csp_violations):
    applicant, town, lease_day, permit_day = renter
    page.set_viewport_size({"width": 1024, "height": 900})
    sign_in(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/cases/new/settlement/")
    assert page.evaluate("navigator.language") == "zh-CN"

    choose_category(page, "rental")
    assert shown_groups(page) == ["lease"]
    page.locator("#id_applicant_id_number").fill(applicant.id_number)
    page.get_by_role("button", name=zh("Load the applicant's records")).click()
    expect(page.get_by_test_id("prefilled")).to_be_visible()
    lease_input = page.locator("#id_details-lease_filed_on")
    assert lease_input.get_attribute("type") == "date"
    expect(lease_input).to_have_value(lease_day.isoformat())  # the input kept it: Chromium drops 2026/05/19
    expect(page.locator("#id_details-lease_private_housing")).to_be_checked()

    page.locator("#id_details-town").select_option(str(town.pk))
    page.locator("#id_details-address").fill("红旗路 8 号 302 室")
    page.locator("#id_details-community").fill("红旗社区")  # the community household of S1.2
    page.locator("#id_details-marital_status").select_option("married")
    page.get_by_test_id("family").locator("#id_details-family-0-name").fill("王小宝")
    child_number = page.locator("#id_details-family-0-id_number")
    child_number.fill(CHILD)
    page.locator("#id_details-family-0-relation").select_option("child")
    page.locator("#id_details-family-0-marital_status").select_option("unmarried")
    page.locator("#id_details-family-1-name").click()
    expect(page.get_by_test_id("precheck")).to_contain_text("S1.2")
    expect(page.get_by_test_id("precheck-result")).to_have_text(re.compile(r"^\s*" + zh("Eligible")))
    assert months_shown(page, "lease_filing_months") == 8
    # The whole ID number is visible in its box, and the family labels read as a person's.
    assert child_number.evaluate("box => box.scrollWidth <= box.clientWidth")
    expect(page.get_by_test_id("family").locator("thead")).to_have_text(
        re.compile(zh("Full name") + r"\s*" + zh("Citizen ID number") + r"\s*" + zh("Relation"))
    )

    # S5.1: only its facts (and the household order), the permit's date from the records.
    choose_category(page, "permit")
    assert shown_groups(page) == ["permit", "household"]
    expect(page.locator("#id_details-lease_filed_on")).to_be_hidden()
    expect(page.locator("#id_details-education_level")).to_be_hidden()
    expect(page.locator("#id_details-permit_issued_on")).to_be_visible()
    expect(page.locator("#id_details-permit_issued_on")).to_have_value(permit_day.isoformat())
    expect(page.locator("#id_details-address")).to_have_value("红旗路 8 号 302 室")
    expect(child_number).to_have_value(CHILD)
    # The pre-check answers for the new category once its request returns (htmx): wait for it.
    expect(page.get_by_test_id("precheck")).to_contain_text("S5.1")
    expect(page.get_by_test_id("precheck-result")).to_have_text(re.compile(r"^\s*" + zh("Eligible")))
    assert months_shown(page, "permit_holding_months") == 7

    # Back to S1.2: the lease date is still there, and the case opens with it.
    choose_category(page, "rental")
    expect(page.locator("#id_details-lease_filed_on")).to_have_value(lease_day.isoformat())
    page.get_by_role("button", name=zh("Open the case")).click()
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Draft"))
    facts = SettlementApplication.objects.get().facts
    assert facts["person"]["lease"]["filed_on"] == lease_day.isoformat()
    assert "permits" not in facts["person"]  # S5.1's facts were not part of this application
    assert csp_violations == []


def test_intake_opened_for_the_applicant_keeps_its_dates(page: Page, live_server, renter, csp_violations):
    """The page opened with ?applicant=<signed reference> (as "load the records" of another kind's
    intake redirects) renders the records' dates itself (zh-hans: 2026/05/19)."""
    applicant, _town, lease_day, permit_day = renter
    sign_in(page, live_server.url, "officer")
    reference = applicant_reference(user=User.objects.get(username="officer"), person_id=applicant.pk)
    page.goto(f"{live_server.url}/cases/new/settlement/?applicant={reference}&category=permit")
    expect(page.get_by_test_id("prefilled")).to_be_visible()
    expect(page.locator("#id_details-permit_issued_on")).to_have_value(permit_day.isoformat())
    expect(page.locator("#id_applicant_id_number")).to_have_value(applicant.id_number)
    choose_category(page, "rental")
    expect(page.locator("#id_details-lease_filed_on")).to_have_value(lease_day.isoformat())
    assert csp_violations == []


def test_precheck_beside_the_form_when_wide_and_below_when_narrow(page: Page, live_server, renter, csp_violations):
    sign_in(page, live_server.url, "officer")
    page.set_viewport_size({"width": 1024, "height": 900})
    page.goto(f"{live_server.url}/cases/new/settlement/")
    form = page.get_by_test_id("intake-column").bounding_box()
    panel = page.locator(".intake-precheck").bounding_box()
    assert form and panel
    assert panel["x"] >= form["x"] + form["width"] and panel["width"] >= 350

    choose_category(page, "talent")
    assert shown_groups(page) == ["talent", "household"]
    expect(page.locator("#id_details-lease_filed_on")).to_be_hidden()

    page.set_viewport_size({"width": 800, "height": 900})
    form = page.get_by_test_id("intake-column").bounding_box()
    panel = page.locator(".intake-precheck").bounding_box()
    assert form and panel
    assert panel["y"] >= form["y"] + form["height"]
    assert csp_violations == []
