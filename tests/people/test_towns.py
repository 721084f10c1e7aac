"""Reference data: Huzhou's areas and towns, with an urban flag administrators correct."""

from hukou_portal.audit.models import AuditEvent
from hukou_portal.people.models import Area, Town
from tests.helpers import zh


def test_reference_data_is_loaded_by_migrate(db):
    assert list(Area.objects.values_list("code", flat=True)) == ["330502", "330503", "330521", "330522", "330523"]
    assert Town.objects.count() == 72
    assert Town.objects.get(area__code="330502", name="月河街道").is_urban is True
    assert Town.objects.get(area__code="330502", name="道场乡").is_urban is False


def test_administrator_corrects_a_flag_with_a_reason(city_admin_client, city_admin):
    town = Town.objects.get(area__code="330502", name="道场乡")
    response = city_admin_client.post(f"/people/towns/{town.pk}/", {"is_urban": "on", "reason": "撤乡设街道"})
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.is_urban is True
    event = AuditEvent.objects.get(action="town.updated")
    assert (event.old_values, event.new_values, event.note) == ({"is_urban": False}, {"is_urban": True}, "撤乡设街道")
    assert event.actor == city_admin


def test_a_change_without_a_reason_is_refused(city_admin_client):
    town = Town.objects.get(area__code="330502", name="道场乡")
    response = city_admin_client.post(f"/people/towns/{town.pk}/", {"is_urban": "on", "reason": ""})
    assert response.status_code == 200
    assert zh("This field is required.") in response.content.decode()
    town.refresh_from_db()
    assert town.is_urban is False
    assert not AuditEvent.objects.filter(action="town.updated").exists()


def test_officers_may_not_change_towns(officer_client):
    town = Town.objects.get(area__code="330502", name="道场乡")
    assert officer_client.post(f"/people/towns/{town.pk}/", {"is_urban": "on", "reason": "x"}).status_code == 403
    town.refresh_from_db()
    assert town.is_urban is False
