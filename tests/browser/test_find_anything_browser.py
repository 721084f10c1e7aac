"""Find anything in Chromium: a completed case is found again from the header search by its
number's tail; a full ID number is posted (never in the address bar) and opens the person;
the queue's filter bar keeps its labels and inputs aligned at 1024 and 1400 px."""

import pytest
from playwright.sync_api import Page, expect

from hukou_portal.accounts.roles import Role
from hukou_portal.casework.kinds import register, unregister
from hukou_portal.people.services import person_create
from tests.browser.demo import sign_in_as
from tests.casework.factories import TEST_KIND, drive, open_case, upload_all
from tests.helpers import TEST_PASSWORD, make_office_tree, make_user, valid_id_number, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    register(TEST_KIND)
    offices = make_office_tree()
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor")
    case = open_case(officer)
    upload_all(case, officer)
    case = drive(case, "completed", officer=officer, supervisor=supervisor)
    person = person_create(actor=officer, id_number=valid_id_number(sequence=246), name="李华")
    yield case, person
    unregister(TEST_KIND.code)


def sign_in(page: Page, base: str) -> None:
    """Password and code through the real pages (every account has a second factor)."""
    sign_in_as(page, base, "officer", TEST_PASSWORD)


def search(page: Page, text: str) -> None:
    box = page.get_by_test_id("header-search")
    box.get_by_role("searchbox").fill(text)
    box.get_by_role("button").click()


def test_a_completed_case_is_found_from_the_header_by_its_tail(page: Page, live_server, world, csp_violations):
    case, person = world
    sign_in(page, live_server.url)
    search(page, case.reference[-6:])
    expect(page).to_have_url(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Completed"))
    search(page, person.id_number)
    expect(page).to_have_url(f"{live_server.url}/people/{person.pk}/")
    assert person.id_number not in page.url
    assert csp_violations == []


@pytest.mark.parametrize("width", [1024, 1400])
def test_the_queue_filter_bar_is_aligned(page: Page, live_server, world, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/cases/all/")
    bar = page.get_by_test_id("list-filter")
    boxes = []
    for field in ("q", "status", "kind", "category", "office", "assigned_officer", "due_within"):
        label = bar.locator(f"label[for=id_{field}]").bounding_box()
        control = bar.locator(f"#id_{field}").bounding_box()
        assert label["y"] + label["height"] <= control["y"], field  # the label sits above its input
        boxes.append((label, control))
    # No two labels or inputs overlap (the 类别 select used to cover the 单位 label).
    rects = [rect for pair in boxes for rect in pair]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            overlap_x = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
            overlap_y = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
            assert overlap_x <= 0.5 or overlap_y <= 0.5, (a, b)
    # Inputs of one row start at the same height.
    tops = {round(control["y"]) for _, control in boxes if abs(control["y"] - boxes[0][1]["y"]) < 20}
    assert len(tops) == 1
    # The table fits the page: no cell wraps a case number.
    first_link = page.get_by_test_id("case-queue").get_by_role("link").first.bounding_box()
    assert first_link["height"] < 30
