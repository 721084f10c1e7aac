"""In Chromium with a fake camera: an officer takes the applicant's photo through the counter's
camera page (getUserMedia, no plug-in) from the permit case that needs it; the case goes on
without asking for the photo again, and the person's page and the e-permit card show it.

The browser is started with ``--use-fake-ui-for-media-stream`` (the camera prompt is answered
yes) and ``--use-fake-device-for-media-stream`` (Chromium's test pattern is the camera). Pages
are looked at 1024 and 1400 px wide (the card at 375 px too: it is shown to residents);
screenshots go to ``$SCREENSHOTS_DIR`` when it is set."""

import datetime as dt
import os

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from hukou_portal.accounts.roles import Role
from hukou_portal.casework import services as case_services
from hukou_portal.casework.models import Case
from hukou_portal.people.models import Area, PersonPhoto
from hukou_portal.people.services import person_create
from permits.models import ResidencePermit
from registration.services import registration_record_elsewhere
from settlement.eligibility import add_months
from tests.browser.test_crawler_browser import _problems
from tests.browser.test_settlement_browser import accept, act, sign_in, upload
from tests.helpers import make_office_tree, make_user, valid_id_number, zh
from tests.permits.factories import declare

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAKE_CAMERA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
OVERFLOW_JS = "() => document.documentElement.scrollWidth - window.innerWidth"
IMAGE_SIZE_JS = "image => [image.complete, image.naturalWidth, image.naturalHeight]"


@pytest.fixture
def camera_page(browser_type, browser_type_launch_args, browser_context_args):
    """A page of a Chromium whose camera is the fake device (only this test's browser)."""
    args = {**browser_type_launch_args, "args": [*browser_type_launch_args.get("args", []), *FAKE_CAMERA]}
    browser = browser_type.launch(**args)
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.csp_violations = violations  # type: ignore[attr-defined]
    yield page
    context.close()
    browser.close()


@pytest.fixture
def application(transactional_db):
    """周小燕, registered in 吴兴区 for two months after a year in Hangzhou, applies for a permit
    (R3.2, continuous schooling) at 月河: accepted, in review, her ID card and enrolment proof
    checked — and no photo, neither on file nor uploaded."""
    today = timezone.localdate()
    offices = make_office_tree()
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor")
    TOTPDevice.objects.create(user=supervisor, name="phone", confirmed=True)
    person = person_create(actor=officer, id_number=valid_id_number(sequence=717), name="周小燕")
    registration_record_elsewhere(
        actor=officer,
        person=person,
        region_code="330106",
        address="杭州市西湖区文三路 1 号",
        started_on=add_months(today, -14),
        ended_on=add_months(today, -2) - dt.timedelta(days=1),
    )
    declare(officer, person, accepted_on=add_months(today, -2))
    wuxing = Area.objects.get(code="330502")
    case = case_services.case_create(
        actor=officer,
        kind="permit_application",
        category="continuous_schooling",
        applicant=person,
        details={"area": wuxing, "school": "湖州市第一中学", "school_area": wuxing},
    )
    for step in ("submit", "start_review"):
        getattr(case_services, f"case_{step}")(case_id=case.pk, actor=officer, expected_version=None)
    return {"case": case, "person": person, "supervisor": supervisor}


def shoot(page: Page, name: str, widths: tuple[int, ...] = (1024, 1400)) -> list[str]:
    """At each width: what reads wrong, what is wider than the window; a screenshot if asked."""
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(100)  # the layout settles at the new width
        problems += _problems(page, f"{name} @{width}")
        overflow = page.evaluate(OVERFLOW_JS)
        if overflow > 0:
            problems.append(f"{name} @{width}: {overflow}px wider than the window")
        if os.environ.get("SCREENSHOTS_DIR"):
            page.screenshot(path=os.path.join(os.environ["SCREENSHOTS_DIR"], f"{name}-{width}.png"), full_page=True)
    return problems


def test_a_photo_taken_with_the_counter_camera_is_used_again_without_asking(camera_page, live_server, application):
    page, base = camera_page, live_server.url
    case, person = application["case"], application["person"]
    problems: list[str] = []
    page.set_viewport_size({"width": 1400, "height": 900})

    sign_in(page, base, "officer")
    page.goto(f"{base}/people/{person.pk}/")
    expect(page.get_by_test_id("photo-block")).to_contain_text(zh("No photo yet"))
    expect(page.get_by_test_id("take-photo")).to_have_text(zh("Take a photo"))
    problems += shoot(page, "person-without-photo")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{base}/cases/{case.pk}/")
    for code in ("id_card", "enrolment_proof"):
        upload(page, code)
        accept(page, code)
    # The photo is the one document missing; the officer takes it here, at the counter.
    expect(page.get_by_test_id("checklist-photo")).to_contain_text(zh("Missing"))
    page.get_by_test_id("take-photo-for-case").click()

    expect(page.get_by_test_id("camera-status")).to_have_text(
        zh("Put the face inside the frame, then press “Take photo”.")
    )
    expect(page.get_by_test_id("shoot")).to_be_enabled()
    problems += shoot(page, "photo-capture-live")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.get_by_role("button", name=zh("Take photo"), exact=True).click()
    expect(page.get_by_test_id("photo-still")).to_be_visible()
    expect(page.get_by_test_id("camera-status")).to_have_text(zh("Photo taken. Save it, or take it again."))
    # The still went into the form's file input, as a JPEG, and is marked as the camera's.
    chosen = page.eval_on_selector(
        "input[name=photo]", "input => [input.files.length, input.files[0].type, input.files[0].size]"
    )
    assert chosen[0] == 1 and chosen[1] == "image/jpeg" and chosen[2] > 1000, chosen
    assert page.input_value("input[name=source]") == "webcam"
    problems += shoot(page, "photo-capture-taken")
    page.get_by_test_id("save-photo").click()

    # Back on the case: the photo is on file, not asked for, and the case can go on.
    expect(page).to_have_url(f"{base}/cases/{case.pk}/")
    photo = PersonPhoto.objects.get(person=person)
    assert photo.source == "webcam" and photo.taken_by.username == "officer"
    day = timezone.localtime(photo.taken_at).date().isoformat()
    expect(page.get_by_test_id("on-file-photo")).to_contain_text(zh("Photo on file (%(day)s)") % {"day": day})
    assert page.locator("select[name=requirement] option[value=photo]").count() == 0
    problems += shoot(page, "case-photo-on-file")
    act(page, zh("Forward for approval"))
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Pending approval"))

    # The person's page shows the photo (a real 358×441 picture) and its history.
    page.goto(f"{base}/people/{person.pk}/")
    image = page.get_by_test_id("photo-block").get_by_test_id("person-photo-image")
    expect(image).to_be_visible()
    assert image.evaluate(IMAGE_SIZE_JS) == [True, 358, 441]
    expect(page.get_by_test_id("photo-block")).to_contain_text(zh("Take a new photo"))
    page.get_by_test_id("photo-history").locator("summary").click()
    expect(page.get_by_test_id("photo-history-row")).to_contain_text(zh("Current photo"))
    problems += shoot(page, "person-with-photo")

    # Approved and completed: the e-permit card shows the same photo, nobody asked for it again.
    case_services.case_approve(
        case_id=case.pk, actor=application["supervisor"], expected_version=None, justification="条件符合"
    )
    page.goto(f"{base}/cases/{case.pk}/")
    act(page, zh("Complete (办结)"))
    permit = ResidencePermit.objects.get(case=case)
    page.goto(f"{base}/permits/{permit.pk}/card/")
    card_image = page.get_by_test_id("permit-card-photo").get_by_test_id("person-photo-image")
    expect(card_image).to_be_visible()
    assert card_image.evaluate(IMAGE_SIZE_JS) == [True, 358, 441]
    assert card_image.get_attribute("src") == f"/people/{person.pk}/photos/{photo.pk}.jpg"
    problems += shoot(page, "permit-card", widths=(375, 1024, 1400))

    assert Case.objects.get(pk=case.pk).documents.filter(requirement="photo").count() == 0
    assert PersonPhoto.objects.filter(person=person).count() == 1
    assert page.csp_violations == []  # type: ignore[attr-defined]
    assert problems == [], "\n".join(problems)


def test_the_camera_page_says_what_to_do_when_there_is_no_camera(page: Page, live_server, application, csp_violations):
    """Without the fake camera (the other tests' browser has none): the page says so, and the
    upload still works."""
    base, person = live_server.url, application["person"]
    page.set_viewport_size({"width": 1024, "height": 900})
    sign_in(page, base, "officer")
    page.goto(f"{base}/people/{person.pk}/photo/")
    status = page.get_by_test_id("camera-status")
    expect(status).not_to_have_text(zh("Starting the camera…"))
    assert status.inner_text() in {
        zh("No camera was found. Connect one, or upload a photo file."),
        zh("The browser was not allowed to use the camera. Allow the camera for this site, or upload a photo file."),
    }
    from tests.people import photo_files

    page.locator("input[name=photo]").set_input_files(
        {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": photo_files.jpeg((900, 1200))}
    )
    page.get_by_test_id("save-photo").click()
    expect(page).to_have_url(f"{base}/people/{person.pk}/")
    expect(page.get_by_test_id("photo-block").get_by_test_id("person-photo-image")).to_be_visible()
    assert PersonPhoto.objects.get(person=person).source == "upload"
    assert csp_violations == []
