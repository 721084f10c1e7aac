"""In Chromium at 1024 and 1400 px: the settlement pages of issue 11 — a lease in another town
at intake, a person already settled, what changed since intake on the case page and the
approve page, a justified approval with its family, a completed settlement with the
registration and permit it ended, the person's file, and S2.2 for the spouse's child — read as
Chinese, with no Python value, internal code or bare area code, and nothing wider than the
window. Screenshots go to ``$SCREENSHOTS_DIR`` when it is set (to look at them)."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from hukou_portal.accounts.roles import Role
from hukou_portal.casework import services as case_services
from hukou_portal.people.services import person_create
from permits import services as permit_services
from settlement.eligibility import add_months
from tests.browser.test_crawler_browser import _problems
from tests.browser.test_permit_pages_browser import look
from tests.browser.test_settlement_browser import sign_in, sign_out
from tests.helpers import make_office_tree, make_user, valid_id_number, zh
from tests.permits.factories import declare
from tests.settlement.test_policy_to_the_letter import forward, open_case, rental, town

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHILD = valid_id_number(birth_date=dt.date(2016, 5, 20), sequence=246)
OTHER_CHILD = valid_id_number(birth_date=dt.date(2017, 8, 9), sequence=248)
SON = valid_id_number(birth_date=dt.date(1990, 5, 20), sequence=247)


class Staff:
    def __init__(self, officer, supervisor):  # type: ignore[no-untyped-def]
        self.officer, self.supervisor = officer, supervisor


@pytest.fixture
def world(transactional_db):
    today = timezone.localdate()
    offices = make_office_tree()
    staff = Staff(
        make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer"),
        make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor"),
    )
    TOTPDevice.objects.create(user=staff.supervisor, name="phone", confirmed=True)
    filed = add_months(today, -8).isoformat()

    def person(sequence: int, name: str):  # type: ignore[no-untyped-def]
        return person_create(actor=staff.officer, id_number=valid_id_number(sequence=sequence), name=name)

    # A completed rental settlement with a child: registration and permit ended that day.
    settled = person(801, "王一")
    declare(staff.officer, settled, accepted_on=today - dt.timedelta(days=300))
    permit_services.permit_issue(
        holder=settled, office=offices.yuehe, area_code="330502", issued_on=today - dt.timedelta(days=250),
        endorsed_until=add_months(today, 4), case=None,
    )  # fmt: skip
    done = forward(
        open_case(staff, settled, family=[("王小宝", CHILD, "child", "unmarried")], **rental(filed_on=filed)), staff
    )
    case_services.case_approve(case_id=done.pk, actor=staff.supervisor, expected_version=None)
    case_services.case_complete(case_id=done.pk, actor=staff.officer, expected_version=None)

    # An S5.1 case whose permit was cancelled after intake, waiting for approval.
    holder = person(802, "王二")
    declare(staff.officer, holder, accepted_on=today - dt.timedelta(days=300))
    permit = permit_services.permit_issue(
        holder=holder, office=offices.yuehe, area_code="330502", issued_on=today - dt.timedelta(days=250),
        endorsed_until=add_months(today, 4), case=None,
    )  # fmt: skip
    changed = forward(
        open_case(
            staff, holder, category="permit", permit_issuer_area="330502", permit_issued_on=permit.issued_on,
            permit_held_since=permit.held_since, permit_valid="on",
        ),
        staff,
    )  # fmt: skip
    with transaction.atomic():
        permit_services.permits_cancel_for_registration(person=holder, actor=staff.officer, case=changed)

    # A justified approval: the lease filed a month ago, a minor child and a married son.
    justified_applicant = person(803, "王三")
    justified = forward(
        open_case(
            staff, justified_applicant,
            family=[("王小三", OTHER_CHILD, "child", "unmarried"), ("王大", SON, "child", "married")],
            **rental(filed_on=add_months(today, -1).isoformat()),
        ),
        staff,
    )  # fmt: skip

    # S2.2: the child of the host's spouse, lease in another town than the one of settlement.
    joining = person(804, "王四")
    s22 = open_case(
        staff, joining, category="relatives", host_relation="spouse_child", host_area="330502",
        host_has_urban_stable_residence="on",
    )  # fmt: skip
    other_town = open_case(staff, person(805, "王五"), **rental(lease_town="织里镇", filed_on=filed))
    return {
        "done": done,
        "settled": settled,
        "changed": changed,
        "justified": justified,
        "s22": s22,
        "other_town": other_town,
        "filed": filed,
    }


def test_settlement_pages_of_issue_11_read_as_chinese_at_both_widths(page: Page, live_server, world, csp_violations):
    base = live_server.url
    problems: list[str] = []

    sign_in(page, base, "officer")
    problems += look(page, base, f"/cases/{world['done'].pk}/", "settlement-completed")
    expect(page.get_by_test_id("hukou-entries")).to_contain_text("王小宝")
    expect(page.get_by_test_id("hukou-entries")).to_contain_text(zh("Floating-population records ended"))
    problems += look(page, base, f"/people/{world['settled'].pk}/", "person-file-settled")
    expect(page.get_by_test_id("file-hukou")).to_contain_text(zh("residence permit %(number)s cancelled").split(" ")[0])
    problems += look(page, base, f"/cases/{world['changed'].pk}/", "settlement-facts-changed")
    expect(page.get_by_test_id("facts-changed")).to_contain_text(zh("Cancelled"))
    problems += look(page, base, f"/cases/{world['other_town'].pk}/", "settlement-lease-other-town")
    expect(page.get_by_test_id("route-S1.2")).to_contain_text("织里镇")
    problems += look(page, base, f"/cases/{world['s22'].pk}/", "settlement-spouse-child")
    expect(page.get_by_test_id("route-S2.2")).to_contain_text(zh("Spouse's child"))

    # Intake: the settled person is named at once; a lease in 织里镇 for 月河街道 fails S1.2.
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{base}/cases/new/settlement/")
    page.locator("#id_category").select_option("rental")
    expect(page.get_by_test_id("intake-facts")).to_have_attribute("data-category", "rental")
    page.locator("#id_applicant_id_number").fill(world["settled"].id_number)
    page.locator("#id_details-town").select_option(str(town("月河街道").pk))
    page.locator("#id_details-address").fill("红旗路 8 号")
    page.locator("#id_details-community").fill("红旗社区")  # the community household of S1.2
    page.locator("#id_details-marital_status").select_option("married")
    page.locator("#id_details-lease_private_housing").check()
    page.locator("#id_details-lease_town").select_option(str(town("织里镇").pk))
    page.locator("#id_details-lease_filed_on").fill(world["filed"])
    page.locator("#id_details-family-0-name").click()
    expect(page.get_by_test_id("applicant-settled")).to_be_visible()
    expect(page.locator('[data-check="lease_town"]')).to_contain_text("织里镇")
    problems += _problems(page, "settlement intake with a settled applicant")
    page.get_by_role("button", name=zh("Open the case")).click()
    refusal = zh(
        "%(who)s already has a hukou in Huzhou (registered on %(day)s in %(town)s, case %(case)s): "
        "a person settles only once."
    )
    expect(page.locator("main")).to_contain_text(refusal.split("：")[-1])  # 每人只能落户一次。
    problems += _problems(page, "settlement intake refused")
    sign_out(page)

    sign_in(page, base, "supervisor")
    problems += look(page, base, f"/cases/{world['changed'].pk}/actions/approve/", "settlement-approve-changed")
    expect(page.get_by_test_id("facts-changed")).to_contain_text(zh("Residence permit"))
    problems += look(page, base, f"/cases/{world['justified'].pk}/actions/approve/", "settlement-approve-justified")
    expect(page.get_by_test_id("family-on-justification")).to_contain_text(
        "王小三：" + zh("Minor child: may move with the applicant.")
    )
    expect(page.get_by_test_id("family-on-justification")).to_contain_text("王大：")

    assert csp_violations == []
    assert problems == [], "\n".join(problems)
