"""The coming-milestones worklist and the reminder sweep agree on who is due and when, across a
scheduled change of the rule parameter (6 → 3 months of lease filing): both use the value in
force on each milestone's own day (notifications/selectors.py ``reaching_milestone``)."""

import datetime as dt

import time_machine
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.notifications.models import Notification
from hukou_portal.notifications.services import sweep
from hukou_portal.people.models import Town
from hukou_portal.rules.services import parameter_schedule
from tests.helpers import make_user, sign_in
from tests.notifications.conftest import at, make_permit
from tests.notifications.test_sweep_parameters import filing, tenant

D = dt.date
TODAY = D(2026, 9, 1)


def test_worklist_and_sweep_agree_across_a_scheduled_change_from_6_to_3_months(world):
    offices, officer = world
    admin = make_user(offices.city, Role.ADMINISTRATOR, username="city_admin")
    with time_machine.travel(at(TODAY), tick=False):
        dates = {
            "today_by_6": D(2026, 3, 1),  # 6 months: 09-01, today
            "before_the_change": D(2026, 3, 5),  # 6 months: 09-05
            "made_eligible": D(2026, 4, 20),  # 3 months passed 07-20; 6 only on 10-20: due 09-10
            "after_the_change": D(2026, 6, 15),  # 3 months: 09-15
            "end_of_window": D(2026, 7, 1),  # 3 months: 10-01, the worklist's last day
            "beyond": D(2026, 7, 2),  # 3 months: 10-02, outside the 30 days
            "far": D(2026, 8, 15),  # 3 months: 11-15
        }
        filings = {
            name: filing(officer, tenant(offices.yuehe, 600 + index), filed_on, f"HZZL2026-06{index:02d}")
            for index, (name, filed_on) in enumerate(dates.items())
        }
        permit = make_permit(offices.yuehe, issued_on=D(2026, 3, 10), sequence=650)  # N1, 6 months: 09-10
        parameter_schedule(
            actor=admin, key="lease_filing_min_months", value=3, effective_from=D(2026, 9, 10), reason="新政策"
        )
        sweep(as_of=TODAY - dt.timedelta(days=1))  # the sweep ran last night
        page = sign_in(Client(), officer).get("/reminders/worklist/")
    assert page.status_code == 200
    worklist_filings = {f.pk: day.isoformat() for f, day in page.context["filings"]}
    worklist_permits = {p.pk: day.isoformat() for p, day in page.context["permits"]}

    ids = {name: f.pk for name, f in filings.items()}
    assert worklist_filings == {
        ids["today_by_6"]: "2026-09-01",
        ids["before_the_change"]: "2026-09-05",
        ids["made_eligible"]: "2026-09-10",
        ids["after_the_change"]: "2026-09-15",
        ids["end_of_window"]: "2026-10-01",
    }
    assert worklist_permits == {permit.pk: "2026-09-10"}
    days = [day for _f, day in page.context["filings"]]
    assert days == sorted(days)

    # The sweep, every night of the same thirty days, reminds exactly these, each on its day.
    day = TODAY
    while day <= TODAY + dt.timedelta(days=30):
        with time_machine.travel(at(day), tick=False):
            sweep(as_of=day)
        day += dt.timedelta(days=1)
    swept = dict(Notification.objects.filter(kind="N2", channel="sms").values_list("subject_id", "milestone"))
    assert swept == worklist_filings
    permits_swept = dict(Notification.objects.filter(kind="N1", channel="sms").values_list("subject_id", "milestone"))
    assert permits_swept == worklist_permits


def test_the_worklist_shows_only_the_rental_homes_of_the_users_offices(world):
    """N2 goes to the office of the rental home, so the worklist of coming N2 lists the filings
    of the towns the user's offices answer for, whoever recorded them."""
    offices, officer = world
    nanxun_town = Town.objects.get(area__code="330503", name="南浔镇")
    Town.objects.filter(pk=nanxun_town.pk).update(station=offices.nanxun_station)
    with time_machine.travel(at(TODAY), tick=False):
        ours = filing(officer, tenant(offices.yuehe, 700), D(2026, 3, 5), "HZZL2026-0700")
        nanxun_officer = make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nanxun_officer")
        theirs = filing(
            nanxun_officer, tenant(offices.nanxun_station, 701), D(2026, 3, 5), "HZZL2026-0701", nanxun_town
        )
        # Recorded at 南浔, the home in 月河街道: 月河's to follow, though it may not open the tenant's file.
        recorded_elsewhere = filing(nanxun_officer, tenant(offices.nanxun_station, 702), D(2026, 3, 6), "HZZL2026-0702")
        yuehe = sign_in(Client(), officer).get("/reminders/worklist/")
        nanxun = sign_in(Client(), nanxun_officer).get("/reminders/worklist/")
    assert [f.pk for f, _day in yuehe.context["filings"]] == [ours.pk, recorded_elsewhere.pk]
    assert [f.pk for f, _day in nanxun.context["filings"]] == [theirs.pk]
    body = yuehe.content.decode()
    assert f'href="/people/{ours.tenant_id}/"' in body and "租户702" in body
    assert f'href="/people/{recorded_elsewhere.tenant_id}/"' not in body  # no link to a file it cannot open


def _worklist_queries(client: Client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/reminders/worklist/").status_code == 200
    return len(queries)


def test_the_worklist_costs_the_same_at_2_and_20_rows(world):
    """Each row names its town (and the town its area) and its person: read with the rows, never
    one query per row."""
    offices, officer = world
    with time_machine.travel(at(TODAY), tick=False):
        client = sign_in(Client(), officer)
        for index in range(2):
            filing(officer, tenant(offices.yuehe, 800 + index), D(2026, 3, 5), f"HZZL2026-08{index:02d}")
            make_permit(offices.yuehe, issued_on=D(2026, 3, 10), sequence=900 + index)
        few = _worklist_queries(client)
        for index in range(2, 20):
            filing(officer, tenant(offices.yuehe, 800 + index), D(2026, 3, 5), f"HZZL2026-08{index:02d}")
            make_permit(offices.yuehe, issued_on=D(2026, 3, 10), sequence=900 + index)
        many = _worklist_queries(client)
        page = client.get("/reminders/worklist/")
    assert len(page.context["filings"]) == 20 and len(page.context["permits"]) == 20
    assert many == few


def test_the_worklist_pages_each_table(world, monkeypatch):
    """A busy station's 90 days hold thousands of rows: each table shows a page of them, in day
    order, and its pages keep the other table's page and the days asked for."""
    from hukou_portal.notifications import views

    monkeypatch.setattr(views, "WORKLIST_PAGE", 5)
    offices, officer = world
    with time_machine.travel(at(TODAY), tick=False):
        client = sign_in(Client(), officer)
        for index in range(7):
            filing(
                officer, tenant(offices.yuehe, 850 + index), D(2026, 3, 1) + dt.timedelta(days=index), f"HZZL-P{index}"
            )
        first = client.get("/reminders/worklist/?days=60")
        second = client.get("/reminders/worklist/?days=60&filings_page=2")
    shown = [f.filing_number for f, _day in first.context["filings"]]
    assert shown == [f"HZZL-P{index}" for index in range(5)]
    assert [f.filing_number for f, _day in second.context["filings"]] == ["HZZL-P5", "HZZL-P6"]
    body = first.content.decode()
    assert 'data-testid="worklist-filings-pages"' in body and "?days=60&amp;filings_page=2" in body
    assert 'data-testid="worklist-permits-pages"' not in body  # one page of permits: no pager
