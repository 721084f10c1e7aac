"""In Chromium at 1024 and 1400 px: the permit and case pages of issue 11 — the evidence each
condition was checked against, a conversion across Huzhou, a permit converted, a permit
re-endorsed after a lapse, a case held by another area's office, a declaration's stated day —
read as Chinese, with no Python value, internal code or bare area code, and nothing wider than
the window. Screenshots go to ``$SCREENSHOTS_DIR`` when it is set (to look at them)."""

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from hukou_portal.accounts.roles import Role
from hukou_portal.casework import services as case_services
from hukou_portal.people.models import Area, Town
from hukou_portal.people.services import person_create
from permits import services as permit_services
from permits.models import ResidencePermit
from registration.services import lease_filing_record, registration_record_elsewhere
from settlement.eligibility import add_months
from tests.browser.test_crawler_browser import _problems
from tests.browser.test_settlement_browser import sign_in, sign_out
from tests.helpers import make_office_tree, make_user, valid_id_number, zh
from tests.permits.factories import apply_for_permit, convert, declare, move_registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1024, 1400)
OVERFLOW_JS = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def world(transactional_db):
    today = timezone.localdate()
    offices = make_office_tree()
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    supervisor = make_user(offices.wuxing, Role.SUPERVISOR, username="supervisor")
    nanxun_officer = make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nanxun_officer")
    nanxun_supervisor = make_user(offices.nanxun, Role.SUPERVISOR, username="nanxun_supervisor")
    nanxun_town = Town.objects.get(area__code="330503", name="南浔镇")

    def holder(sequence: int, name: str):  # type: ignore[no-untyped-def]
        person = person_create(actor=officer, id_number=valid_id_number(sequence=sequence), name=name)
        registration_record_elsewhere(
            actor=officer,
            person=person,
            region_code="330106",
            address="杭州市西湖区文三路 1 号",
            started_on=add_months(today, -14),
            ended_on=add_months(today, -2) - dt.timedelta(days=1),
        )
        declare(officer, person, accepted_on=add_months(today, -2), lived_since=add_months(today, -30))
        return person

    def wuxing_permit(person):  # type: ignore[no-untyped-def]
        return permit_services.permit_issue(
            holder=person,
            office=offices.yuehe,
            area_code="330502",
            issued_on=today - dt.timedelta(days=200),
            endorsed_until=add_months(today - dt.timedelta(days=200), 12),
            case=None,
        )

    # A: a 吴兴 holder who moved to 南浔 and converted (completed).
    moved = holder(701, "王一")
    old = wuxing_permit(moved)
    move_registration(officer, moved, town=nanxun_town, on=today - dt.timedelta(days=3))
    done = convert(
        nanxun_officer,
        moved,
        area="330503",
        other_permit_number=old.number,
        other_permit_region="330502",
        other_permit_valid_until=old.endorsed_until,
    )
    case_services.case_approve(case_id=done.pk, actor=nanxun_supervisor, expected_version=None)
    case_services.case_complete(case_id=done.pk, actor=nanxun_officer, expected_version=None)

    # B: the same move, the conversion still open, with evidence in and out of the area.
    moving = holder(702, "王二")
    held = wuxing_permit(moving)
    move_registration(officer, moving, town=nanxun_town, on=today - dt.timedelta(days=3))
    lease_filing_record(
        actor=officer,
        filing_number="HZZL-NX-0001",
        filed_on=today - dt.timedelta(days=60),
        town=nanxun_town,
        address="南浔镇人瑞路 8 号",
        housing="private",
        landlord="房东",
        tenant=moving,
        term_start=today - dt.timedelta(days=60),
        term_end=add_months(today, 12),
    )
    open_case = case_services.case_create(
        actor=nanxun_officer,
        kind="permit_conversion",
        category="stable_residence",
        applicant=moving,
        details={
            "area": Area.objects.get(code="330503"),
            "lease_filing_number": "HZZL-NX-0001",
            "employment_evidence": "labour_contract",
            "employer": "吴兴某某有限公司",
            "employer_area": Area.objects.get(code="330502"),
            "school": "湖州市第一中学",
            "school_area": Area.objects.get(code="330502"),
            "other_permit_number": held.number,
            "other_permit_region": "330502",
            "other_permit_valid_until": held.endorsed_until,
        },
    )

    # C: a permit re-endorsed after a lapse.
    lapsed_holder = holder(703, "王三")
    lapsed = permit_services.permit_issue(
        holder=lapsed_holder,
        office=offices.yuehe,
        area_code="330502",
        issued_on=today - dt.timedelta(days=400),
        endorsed_until=today - dt.timedelta(days=20),
        case=None,
    )
    permit_services.permit_endorse(actor=officer, permit_id=lapsed.pk)

    # D: 月河 took an application for 南浔 (to be transferred before it is decided).
    elsewhere_case = apply_for_permit(officer, supervisor, holder(704, "王四"), area="330503", school="南浔中学")

    return {
        "officer": officer,
        "nanxun_officer": nanxun_officer,
        "done": done,
        "open_case": open_case,
        "old": old,
        "new": ResidencePermit.objects.get(case=done),
        "lapsed": lapsed,
        "elsewhere_case": elsewhere_case,
        "declaration": moved.cases.filter(kind="residence_declaration").get(),
    }


def look(page: Page, base: str, path: str, name: str) -> list[str]:
    """Open ``path`` at each width; the problems found (and screenshots when asked for)."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        problems += _problems(page, f"{path} @{width}")
        overflow = page.evaluate(OVERFLOW_JS)
        if overflow > 0:
            problems.append(f"{path} @{width}: {overflow}px wider than the window")
        if os.environ.get("SCREENSHOTS_DIR"):
            page.screenshot(path=os.path.join(os.environ["SCREENSHOTS_DIR"], f"{name}-{width}.png"), full_page=True)
    return problems


def test_permit_and_case_pages_read_as_chinese_at_both_widths(page: Page, live_server, world, csp_violations):
    base = live_server.url
    problems: list[str] = []

    sign_in(page, base, "nanxun_officer")
    problems += look(page, base, f"/cases/{world['open_case'].pk}/", "conversion-open")
    expect(page.get_by_test_id("conditions")).to_contain_text(zh("%(evidence)s — used").split("%(evidence)s")[1])
    expect(page.get_by_test_id("conditions")).to_contain_text(zh("not in the area applied to"))
    problems += look(page, base, f"/cases/{world['done'].pk}/", "conversion-done")
    problems += look(page, base, f"/permits/{world['new'].pk}/", "permit-converted-into")
    problems += look(page, base, "/cases/new/permit_conversion/", "conversion-intake")
    # A half-entered piece of evidence: the form says what is missing, in Chinese.
    page.locator("#id_details-school").fill("南浔中学")
    page.get_by_role("button", name=zh("Open the case")).click()
    expect(page.get_by_test_id("permit-intake")).to_contain_text(zh("Choose the county-level area of the school."))
    problems += _problems(page, "conversion intake with errors")
    sign_out(page)

    sign_in(page, base, "officer")
    problems += look(page, base, f"/permits/{world['old'].pk}/", "permit-converted")
    expect(page.get_by_test_id("permit-state")).to_contain_text(zh("Converted to a permit of another area"))
    problems += look(page, base, f"/permits/{world['lapsed'].pk}/", "permit-re-endorsed")
    expect(page.get_by_test_id("permit-held-since")).to_contain_text(
        zh("(re-endorsed after a lapse: holding time counts again from that day)")
    )
    problems += look(page, base, f"/cases/{world['elsewhere_case'].pk}/", "application-held-elsewhere")
    expect(page.get_by_test_id("permit-issuer")).to_contain_text("南浔区")
    problems += look(page, base, f"/cases/{world['declaration'].pk}/", "declaration")
    expect(page.get_by_test_id("lived-since")).to_be_visible()
    problems += look(page, base, "/cases/new/permit_application/", "application-intake")
    problems += look(page, base, "/permits/", "permit-list")

    assert csp_violations == []
    assert problems == [], "\n".join(problems)
