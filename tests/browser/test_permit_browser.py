"""In Chromium: declare a registration, apply for a permit, approve it, open the e-permit and
verify its QR code's token on the public page, signed out."""

import datetime as dt
import io

import pytest
import qrcode
import qrcode.image.svg
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from hukou_portal.accounts.roles import Role
from hukou_portal.people.models import Town
from hukou_portal.people.services import person_create
from permits.models import ResidencePermit
from registration.services import registration_record_elsewhere
from settlement.eligibility import add_months
from tests.browser.test_settlement_browser import accept, act, sign_in, sign_out, upload
from tests.helpers import make_office_tree, make_user, valid_id_number, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db):
    offices = make_office_tree()
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor")
    TOTPDevice.objects.create(user=supervisor, name="phone", confirmed=True)
    applicant = person_create(actor=officer, id_number=valid_id_number(sequence=717), name="周小燕")
    return officer, supervisor, applicant


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=6).save(buffer)
    return buffer.getvalue()


def test_declare_apply_approve_and_verify_the_e_permit(page: Page, live_server, people, csp_violations):
    officer, _supervisor, applicant = people
    base = live_server.url
    town = Town.objects.get(area__code="330502", name="月河街道")
    moved_in = add_months(timezone.localdate(), -7)
    # Registration time is the time registered (R1.4): seven months in Hangzhou, up to yesterday,
    # recorded as evidence; the declaration made today continues it.
    registration_record_elsewhere(
        actor=officer,
        person=applicant,
        region_code="330106",
        address="杭州市西湖区文三路 1 号",
        started_on=moved_in,
        ended_on=timezone.localdate() - dt.timedelta(days=1),
    )

    sign_in(page, base, "officer")
    page.goto(f"{base}/cases/new/residence_declaration/")
    page.locator("#id_category").select_option("rented")
    page.locator("#id_applicant_id_number").fill(applicant.id_number)
    page.locator("#id_details-town").select_option(str(town.pk))
    page.locator("#id_details-address").fill("红旗路 5 号")
    page.locator("#id_details-lived_since").fill(moved_in.isoformat())
    page.get_by_role("button", name=zh("Open the case")).click()
    upload(page, "id_card")
    upload(page, "lease")
    act(page, zh("Accept (受理)"))
    act(page, zh("Start review"))
    accept(page, "id_card")
    accept(page, "lease")
    page.get_by_test_id("case-actions").get_by_role("link", name=zh("Approve"), exact=True).click()
    page.get_by_test_id("action-form").get_by_role("button").first.click()
    act(page, zh("Complete (办结)"))
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Completed"))

    page.goto(f"{base}/cases/new/permit_application/")
    page.locator("#id_category").select_option("continuous_schooling")
    page.locator("#id_applicant_id_number").fill(applicant.id_number)
    page.locator("#id_details-area").select_option(label="吴兴区")
    page.locator("#id_details-school").fill("湖州市第一中学")
    page.locator("#id_details-school_area").select_option(label="吴兴区")
    page.get_by_role("button", name=zh("Open the case")).click()
    for code in ("id_card", "photo", "enrolment_proof"):
        upload(page, code)
    act(page, zh("Accept (受理)"))
    act(page, zh("Start review"))
    for code in ("id_card", "photo", "enrolment_proof"):
        accept(page, code)
    expect(page.get_by_test_id("conditions-met")).to_be_visible()
    act(page, zh("Forward for approval"))
    case_url = page.url
    sign_out(page)

    sign_in(page, base, "supervisor")
    page.goto(case_url)
    act(page, zh("Approve"))
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Approved"))
    sign_out(page)

    sign_in(page, base, "officer")
    page.goto(case_url)
    act(page, zh("Complete (办结)"))
    page.get_by_test_id("issued-permit").click()
    expect(page.get_by_test_id("permit-qr")).to_be_visible()
    verify_url = page.get_by_test_id("verify-link").get_attribute("href")
    permit = ResidencePermit.objects.get(holder=applicant)
    assert verify_url.endswith(f"/verify/{permit.token}")
    # The QR code on the page encodes exactly this verification address.
    served = page.request.get(f"{base}/permits/{permit.pk}/qr.svg").body()
    assert served == qr_svg(verify_url)
    sign_out(page)

    page.goto(verify_url)
    result = page.get_by_test_id("verify-result")
    expect(result).to_contain_text(zh("Valid"))
    expect(page.locator("main")).to_contain_text(applicant.masked_id_number)
    expect(page.locator("main")).not_to_contain_text(applicant.id_number)
    assert permit.issued_on == timezone.localdate() and permit.endorsed_until > permit.issued_on + dt.timedelta(
        days=300
    )
    assert csp_violations == []
