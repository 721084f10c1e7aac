"""City-wide rules, written as the attack: a station or county-level administrator posts a
change to a rule parameter, the working-day calendar or a town's urban flag. Each answers 403
with the reason and writes nothing; an administrator of the city bureau makes the change."""

import datetime as dt

import pytest
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.people.models import Town
from hukou_portal.rules.models import CalendarDay, CalendarYear, RuleParameterValue
from tests.audit.denials import events_but_denials
from tests.helpers import make_user, sign_in, zh

REASON = (
    "Rule parameters, towns, reminder texts, settlement document lists and the working-day "
    "calendar hold for the whole city: only administrators of the city bureau change them. "
    "Your office reads them."
)
TOMORROW = dt.date.today() + dt.timedelta(days=1)


@pytest.fixture(params=["station", "county"])
def local_admin(request, offices):
    office = offices.yuehe if request.param == "station" else offices.wuxing
    return make_user(office, Role.ADMINISTRATOR, username=f"{request.param}_admin")


def _refused(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 403
    assert zh(REASON) in response.content.decode()


def test_a_local_administrator_may_not_schedule_or_withdraw_a_parameter(local_admin, city_admin):
    client = sign_in(Client(), local_admin)
    page = client.get("/rules/parameters/lease_filing_min_months/")
    assert page.status_code == 200
    assert 'data-testid="schedule-form"' not in page.content.decode()
    events_before = events_but_denials().count()
    _refused(
        client.post(
            "/rules/parameters/lease_filing_min_months/",
            {"value": "1", "effective_from": TOMORROW.isoformat(), "reason": "试行"},
        )
    )
    assert not RuleParameterValue.objects.filter(key="lease_filing_min_months", created_by__isnull=False).exists()

    # A change the city bureau scheduled cannot be withdrawn by them either.
    city = sign_in(Client(), city_admin)
    scheduled = city.post(
        "/rules/parameters/lease_filing_min_months/",
        {"value": "3", "effective_from": TOMORROW.isoformat(), "reason": "试行"},
    )
    assert scheduled.status_code == 302
    row = RuleParameterValue.objects.get(key="lease_filing_min_months", created_by=city_admin)
    events_before = events_but_denials().count()
    _refused(client.post(f"/rules/parameters/lease_filing_min_months/{row.pk}/withdraw/", {"reason": "撤销"}))
    assert RuleParameterValue.objects.filter(pk=row.pk).exists()
    assert events_but_denials().count() == events_before


def test_a_local_administrator_may_not_change_the_calendar(local_admin, city_admin):
    client = sign_in(Client(), local_admin)
    page = client.get("/rules/calendar/")
    assert page.status_code == 200
    assert "/rules/calendar/publish/" not in page.content.decode()
    events_before = events_but_denials().count()
    _refused(client.post("/rules/calendar/", {"date": "2099-01-01", "kind": "holiday", "name": "元旦"}))
    assert not CalendarDay.objects.filter(date=dt.date(2099, 1, 1)).exists()

    day = CalendarDay.objects.create(date=dt.date(2099, 1, 2), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    _refused(client.post(f"/rules/calendar/days/{day.pk}/remove/"))
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    _refused(client.post("/rules/calendar/publish/", {"year": 2099}))
    assert not CalendarYear.objects.filter(year=2099).exists()
    assert events_but_denials().count() == events_before

    city = sign_in(Client(), city_admin)
    assert "/rules/calendar/publish/" in city.get("/rules/calendar/").content.decode()
    assert city.post("/rules/calendar/publish/", {"year": 2099}).status_code == 302
    assert CalendarYear.objects.filter(year=2099).exists()


def test_a_local_administrator_may_not_change_a_towns_urban_flag(local_admin, city_admin):
    town = Town.objects.get(area__code="330502", name="道场乡")
    client = sign_in(Client(), local_admin)
    assert f"/people/towns/{town.pk}/" not in client.get("/people/towns/").content.decode()
    _refused(client.get(f"/people/towns/{town.pk}/"))
    _refused(client.post(f"/people/towns/{town.pk}/", {"is_urban": "on", "reason": "撤乡设街道"}))
    town.refresh_from_db()
    assert town.is_urban is False
    assert not AuditEvent.objects.filter(action="town.updated").exists()

    city = sign_in(Client(), city_admin)
    assert f"/people/towns/{town.pk}/" in city.get("/people/towns/").content.decode()
    assert city.post(f"/people/towns/{town.pk}/", {"is_urban": "on", "reason": "撤乡设街道"}).status_code == 302
    town.refresh_from_db()
    assert town.is_urban is True


def test_a_local_administrator_may_not_change_the_settlement_document_lists(local_admin, city_admin):
    from settlement.models import SettlementDocument

    document = SettlementDocument.objects.filter(is_active=True).first()
    assert document is not None
    client = sign_in(Client(), local_admin)
    page = client.get("/settlement/documents/")
    assert page.status_code == 200
    assert f"/settlement/documents/{document.pk}/toggle/" not in page.content.decode()
    _refused(client.post(f"/settlement/documents/{document.pk}/toggle/"))
    _refused(client.post("/settlement/documents/", {"category": document.category, "code": "x9", "label": "伪造材料"}))
    document.refresh_from_db()
    assert document.is_active is True
    assert not SettlementDocument.objects.filter(code="x9").exists()
    assert not AuditEvent.objects.filter(action__startswith="settlement.document_").exists()

    city = sign_in(Client(), city_admin)
    assert city.post(f"/settlement/documents/{document.pk}/toggle/").status_code == 302
    document.refresh_from_db()
    assert document.is_active is False


def test_the_services_refuse_without_the_pages(local_admin):
    from django.core.exceptions import PermissionDenied

    from hukou_portal.people.services import town_set_urban
    from hukou_portal.rules.services import calendar_day_add, parameter_schedule

    town = Town.objects.get(area__code="330502", name="道场乡")
    calls = [
        lambda: parameter_schedule(
            actor=local_admin, key="lease_filing_min_months", value=1, effective_from=TOMORROW, reason="x"
        ),
        lambda: calendar_day_add(actor=local_admin, date=dt.date(2099, 1, 1), kind="holiday", name="元旦"),
        lambda: town_set_urban(actor=local_admin, town_id=town.pk, is_urban=True, reason="x"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match=r"city bureau|湖州市公安局"):
            call()
