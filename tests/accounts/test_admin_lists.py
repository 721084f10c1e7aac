"""The administrators' lists of users and offices: scoped, searched, filtered, paged."""

from django.test import Client

from hukou_portal.accounts.models import Office
from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.services import office_create
from tests.helpers import make_user, sign_in, zh


def _pks(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [getattr(row, "record", row).pk for row in response.context["page"]]  # offices: tables2 rows


def test_users_search_and_role_filter(admin_client, staff, offices):
    other = make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer")
    listed = _pks(admin_client.get("/accounts/users/"))
    assert staff.officer.pk in listed and other.pk not in listed  # a sibling station's user
    assert _pks(admin_client.get("/accounts/users/", {"role": Role.AUDITOR})) == [staff.auditor.pk]
    assert _pks(admin_client.get("/accounts/users/", {"q": "super"})) == [staff.supervisor.pk]
    body = admin_client.get("/accounts/users/").content.decode()
    assert zh("Counter officer") in body and "counter_officer" not in body.replace('value="counter_officer"', "")


def test_users_page_by_username(admin_client, offices):
    for i in range(30):
        make_user(offices.yuehe, Role.COUNTER_OFFICER, username=f"u{i:02d}")
    first = admin_client.get("/accounts/users/")
    second = admin_client.get("/accounts/users/", {"cursor": first.context["page"].next_cursor})
    names = [u.username for u in first.context["page"]] + [u.username for u in second.context["page"]]
    assert names == sorted(names) and len(names) == len(set(names)) == 34


def test_offices_filter_and_lazy_pages(offices):
    admin = make_user(offices.city, Role.ADMINISTRATOR, username="city_admin")
    client = sign_in(Client(), admin)
    for i in range(55):
        office_create(
            actor=None,
            code=f"3305029{i:02d}",
            name=f"测试派出所{i:02d}",
            level=Office.Level.STATION,
            parent=offices.wuxing,
            area_code="330502",
        )
    first = client.get("/accounts/offices/")
    assert len(first.context["page"]) == 50 and first.context["page"].has_next()
    rest = client.get("/accounts/offices/", {"page": 2})
    assert len(rest.context["page"]) == 11
    assert client.get("/accounts/offices/", {"page": "x"}).status_code == 200
    stations = client.get("/accounts/offices/", {"level": "county"})
    assert _pks(stations) == [offices.wuxing.pk, offices.nanxun.pk]
    assert "吴兴区" in stations.content.decode()  # the area by its name, not only its code
