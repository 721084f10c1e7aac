"""The navigation bar in groups (业务 / 人口 / 管理 / 审计), the user menu, and the favicon."""

import re

from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from hukou_portal.accounts.roles import Role
from hukou_portal.core.context_processors import NAVIGATION, navigation_for
from tests.helpers import make_user, sign_in, zh


def shape(user, current: str = "") -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """(label, [entry labels]) per bar entry; a plain link has no entries."""
    return [
        (str(entry["label"]), [str(item["label"]) for item in entry.get("entries", [])])
        for entry in navigation_for(user, current)
    ]


def test_each_role_sees_its_groups(staff):
    officer = shape(staff.officer)
    assert officer[0] == (zh("Home"), [])
    assert (zh("Work"), [zh("Cases"), zh("Coming milestones")]) in officer
    assert (
        zh("Population"),
        [
            zh("People"),
            zh("City register lookup"),
            zh("Households"),
            zh("Residence registrations"),
            zh("Residence permits"),
            zh("Lease filings"),
        ],
    ) in officer
    assert [label for label, _ in officer] == [zh("Home"), zh("Work"), zh("Population")]
    # Supervisors and administrators also read the statistics (a group of one: a plain link).
    assert shape(staff.supervisor) == [*officer, (zh("Statistics", "navigation"), [])]
    admin = shape(staff.admin)
    assert [label for label, _ in admin] == [zh("Home"), zh("Administration"), zh("Statistics", "navigation")]
    assert len(admin[1][1]) == 8 and zh("Schedules") in admin[1][1]
    # A group with a single entry for the user is a plain link to it.
    assert shape(staff.auditor) == [(zh("Home"), []), (zh("Audit trail"), [])]


def test_every_entry_of_every_group_reverses():
    for group in NAVIGATION:
        for item in group.items:
            assert reverse(item.url_name)


def test_the_group_of_the_current_page_is_marked(staff):
    entries = navigation_for(staff.officer, "casework:case_detail")
    work = next(entry for entry in entries if entry.get("code") == "work")
    assert work["active"] and [item["active"] for item in work["entries"]] == [True, False]
    population = next(entry for entry in entries if entry.get("code") == "population")
    assert not population["active"]
    people = navigation_for(staff.officer, "people:person_detail")
    assert next(entry for entry in people if entry.get("code") == "population")["active"]


def test_the_bar_renders_bootstrap_dropdowns_without_inline_script(staff):
    body = sign_in(Client(), staff.admin).get("/").content.decode()
    nav = re.search(r'<ul class="navbar-nav[^"]*" data-testid="main-nav">.*?</ul>\s*</div>', body, re.S)
    assert nav
    assert 'data-testid="nav-group-admin"' in nav.group(0) and 'data-bs-toggle="dropdown"' in nav.group(0)
    assert f'href="{reverse("rules:parameter_list")}"' in nav.group(0)
    assert "<script" not in nav.group(0) and "style=" not in nav.group(0) and " onclick" not in nav.group(0)
    # The user menu holds the name, the office and the language; sign-out stays one click away.
    assert 'data-testid="user-menu"' in body and 'data-testid="language-switch"' in body
    assert f'action="{reverse("accounts:sign_out")}"' in body


def test_signed_out_pages_keep_the_language_switch(db):
    body = Client().get(reverse("accounts:sign_in")).content.decode()
    assert 'data-testid="language-switch"' in body and 'data-testid="user-menu"' not in body


def test_every_page_links_the_favicon_and_it_exists(staff):
    body = sign_in(Client(), staff.officer).get("/").content.decode()
    head = body.split("</head>")[0]
    assert 'rel="icon" href="/static/portal/favicon.svg" type="image/svg+xml"' in head
    assert 'href="/static/portal/favicon.ico"' in head
    for name in ("portal/favicon.svg", "portal/favicon.ico", "portal/apple-touch-icon.png"):
        assert finders.find(name), name
    with open(finders.find("portal/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO header


def test_favicon_ico_at_the_root_redirects_to_the_static_file(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/portal/favicon.ico"


def test_an_officer_of_another_station_sees_the_same_groups(offices):
    other = make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer")
    assert [label for label, _ in shape(other)] == [zh("Home"), zh("Work"), zh("Population")]
