"""The list machinery: keyset pages forward and back over ties, sorting, invalid cursors, and
every list page's cost (a fixed number of queries whatever the rows, never a COUNT)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hukou_portal.accounts.roles import Role
from hukou_portal.core.lists import KeysetPaginator
from hukou_portal.people.models import Person
from tests.core import list_data
from tests.helpers import make_user, sign_in, zh

# Every list page, with the role that reads it.
LISTS = [
    ("/cases/", "officer"),
    ("/cases/all/", "officer"),
    ("/cases/queue/mine/", "officer"),
    ("/cases/queue/overdue/", "officer"),
    ("/cases/queue/approval/", "supervisor"),
    ("/cases/all/?sort=reference&status=completed", "officer"),
    ("/cases/?due_within=3&sort=-deadline", "officer"),
    ("/people/", "officer"),
    ("/people/?sort=name&q=测试", "officer"),
    ("/permits/", "officer"),
    ("/permits/?sort=endorsed&status=active", "officer"),
    ("/registration/lease-filings/", "officer"),
    ("/registration/lease-filings/?sort=filing_number&urban=yes", "officer"),
    ("/registration/registrations/", "officer"),
    ("/registration/registrations/?source=elsewhere&state=ended", "officer"),
    ("/accounts/users/", "admin"),
    ("/accounts/users/?role=supervisor", "admin"),
    ("/accounts/offices/", "admin"),
    ("/audit/", "auditor"),
    ("/audit/?action=person.viewed", "auditor"),
]


def _list_counts(sql: list[str]) -> list[str]:
    """COUNT queries of a list page, less the header's unread-reminder badge (the base page,
    not the list: one user's unread inbox rows, read by index)."""
    return [
        q
        for q in sql
        if "COUNT(" in q.upper() and not ('FROM "notifications_notification"' in q and '"user_id" =' in q)
    ]


def _get(client: Client, url: str) -> tuple[int, list[str], object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), [query["sql"] for query in captured.captured_queries], response


@pytest.mark.parametrize(("url", "role"), LISTS)
def test_a_list_costs_the_same_at_5_and_50_rows_and_never_counts(staff, offices, url, role):
    client = sign_in(Client(), getattr(staff, role))
    list_data.populate(offices.yuehe, staff.officer, 5)
    _get(client, url)  # the user's permissions and roles are read once, then kept (accounts.authz)
    few, sql, _ = _get(client, url)
    list_data.populate(offices.yuehe, staff.officer, 45)
    _get(client, url)  # the new rows' accounts changed the kept filter choices: read again once
    many, sql_many, _response = _get(client, url)
    assert many == few, "\n".join(sql_many)
    assert not _list_counts(sql + sql_many), "a list page ran a COUNT"
    assert not [q for q in sql_many if " OFFSET " in q.upper()] or "offices" in url


# The lists that 60 rows of list_data fill past one page.
LONG_LISTS = [(u, r) for u, r in LISTS if "?" not in u and not any(s in u for s in ("offices", "overdue", "approval"))]


@pytest.mark.parametrize(("url", "role"), LONG_LISTS)
def test_the_next_page_costs_the_same_as_the_first(staff, offices, url, role):
    client = sign_in(Client(), getattr(staff, role))
    list_data.populate(offices.yuehe, staff.officer, 60)
    _get(client, url)  # what a list keeps (a filter's officers) is read on its first view
    first, _, response = _get(client, url)
    page = response.context["page"]
    assert page.has_next() and not page.has_previous()
    separator = "&" if "?" in url else "?"
    second, sql, response = _get(client, f"{url}{separator}cursor={page.next_cursor}")
    assert second == first
    assert not _list_counts(sql)
    assert not [q for q in sql if " OFFSET " in q.upper()]
    assert response.context["page"].has_previous()
    assert {r.pk for r in response.context["page"]}.isdisjoint({r.pk for r in page})


def _same_time_people(offices, count: int) -> list[Person]:
    """``count`` people recorded at one and the same instant: the sort key ties everywhere."""
    people = list_data.people(offices.yuehe, count)
    instant = timezone.now().replace(microsecond=0)
    Person.objects.filter(pk__in=[p.pk for p in people]).update(created_at=instant)
    return people


@pytest.mark.parametrize("ordering", [("-created_at", "-id"), ("created_at", "id"), ("name", "id"), ("-name", "-id")])
def test_keyset_pages_walk_forward_and_back_over_ties(offices, ordering):
    _same_time_people(offices, 11)
    queryset = Person.objects.all()
    expected = list(queryset.order_by(*ordering).values_list("pk", flat=True))
    paginator = KeysetPaginator(queryset, 3, ordering=ordering, sort="s")
    pages, cursor = [], None
    while True:
        page = paginator.page(cursor)
        pages.append([p.pk for p in page])
        if not page.has_next():
            break
        cursor = page.next_cursor
    assert [pk for chunk in pages for pk in chunk] == expected
    assert [len(chunk) for chunk in pages] == [3, 3, 3, 2]
    # And back from the last page, by the previous links, to the first.
    back = [pages[-1]]
    while page.has_previous():
        page = paginator.page(page.previous_cursor)
        back.insert(0, [p.pk for p in page])
    assert back == pages


def test_a_cursor_keeps_its_place_across_datetimes_with_microseconds(offices):
    people = list_data.people(offices.yuehe, 4)
    base = timezone.now()
    for i, person in enumerate(people):  # 0 µs, 1 µs, ...: the text form changes with them
        Person.objects.filter(pk=person.pk).update(created_at=base.replace(microsecond=i))
    paginator = KeysetPaginator(Person.objects.all(), 1, ordering=("created_at", "id"))
    seen, cursor = [], None
    for _ in range(4):
        page = paginator.page(cursor)
        seen += [p.pk for p in page]
        cursor = page.next_cursor
    assert seen == [p.pk for p in people]
    assert cursor == ""


def test_an_ordering_must_end_in_the_primary_key(db):
    with pytest.raises(ValueError, match="primary key"):
        KeysetPaginator(Person.objects.all(), 10, ordering=("name",))


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "eyJzIjoiLXJlY29yZGVkIn0", "e30", "%%%", "eyJzIjoiLXJlY29yZGVkIiwiZCI6Im4iLCJ2IjpbbnVsbCwxXX0"],
)
def test_a_bad_cursor_shows_the_first_page(officer_client, offices, cursor):
    list_data.people(offices.yuehe, 30)
    first = officer_client.get("/people/").context["page"]
    response = officer_client.get("/people/", {"cursor": cursor})
    assert response.status_code == 200
    assert [p.pk for p in response.context["page"]] == [p.pk for p in first]


def test_a_cursor_made_under_another_sort_is_ignored(officer_client, offices):
    list_data.people(offices.yuehe, 30)
    by_name = officer_client.get("/people/", {"sort": "name"}).context["page"]
    newest = officer_client.get("/people/").context["page"]
    response = officer_client.get("/people/", {"cursor": by_name.next_cursor})
    assert [p.pk for p in response.context["page"]] == [p.pk for p in newest]


def test_sorting_by_a_column_both_ways_and_an_unknown_sort(officer_client, offices):
    list_data.people(offices.yuehe, 5)
    names = sorted(Person.objects.values_list("name", flat=True))
    asc = officer_client.get("/people/", {"sort": "name"})
    desc = officer_client.get("/people/", {"sort": "-name"})
    assert [p.name for p in asc.context["page"]] == names
    assert [p.name for p in desc.context["page"]] == names[::-1]
    assert 'aria-sort="ascending"' in asc.content.decode()
    assert 'aria-sort="descending"' in desc.content.decode()
    unknown = officer_client.get("/people/", {"sort": "id_number"})  # not offered: the default
    assert [p.pk for p in unknown.context["page"]] == list(
        Person.objects.order_by("-created_at", "-id").values_list("pk", flat=True)
    )


def test_paging_keeps_the_filter_and_sort_and_sorting_drops_the_cursor(officer_client, offices):
    list_data.people(offices.yuehe, 30, name="王")
    list_data.people(offices.yuehe, 5, name="李")
    response = officer_client.get("/people/", {"q": "王", "sort": "name"})
    body = response.content.decode()
    page = response.context["page"]
    assert all(p.name.startswith("王") for p in page)
    assert f"cursor={page.next_cursor}" in body
    assert "q=%E7%8E%8B" in body and "sort=name" in body  # the next link keeps both
    second = officer_client.get("/people/", {"q": "王", "sort": "name", "cursor": page.next_cursor})
    assert all(p.name.startswith("王") for p in second.context["page"])
    assert len(list(page)) + len(list(second.context["page"])) == 30
    # The header links change the sort and start again at the first page.
    assert 'href="?q=%E7%8E%8B&amp;sort=-name"' in second.content.decode()
    # The filter form keeps the sort in a hidden field.
    assert re.search(r'type="hidden"\s+name="sort"\s+value="name"', body)


def test_filter_bars_are_crispy_grids_with_chinese_labels(officer_client):
    body = officer_client.get("/cases/").content.decode()
    assert 'class="list-filter"' in body
    for label in ("Case number", "Status", "Kind", "Category", "Office", "Officer", "Due within (working days)"):
        assert zh(label) in body
    assert "---------" not in body  # every select says 全部, not django-filter's dashes
    assert zh("All") in body


def test_an_invalid_filter_shows_its_error_and_no_rows(officer_client, offices):
    list_data.people(offices.yuehe, 3)
    response = officer_client.get("/cases/", {"due_within": "-1"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert "invalid-feedback" in response.content.decode()


def test_a_user_without_an_office_sees_empty_lists(db, offices):
    nobody = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="mover")
    list_data.people(offices.yuehe, 3)
    nobody.office.is_active = False
    nobody.office.save(update_fields=["is_active"])
    client = sign_in(Client(), nobody)
    assert list(client.get("/people/").context["page"]) == []


def test_an_audit_page_naming_documents_costs_the_same_at_2_and_40_rows(staff, offices):
    """Document names (settlement's are rows in the database) are read once per request, not
    once per event: bench/lists.py found 4 to 7 queries per such row."""
    from hukou_portal.audit.services import record
    from hukou_portal.casework.models import Case

    list_data.populate(offices.yuehe, staff.officer, 1)
    case = Case.objects.get()
    client = sign_in(Client(), staff.auditor)

    def events(count: int) -> None:
        for _ in range(count):
            new = {"requirement": "diploma_or_qualification"}
            record(action="document.uploaded", actor=staff.officer, case=case, target=case, new=new)
            new = {"status": "supplement_requested", "missing_documents": ["property_certificate"]}
            record(action="case.request_supplement", actor=staff.officer, case=case, target=case, new=new)

    events(1)
    few, _, _ = _get(client, "/audit/")
    events(19)
    many, sql, response = _get(client, "/audit/")
    assert many == few, "\n".join(sql)
    body = response.content.decode()
    assert body.count("学历证书或职业资格证书") == 20  # settlement's names, from its table
    assert body.count("不动产权证书") == 20


def test_a_request_memo_computes_once_per_request_and_every_time_outside_one():
    from hukou_portal.core.request_context import RequestContext, current, request_memo

    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert request_memo("k", compute) == 1
    assert request_memo("k", compute) == 2  # outside a request: never kept
    token = current.set(RequestContext(request_id="r1", ip_address=None))
    try:
        assert request_memo("k", compute) == 3
        assert request_memo("k", compute) == 3
    finally:
        current.reset(token)
    token = current.set(RequestContext(request_id="r2", ip_address=None))
    try:
        assert request_memo("k", compute) == 4  # the next request reads afresh
    finally:
        current.reset(token)


def test_a_name_search_in_name_order_lists_exactly_the_names_that_start_with_it(officer_client, offices):
    """The name is compared code by code (people.models.CodeOrder): 玌 follows 王 directly."""
    for name in ("玌", "王", "汪洋", "王五", "王小明", "王A"):
        list_data.people(offices.yuehe, 1, name=name)
    found = officer_client.get("/people/", {"q": "王", "sort": "name"}).context["page"]
    names = [p.name for p in found]
    assert [n[:-4] for n in names] == ["王", "王A", "王五", "王小明"]  # list_data appends a serial
    assert names == sorted(names)
    search = officer_client.post("/search/", {"q": "王"})
    assert [p.name for p in search.context["results"].people] == names
