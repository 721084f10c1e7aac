"""Each town's police station (辖区派出所): the office of a home there, to which N2 goes. Set by the
city bureau's administrators on the town's page, audited; a town with none yet is answered for by
the county-level bureau of its area."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.core.vocabulary import describe_change
from hukou_portal.people.models import Town
from hukou_portal.people.selectors import town_offices, towns_answered_by
from hukou_portal.people.services import town_update
from tests.helpers import make_user, sign_in, zh


def zhili() -> Town:
    return Town.objects.select_related("area", "station").get(area__code="330502", name="织里镇")


def test_an_administrator_of_the_city_names_a_towns_station(city_admin_client, city_admin, offices):
    town = zhili()
    page = city_admin_client.get(f"/people/towns/{town.pk}/").content.decode()
    assert zh("Police station of its jurisdiction") in page
    assert "织里派出所" in page and "南浔派出所" not in page  # the stations of its own area only
    response = city_admin_client.post(
        f"/people/towns/{town.pk}/", {"is_urban": "on", "station": offices.zhili.pk, "reason": "辖区划定"}
    )
    assert response.status_code == 302
    assert zhili().station == offices.zhili
    event = AuditEvent.objects.get(action="town.updated")
    assert (event.old_values, event.new_values, event.note) == ({"station": None}, {"station": "33050202"}, "辖区划定")
    rows = describe_change("town", event.old_values, event.new_values)
    assert [(row.label, row.before, row.after) for row in rows] == [
        (
            zh("Police station of its jurisdiction"),
            zh("none (the county-level bureau of the area answers)"),
            "织里派出所",
        )
    ]
    listing = city_admin_client.get("/people/towns/").content.decode()
    assert "织里派出所" in listing
    assert zh("none yet (%(office)s answers)") % {"office": "吴兴分局"} in listing  # 月河街道, with none yet


def test_a_station_of_another_area_or_a_bureau_is_refused_and_nothing_is_written(city_admin, offices):
    town = zhili()
    for office in (offices.nanxun_station, offices.wuxing):
        with pytest.raises(ApplicationError) as refused:
            town_update(actor=city_admin, town_id=town.pk, is_urban=True, station_id=office.pk, reason="误操作")
        assert refused.value.field == "station"
    assert zhili().station is None
    assert not AuditEvent.objects.filter(action="town.updated").exists()


def test_the_form_offers_no_other_areas_station(city_admin_client, offices):
    town = zhili()
    response = city_admin_client.post(
        f"/people/towns/{town.pk}/", {"is_urban": "on", "station": offices.nanxun_station.pk, "reason": "x"}
    )
    assert response.status_code == 200  # the form again, with the error on the field
    assert zhili().station is None


def test_a_station_administrator_may_not_set_a_station(offices):
    local_admin = make_user(offices.zhili, Role.ADMINISTRATOR, username="zhili_admin")
    town = zhili()
    response = sign_in(Client(), local_admin).post(
        f"/people/towns/{town.pk}/", {"is_urban": "on", "station": offices.zhili.pk, "reason": "本所辖区"}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        town_update(actor=local_admin, town_id=town.pk, is_urban=True, station_id=offices.zhili.pk, reason="x")
    assert zhili().station is None


def test_the_office_of_a_town_falls_back_to_its_county_bureau(offices, city_admin):
    town = zhili()
    assert town_offices([town]) == {town.pk: offices.wuxing}
    town_update(actor=city_admin, town_id=town.pk, is_urban=True, station_id=offices.zhili.pk, reason="辖区划定")
    assert town_offices([zhili()]) == {town.pk: offices.zhili}
    assert town.pk in towns_answered_by([offices.zhili])
    assert town.pk not in towns_answered_by([offices.wuxing])
    # Every town of 吴兴区 but 织里镇 is the bureau's while it has no station; none of 南浔区.
    wuxing_towns = set(Town.objects.filter(area__code="330502").exclude(pk=town.pk).values_list("pk", flat=True))
    assert set(towns_answered_by([offices.wuxing])) == wuxing_towns


def test_the_subquery_of_the_towns_an_office_answers_for_agrees_with_the_computation(offices, city_admin):
    """``towns_answered_by_query`` (a list's filter, no query of its own) names the same towns as
    ``towns_answered_by``: the station's own, and a bureau's while they have no open station."""
    from hukou_portal.accounts.models import Office
    from hukou_portal.people.selectors import towns_answered_by_query

    town_update(actor=city_admin, town_id=zhili().pk, is_urban=True, station_id=offices.zhili.pk, reason="辖区划定")
    for office in offices.all():
        scope = Office.objects.filter(path__startswith=office.path)
        assert set(towns_answered_by_query(scope).values_list("pk", flat=True)) == set(towns_answered_by(scope))
    Office.objects.filter(pk=offices.zhili.pk).update(is_active=False)  # closed: its bureau answers again
    wuxing = Office.objects.filter(pk=offices.wuxing.pk)
    assert zhili().pk in set(towns_answered_by_query(wuxing).values_list("pk", flat=True))
    assert zhili().pk in towns_answered_by(wuxing)
