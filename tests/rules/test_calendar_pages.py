"""Administrators keep the working-day calendar for the years the package does not know."""

import datetime as dt

from django.test import Client

from hukou_portal.audit.models import AuditEvent
from hukou_portal.rules.models import CalendarDay, CalendarYear
from tests.helpers import sign_in, zh


def test_administrator_enters_and_publishes_a_year(city_admin_client):
    response = city_admin_client.post("/rules/calendar/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=dt.date(2027, 1, 1)).name == "元旦"
    assert city_admin_client.post("/rules/calendar/publish/", {"year": 2027}).status_code == 302
    assert CalendarYear.objects.filter(year=2027, source=CalendarYear.Source.ADMINISTRATOR).exists()
    assert {e.action for e in AuditEvent.objects.filter(action__startswith="calendar.")} == {
        "calendar.day_added",
        "calendar.year_published",
    }


def test_a_makeup_day_on_a_weekday_is_refused(city_admin_client):
    response = city_admin_client.post("/rules/calendar/", {"date": "2027-02-01", "kind": "makeup_workday", "name": "x"})
    assert response.status_code == 200
    assert zh("A make-up working day falls on a Saturday or Sunday.") in response.content.decode()
    assert not CalendarDay.objects.filter(date=dt.date(2027, 2, 1)).exists()


def test_publishing_a_year_without_holidays_is_refused(city_admin_client):
    response = city_admin_client.post("/rules/calendar/publish/", {"year": 2028}, follow=True)
    assert zh("Enter the year's public holidays before publishing it.") in response.content.decode()
    assert not CalendarYear.objects.filter(year=2028).exists()


def test_officers_cannot_edit_the_calendar(staff):
    client = sign_in(Client(), staff.officer)
    assert client.post("/rules/calendar/", {"date": "2027-01-01", "kind": "holiday"}).status_code == 403
    assert not CalendarDay.objects.filter(date=dt.date(2027, 1, 1)).exists()
