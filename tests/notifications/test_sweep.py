"""The sweep: one reminder per milestone, however often or concurrently it runs, and a sweep
that was down for days catches up. Dates by time travel."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from hukou_portal.notifications.models import Notification, SmsLog
from hukou_portal.notifications.services import deliver_pending, sweep
from settlement.eligibility import add_months
from tests.helpers import make_office_tree, make_user, sign_in, zh
from tests.notifications.conftest import at, make_permit

D = dt.date
TZ = dt.timezone(dt.timedelta(hours=8))


def n1_rows():  # type: ignore[no-untyped-def]
    return Notification.objects.filter(kind="N1")


def test_a_permit_reaching_six_months_makes_one_sms_and_one_inbox_row_per_officer(world):
    offices, officer = world
    with time_machine.travel(at(D(2026, 11, 30)), tick=False):
        permit = make_permit(offices.yuehe, issued_on=D(2026, 6, 15), sequence=1)
        assert sweep(as_of=D(2026, 12, 14))["N1"] == 0
        assert sweep(as_of=D(2026, 12, 15))["N1"] == 2
    rows = {(r.channel, r.recipient) for r in n1_rows()}
    assert rows == {("sms", f"person:{permit.holder_id}"), ("inbox", f"user:{officer.pk}")}
    assert all(r.milestone == "2026-12-15" for r in n1_rows())
    assert "ZJ" in n1_rows().get(channel="sms").message


def test_rerunning_the_sweep_creates_nothing_new(world):
    offices, _officer = world
    with time_machine.travel(at(D(2026, 11, 30)), tick=False):
        make_permit(offices.yuehe, issued_on=D(2026, 6, 15), sequence=1)
        first = sweep(as_of=D(2026, 12, 20))
        again = sweep(as_of=D(2026, 12, 20))
        later = sweep(as_of=D(2026, 12, 21))
    assert first["N1"] == 2 and again["N1"] == 0 and later["N1"] == 0
    assert n1_rows().count() == 2


def test_a_sweep_down_for_a_week_catches_up_once_each(world):
    offices, _officer = world
    with time_machine.travel(at(D(2026, 11, 30)), tick=False):
        for index, day in enumerate([D(2026, 6, 10), D(2026, 6, 13), D(2026, 6, 16)]):
            make_permit(offices.yuehe, issued_on=day, sequence=10 + index)
        sweep(as_of=D(2026, 12, 9))  # the last night it ran
        created = sweep(as_of=D(2026, 12, 17))  # a week later
    assert created["N1"] == 6  # three permits, SMS + inbox each
    assert sorted(set(n1_rows().values_list("milestone", flat=True))) == ["2026-12-10", "2026-12-13", "2026-12-16"]


def test_month_end_milestones(world):
    offices, _officer = world
    with time_machine.travel(at(D(2026, 11, 30)), tick=False):
        make_permit(offices.yuehe, issued_on=D(2026, 8, 31), sequence=20)
        sweep(as_of=D(2027, 2, 27))
        assert not n1_rows().exists()
        sweep(as_of=D(2027, 2, 28))
    assert set(n1_rows().values_list("milestone", flat=True)) == {"2027-02-28"}


def test_cost_follows_the_reminders_due_not_the_table(world, django_assert_max_num_queries):
    offices, _officer = world
    with time_machine.travel(at(D(2026, 11, 30)), tick=False):
        for index in range(30):
            make_permit(offices.yuehe, issued_on=D(2025, 1, 1) + dt.timedelta(days=index), sequence=100 + index)
        sweep(as_of=D(2026, 12, 1))
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            sweep(as_of=D(2026, 12, 2))
        for index in range(30):
            make_permit(offices.yuehe, issued_on=D(2024, 1, 1) + dt.timedelta(days=index), sequence=200 + index)
        with CaptureQueriesContext(connection) as large:
            sweep(as_of=D(2026, 12, 3))
    assert len(large) == len(small)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_make_one_reminder_per_milestone(transactional_db):
    from hukou_portal.accounts.roles import Role

    offices = make_office_tree()
    make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    with time_machine.travel(at(D(2026, 11, 30)), tick=True):
        for index in range(5):
            make_permit(offices.yuehe, issued_on=D(2026, 6, 1) + dt.timedelta(days=index), sequence=300 + index)
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def run() -> None:
            try:
                barrier.wait(timeout=10)
                sweep(as_of=D(2026, 12, 10))
            except BaseException as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert n1_rows().count() == 10
    assert n1_rows().values("subject_id", "milestone", "recipient", "channel").distinct().count() == 10


def test_sms_log_delivery_is_exactly_once_even_when_retried(world, settings, tmp_path):
    settings.SMS_LOG_FILE = str(tmp_path / "sms.log")
    offices, _officer = world
    with time_machine.travel(at(D(2026, 11, 30)), tick=False):
        make_permit(offices.yuehe, issued_on=D(2026, 6, 15), sequence=1)
        sweep(as_of=D(2026, 12, 15))
        sms = n1_rows().get(channel="sms")
        from hukou_portal.notifications.channels import send

        send(sms)  # a worker sent it and died before marking the row sent
        assert deliver_pending() == 2  # the retry (and the inbox row)
    assert SmsLog.objects.filter(notification=sms).count() == 1
    assert (tmp_path / "sms.log").read_text(encoding="utf-8").count("\n") == 1
    sms.refresh_from_db()
    assert sms.status == "sent"


def test_command_prints_what_it_created(world, capsys):
    offices, _officer = world
    with time_machine.travel(at(D(2026, 11, 30)), tick=False):
        make_permit(offices.yuehe, issued_on=D(2026, 6, 15), sequence=1)
        call_command("sweep_reminders", "--as-of", "2026-12-20")
    out = capsys.readouterr().out
    assert "N1: 2 created" in out and "N2: 0 created" in out


def test_inbox_shows_unread_reminders_and_marks_them_read(world):
    offices, officer = world
    with time_machine.travel(at(D(2026, 11, 30)), tick=False):
        make_permit(offices.yuehe, issued_on=D(2026, 6, 15), sequence=1)
        sweep(as_of=D(2026, 12, 20))
        client = sign_in(Client(), officer)
        home = client.get("/")
        assert 'data-testid="unread-count">1<' in home.content.decode()
        row = Notification.objects.get(channel="inbox")
        assert row.message in client.get("/reminders/inbox/").content.decode()
        client.post(f"/reminders/inbox/{row.pk}/read/")
        assert 'data-testid="unread-count"' not in client.get("/").content.decode()


def test_worklist_shows_the_next_thirty_days(world):
    offices, officer = world
    with time_machine.travel(at(D(2026, 11, 30)), tick=False):
        soon = make_permit(offices.yuehe, issued_on=D(2026, 6, 10), sequence=1)
        later = make_permit(offices.yuehe, issued_on=D(2026, 8, 1), sequence=2)
        page = sign_in(Client(), officer).get("/reminders/worklist/")
    numbers = [permit.number for permit, _day in page.context["permits"]]
    assert soon.number in numbers and later.number not in numbers


def test_administrators_edit_schedules_and_it_is_audited(world):
    from django_celery_beat.models import PeriodicTask

    from hukou_portal.accounts.roles import Role
    from hukou_portal.audit.models import AuditEvent

    offices, officer = world
    admin = make_user(offices.city, Role.ADMINISTRATOR, username="admin")
    task = PeriodicTask.objects.get(name="sweep-reminders")
    client = sign_in(Client(), admin)
    page = client.get("/reminders/schedules/").content.decode()
    assert zh("Reminder sweep") in page and zh("Every day at %(time)s.") % {"time": "01:30"} in page
    assert "sweep-reminders<" not in page  # the job's code name is not shown
    client.post("/reminders/schedules/", {"task": task.pk, "minute": "45", "hour": "2", "enabled": "on"})
    task.refresh_from_db()
    assert (task.crontab.minute, task.crontab.hour) == ("45", "2")
    assert AuditEvent.objects.filter(action="schedule.changed").exists()
    bad = client.post("/reminders/schedules/", {"task": task.pk, "minute": "75", "hour": "2", "enabled": "on"})
    assert bad.status_code == 302
    task.refresh_from_db()
    assert task.crontab.minute == "45"
    assert sign_in(Client(), officer).get("/reminders/schedules/").status_code == 403


def test_administrators_edit_reminder_texts_with_known_placeholders(world):
    from hukou_portal.accounts.roles import Role
    from hukou_portal.audit.models import AuditEvent
    from hukou_portal.notifications.models import MessageTemplate

    offices, officer = world
    admin = make_user(offices.city, Role.ADMINISTRATOR, username="admin")
    template = MessageTemplate.objects.get(kind="N1", channel="sms")
    client = sign_in(Client(), admin)
    client.post(
        "/reminders/texts/", {"template": template.pk, "text": "您好{name}，{permit_number}已满期限（{date}）。"}
    )
    template.refresh_from_db()
    assert template.text == "您好{name}，{permit_number}已满期限（{date}）。"
    assert AuditEvent.objects.filter(action="reminder_text.changed").exists()
    client.post("/reminders/texts/", {"template": template.pk, "text": "您好{password}"})
    template.refresh_from_db()
    assert "{password}" not in template.text
    assert sign_in(Client(), officer).get("/reminders/texts/").status_code == 403
    with time_machine.travel(at(D(2026, 11, 30)), tick=False):
        make_permit(offices.yuehe, issued_on=D(2026, 6, 15), sequence=1)
        sweep(as_of=D(2026, 12, 20))
    assert Notification.objects.get(channel="sms").message.startswith("您好持证人1，ZJ")


def test_officers_with_an_address_also_get_an_e_mail(world, mailoutbox):
    offices, officer = world
    officer.email = "officer@yuehe.example"
    officer.save(update_fields=["email"])
    with time_machine.travel(at(D(2026, 11, 30)), tick=False):
        make_permit(offices.yuehe, issued_on=D(2026, 6, 15), sequence=1)
        sweep(as_of=D(2026, 12, 20))
        deliver_pending()
        deliver_pending()
    assert [m.to for m in mailoutbox] == [["officer@yuehe.example"]]
    assert "ZJ" in mailoutbox[0].body
    assert Notification.objects.get(channel="email").status == "sent"


@given(
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 1, 1)),
    length=st.integers(min_value=1, max_value=90),
    months=st.integers(min_value=0, max_value=24),
)
def test_origin_range_is_exactly_the_dates_whose_milestone_falls_in_the_window(start, length, months):
    from hukou_portal.notifications.services import origin_range

    end = start + dt.timedelta(days=length)
    first, last = origin_range(start, end, months)
    for day in (first - dt.timedelta(days=1), first, last, last + dt.timedelta(days=1)):
        inside = start < add_months(day, months) <= end
        assert inside == (first <= day <= last), (day, first, last)


def test_only_city_administrators_change_city_wide_texts_and_schedules(world):
    from django_celery_beat.models import PeriodicTask

    from hukou_portal.accounts.roles import Role
    from hukou_portal.notifications.models import MessageTemplate

    offices, _officer = world
    station_admin = make_user(offices.yuehe, Role.ADMINISTRATOR, username="station_admin")
    client = sign_in(Client(), station_admin)
    template = MessageTemplate.objects.get(kind="N1", channel="sms")
    task = PeriodicTask.objects.get(name="sweep-reminders")
    assert client.post("/reminders/texts/", {"template": template.pk, "text": "改{name}"}).status_code == 403
    assert client.post("/reminders/schedules/", {"task": task.pk, "minute": "5", "hour": "5"}).status_code == 403
    template.refresh_from_db()
    task.refresh_from_db()
    assert template.text != "改{name}" and task.crontab.minute == "30"


def test_a_permit_whose_endorsement_is_overdue_gets_no_n1(world):
    """居住证暂行条例 第十三条: an overdue endorsement suspends the permit's use, so on the day its
    six months are reached its holder may not apply (S5.1) and is not told so."""
    offices, _officer = world
    with time_machine.travel(at(D(2026, 11, 30)), tick=False):
        lapsed = make_permit(offices.yuehe, issued_on=D(2026, 6, 15), sequence=1)
        valid = make_permit(offices.yuehe, issued_on=D(2026, 6, 15), sequence=2)
        lapsed.endorsed_until = D(2026, 12, 1)  # overdue a fortnight before the milestone
        lapsed.save(update_fields=["endorsed_until"])
        sweep(as_of=D(2026, 12, 15))
    assert set(n1_rows().values_list("subject_id", flat=True)) == {valid.pk}
