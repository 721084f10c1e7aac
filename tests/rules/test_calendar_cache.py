"""The working-day calendar is read once and kept (rules.calendar.WorkCalendar.load); every change
an administrator makes holds at once for the next deadline computed, in this process or another
(the cache is emptied on the change and again at its commit)."""

import datetime as dt

from django.core.cache import cache

from hukou_portal.rules import services
from hukou_portal.rules.calendar import CACHE_KEY, WorkCalendar

NEW_YEARS_DAY = dt.date(2027, 1, 1)  # a Friday, in a year the calendar package does not know


def test_the_calendar_is_read_once_then_kept(db, django_assert_num_queries):
    first = WorkCalendar.load()
    with django_assert_num_queries(0):
        assert WorkCalendar.load() == first
    assert first == WorkCalendar.read()


def test_a_day_added_or_removed_holds_at_once(city_admin, django_capture_on_commit_callbacks):
    assert NEW_YEARS_DAY not in WorkCalendar.load().holidays
    with django_capture_on_commit_callbacks(execute=True):
        day = services.calendar_day_add(actor=city_admin, date=NEW_YEARS_DAY, kind="holiday", name="元旦")
    assert NEW_YEARS_DAY in WorkCalendar.load().holidays
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_day_remove(actor=city_admin, day_id=day.pk)
    assert NEW_YEARS_DAY not in WorkCalendar.load().holidays


def test_a_published_year_is_known_at_once(city_admin):
    calendar = WorkCalendar.load()
    assert 2027 not in calendar.known_years
    services.calendar_day_add(actor=city_admin, date=NEW_YEARS_DAY, kind="holiday", name="元旦")
    services.calendar_year_publish(actor=city_admin, year=2027)
    # Within the same transaction (no commit in a test): emptied on the change itself.
    calendar = WorkCalendar.load()
    assert 2027 in calendar.known_years
    assert not calendar.is_working_day(NEW_YEARS_DAY)
    assert calendar == WorkCalendar.read()


def test_the_commit_empties_it_again(city_admin, django_capture_on_commit_callbacks):
    """A request that read the calendar between the change and its commit saw the old days; the
    commit empties what it kept."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.calendar_day_add(actor=city_admin, date=NEW_YEARS_DAY, kind="holiday", name="元旦")
        stale = WorkCalendar(known_years=frozenset(), holidays=frozenset(), makeup_workdays=frozenset())
        cache.set(CACHE_KEY, stale)  # as another request would have kept the calendar before the commit
    assert WorkCalendar.load() == stale
    for callback in callbacks:
        callback()
    assert NEW_YEARS_DAY in WorkCalendar.load().holidays
