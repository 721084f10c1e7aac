"""The case queue as a list: deadline order (overdue first, none last, then newest), the 全部
tab, status and number search over every state, ?due_within=N working days, Chinese labels,
and another office's cases never listed."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from hukou_portal.accounts.roles import Role
from hukou_portal.casework.models import Case, Status
from tests.casework.factories import drive, open_case, upload_all
from tests.helpers import make_user, sign_in, zh

TODAY = dt.date(2026, 10, 20)  # a Tuesday; the 2026 calendar is published


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def officer(staff, officer_client):
    return officer_client


def _pks(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [case.pk for case in response.context["page"]]


def _case(staff, status: str, sequence: int, deadline: dt.date | None = None) -> Case:  # type: ignore[no-untyped-def]
    case = open_case(staff.officer, sequence=sequence)
    if status != "draft":
        upload_all(case, staff.officer)
    case = drive(case, status, officer=staff.officer, supervisor=staff.supervisor)
    if deadline is not None or status == "draft":
        Case.objects.filter(pk=case.pk).update(deadline=deadline)
    return Case.objects.get(pk=case.pk)


def test_default_order_is_deadline_overdue_first_no_deadline_last_then_newest(staff, officer):
    late = _case(staff, "in_review", 101, TODAY - dt.timedelta(days=3))
    soon_old = _case(staff, "submitted", 102, TODAY + dt.timedelta(days=2))
    soon_new = _case(staff, "in_review", 103, TODAY + dt.timedelta(days=2))
    later = _case(staff, "submitted", 104, TODAY + dt.timedelta(days=9))
    draft_old = _case(staff, "draft", 105)
    draft_new = _case(staff, "draft", 106)
    with time_machine.travel(at(TODAY), tick=False):
        response = officer.get("/cases/")
    assert _pks(response) == [late.pk, soon_new.pk, soon_old.pk, later.pk, draft_new.pk, draft_old.pk]
    assert 'aria-sort="ascending"' in response.content.decode()
    with time_machine.travel(at(TODAY), tick=False):
        reverse = officer.get("/cases/", {"sort": "-deadline"})
    assert _pks(reverse) == [draft_old.pk, draft_new.pk, later.pk, soon_old.pk, soon_new.pk, late.pk]


def test_paging_the_queue_over_equal_deadlines(staff, officer):
    same_day = TODAY + dt.timedelta(days=1)
    cases = [_case(staff, "submitted", 200 + i, same_day) for i in range(4)]
    from hukou_portal.casework import views

    original = views.list_table

    def small_pages(*args, **kwargs):  # type: ignore[no-untyped-def]
        return original(*args, per_page=3, **kwargs)

    views.list_table = small_pages
    try:
        with time_machine.travel(at(TODAY), tick=False):
            first = officer.get("/cases/")
            second = officer.get("/cases/", {"cursor": first.context["page"].next_cursor})
            back = officer.get("/cases/", {"cursor": second.context["page"].previous_cursor})
    finally:
        views.list_table = original
    newest_first = [case.pk for case in reversed(cases)]
    assert _pks(first) + _pks(second) == newest_first
    assert _pks(back) == _pks(first)


def test_the_all_tab_lists_every_state(staff, officer):
    made = {status: _case(staff, status, 300 + i) for i, status in enumerate(["completed", "draft", "in_review"])}
    made["withdrawn"] = drive(
        open_case(staff.officer, sequence=310), "withdrawn", officer=staff.officer, supervisor=None
    )
    response = officer.get("/cases/all/")
    assert set(_pks(response)) == {case.pk for case in made.values()}
    assert _pks(response) == sorted(_pks(response), reverse=True)  # newest first
    body = response.content.decode()
    assert zh("All cases") in body
    assert 'href="/cases/all/"' in body
    # the office queue keeps to the open states
    office = officer.get("/cases/")
    assert set(_pks(office)) == {made["draft"].pk, made["in_review"].pk}


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.WITHDRAWN])
def test_the_status_filter_finds_closed_cases_from_the_office_tab(staff, officer, status):
    closed = _case(staff, status, 401)
    _case(staff, "in_review", 402)
    response = officer.get("/cases/", {"status": status})
    assert _pks(response) == [closed.pk]
    assert f'<option value="{status}" selected>' in response.content.decode()


@pytest.mark.parametrize("url", ["/cases/", "/cases/all/", "/cases/queue/mine/"])
def test_a_case_number_finds_the_case_in_every_state(staff, officer, url):
    completed = _case(staff, "completed", 501)
    _case(staff, "completed", 502)
    for query in (
        completed.reference,
        completed.reference[-6:],
        completed.reference.lower(),
        "  " + completed.reference[-3:],
    ):
        response = officer.get(url, {"q": query})
        assert _pks(response) == [completed.pk], query
    assert _pks(officer.get(url, {"q": "not-a-number"})) == []


def test_another_offices_cases_are_never_listed_or_found(staff, offices):
    case = _case(staff, "completed", 601)
    outsider = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer"))
    for url in ("/cases/", "/cases/all/"):
        for params in ({}, {"q": case.reference}, {"q": case.reference[-6:]}, {"status": "completed"}):
            response = outsider.get(url, params)
            assert response.status_code == 200
            assert _pks(response) == [], (url, params)
            assert f'href="/cases/{case.pk}/"' not in response.content.decode()


def test_due_within_counts_working_days_and_includes_overdue(staff, officer):
    # 2026-10-20 is a Tuesday: 3 working days on is Friday 2026-10-23; Monday 26th is the 4th.
    overdue = _case(staff, "in_review", 701, dt.date(2026, 10, 15))
    friday = _case(staff, "submitted", 702, dt.date(2026, 10, 23))
    monday = _case(staff, "submitted", 703, dt.date(2026, 10, 26))
    paused = _case(staff, "supplement_requested", 704, dt.date(2026, 10, 21))
    with time_machine.travel(at(TODAY), tick=False):
        within3 = officer.get("/cases/", {"due_within": "3"})
        within4 = officer.get("/cases/", {"due_within": "4"})
        within0 = officer.get("/cases/", {"due_within": "0"})
    assert _pks(within3) == [overdue.pk, friday.pk]
    assert _pks(within4) == [overdue.pk, friday.pk, monday.pk]
    assert _pks(within0) == [overdue.pk]
    assert paused.pk not in _pks(within4)  # its clock is stopped (补正)


@pytest.mark.parametrize("bad", ["-1", "abc", "1.5", "999"])
def test_a_bad_due_within_is_refused_in_chinese(officer, staff, bad):
    _case(staff, "in_review", 801, TODAY)
    response = officer.get("/cases/", {"due_within": bad})
    assert response.status_code == 200
    assert _pks(response) == []
    body = response.content.decode()
    assert "invalid-feedback" in body
    errors = " ".join(str(e) for e in response.context["filter"].form.errors["due_within"])
    assert re.search(r"[\u4e00-\u9fff]", errors), errors  # a Chinese message


def test_the_queue_reads_in_chinese(staff, officer):
    from hukou_portal.casework import services as case_services
    from hukou_portal.people.models import Town
    from hukou_portal.people.services import person_create
    from tests.helpers import valid_id_number

    person = person_create(actor=staff.officer, id_number=valid_id_number(sequence=901), name="张三")
    case = case_services.case_create(
        actor=staff.officer,
        kind="residence_declaration",
        category="rented",
        applicant=person,
        details={
            "town": Town.objects.get(area__code="330502", name="月河街道"),
            "address": "红旗路 1 号",
            "lived_since": dt.date(2026, 1, 1),
        },
    )
    response = officer.get("/cases/")
    body = response.content.decode()
    row = body[body.index(case.reference) :]
    row = row[: row.index("</tr>")]
    text = re.sub(r"<[^>]+>", " ", row)
    for code in ("residence_declaration", "rented", "draft", "330502", "None", "True", "False"):
        assert code not in text.replace(case.reference, "").replace(person.masked_id_number, ""), code
    assert case.kind_label in text and case.category_label in text
    assert zh("Draft") in text
    assert staff.officer.office.name in text


def test_the_approval_tab_is_a_supervisors_only(staff, officer):
    """待审批 lists the cases the user may decide: a counter officer never sees the tab (it could
    only ever be empty for them), a supervisor sees it and the case waiting there."""
    waiting = _case(staff, "pending_approval", 301)
    tabs = officer.get("/cases/").context["queues"]
    assert "approval" not in tabs and "all" in tabs
    supervisor = sign_in(Client(), staff.supervisor)
    response = supervisor.get("/cases/queue/approval/")
    assert "approval" in response.context["queues"]
    assert _pks(response) == [waiting.pk]
    assert zh("Pending approval") in response.content.decode()


def test_an_empty_filtered_queue_says_so_and_offers_to_clear_the_filters(staff, officer):
    _case(staff, "submitted", 302)
    body = officer.get("/cases/all/", {"created_from": "2030-01-01"}).content.decode()
    assert zh("Nothing matches these filters.") in body
    assert '<a href="/cases/all/" data-testid="clear-filters">' in body
    # Sorting is not filtering: an empty queue without filters keeps its own words.
    unfiltered = officer.get("/cases/queue/overdue/", {"sort": "-deadline"}).content.decode()
    assert zh("No cases.") in unfiltered and "clear-filters" not in unfiltered


def _choices(response, name: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    field = response.context["filter"].form[name]
    return {str(value): str(label) for value, label in field.field.choices if value != ""}


def test_the_filters_offices_and_officers_are_kept_yet_follow_every_change(staff, offices, officer):
    """The filter's choices cost no query once read, and still show a new officer, drop one who
    lost the role, and filter by the one chosen; another office's officer or office is refused."""
    first = _choices(officer.get("/cases/"), "assigned_officer")
    assert first == {str(staff.officer.pk): staff.officer.get_full_name()}
    newcomer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="newcomer")
    response = officer.get("/cases/")
    assert str(newcomer.pk) in _choices(response, "assigned_officer")
    assert _choices(response, "office") == {str(offices.yuehe.pk): offices.yuehe.name}
    newcomer.groups.clear()
    assert str(newcomer.pk) not in _choices(officer.get("/cases/"), "assigned_officer")

    mine = _case(staff, "in_review", 1)
    Case.objects.filter(pk=mine.pk).update(assigned_officer=staff.officer)
    assert _pks(officer.get(f"/cases/?assigned_officer={staff.officer.pk}")) == [mine.pk]
    assert _pks(officer.get(f"/cases/?office={offices.yuehe.pk}")) == [mine.pk]
    stranger = make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="stranger")
    for refused in (f"assigned_officer={stranger.pk}", f"office={offices.nanxun_station.pk}"):
        response = officer.get(f"/cases/?{refused}")
        assert response.context["filter"].form.errors, refused
