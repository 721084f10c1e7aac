"""Deadlines in working days: holidays, 调休 Saturdays, 补正 pauses, unknown years."""

import datetime as dt

import pytest
import time_machine

from hukou_portal.casework import services
from hukou_portal.casework.selectors import deadline_view
from hukou_portal.rules.calendar import CalendarMissing, WorkCalendar
from hukou_portal.rules.models import CalendarDay, CalendarYear
from hukou_portal.rules.services import calendar_day_add, calendar_year_publish
from tests.casework.factories import drive, fresh, open_case, upload_all


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_calendar_counts_over_national_day_and_a_makeup_saturday(db):
    calendar = WorkCalendar.load()
    # 2026-09-30 (Wed) + 3: 10-01..10-07 are the National Day holiday, 10-08 Thu, 10-09 Fri,
    # and Saturday 10-10 is a make-up working day (调休).
    assert calendar.add_working_days(dt.date(2026, 9, 30), 3) == dt.date(2026, 10, 10)
    assert calendar.is_working_day(dt.date(2026, 10, 10)) is True
    assert calendar.is_working_day(dt.date(2026, 10, 5)) is False
    assert calendar.working_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 12)) == 4


def test_unknown_year_is_not_guessed(db):
    calendar = WorkCalendar.load()
    with pytest.raises(CalendarMissing):
        calendar.add_working_days(dt.date(2026, 12, 28), 10)


def test_deadline_starts_at_intake(staff):
    with time_machine.travel(at(dt.date(2026, 9, 28)), tick=False):
        case = drive(open_case(staff.officer), "submitted", officer=staff.officer, supervisor=staff.supervisor)
    # Mon 09-28 + 5 working days: 09-29, 09-30, 10-08, 10-09, 10-10 (调休 Saturday).
    assert case.clock_started_on == dt.date(2026, 9, 28)
    assert case.deadline == dt.date(2026, 10, 10)


def test_supplement_pause_stops_the_clock(staff):
    with time_machine.travel(at(dt.date(2026, 9, 28)), tick=False) as traveller:
        case = open_case(staff.officer)
        upload_all(case, staff.officer)
        case = drive(case, "in_review", officer=staff.officer, supervisor=staff.supervisor)
        services.case_request_supplement(case_id=case.pk, actor=staff.officer, expected_version=None, comment="补照片")
        assert deadline_view(fresh(case), WorkCalendar.load(), dt.date(2026, 9, 28)).paused is True
        traveller.move_to(at(dt.date(2026, 10, 9)))  # Fri: 09-29, 09-30, 10-08, 10-09 passed while waiting
        services.case_receive_supplement(case_id=case.pk, actor=staff.officer, expected_version=None)
    case = fresh(case)
    assert case.paused_working_days == 4
    assert case.deadline == WorkCalendar.load().add_working_days(dt.date(2026, 9, 28), 5 + 4)
    assert case.deadline == dt.date(2026, 10, 15)


def test_deadline_in_an_unpublished_year_is_flagged_then_set_when_published(staff, offices):
    from hukou_portal.accounts.roles import Role
    from tests.helpers import make_user

    with time_machine.travel(at(dt.date(2026, 12, 28)), tick=False):
        case = drive(open_case(staff.officer), "submitted", officer=staff.officer, supervisor=staff.supervisor)
        assert case.deadline is None and case.deadline_calendar_missing is True
        view = deadline_view(case, WorkCalendar.load(), dt.date(2026, 12, 28))
        assert view.calendar_missing is True and view.days_left is None

        admin = make_user(offices.city, Role.ADMINISTRATOR, username="calendar_admin")
        calendar_day_add(actor=admin, date=dt.date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
        calendar_year_publish(actor=admin, year=2027)
    case = fresh(case)
    assert case.deadline_calendar_missing is False
    # Mon 12-28 + 5: 12-29, 12-30, 12-31, (01-01 holiday), 01-04, 01-05.
    assert case.deadline == dt.date(2027, 1, 5)
    assert CalendarYear.objects.get(year=2027).source == CalendarYear.Source.ADMINISTRATOR


def test_package_years_cannot_be_edited(staff, offices):
    from hukou_portal.accounts.roles import Role
    from hukou_portal.core.exceptions import ApplicationError
    from tests.helpers import make_user

    admin = make_user(offices.city, Role.ADMINISTRATOR, username="calendar_admin")
    with pytest.raises(ApplicationError):
        calendar_day_add(actor=admin, date=dt.date(2026, 6, 1), kind=CalendarDay.Kind.HOLIDAY, name="假")
    with pytest.raises(ApplicationError):
        calendar_day_add(actor=admin, date=dt.date(2027, 2, 1), kind=CalendarDay.Kind.MAKEUP_WORKDAY, name="周一")


def test_overdue_cases_stand_out(staff):
    from django.test import Client

    from tests.helpers import sign_in

    with time_machine.travel(at(dt.date(2026, 9, 28)), tick=False):
        case = drive(open_case(staff.officer), "submitted", officer=staff.officer, supervisor=staff.supervisor)
    with time_machine.travel(at(dt.date(2026, 10, 20)), tick=False):
        client = sign_in(Client(), staff.officer)
        overdue = client.get("/cases/queue/overdue/")
        assert [row.pk for row in overdue.context["page"]] == [case.pk]
        assert 'data-testid="overdue"' in overdue.content.decode()
        assert '<tr class="table-danger' in overdue.content.decode()
