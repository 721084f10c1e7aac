"""Writes to the working-day calendar (administrators only), each audited."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from hukou_portal.accounts.models import User
from hukou_portal.audit.services import record
from hukou_portal.core.exceptions import ApplicationError

from .models import CalendarDay, CalendarYear


def _ensure_editable(actor: User, year: int) -> None:
    if not actor.has_perm("rules.add_calendarday"):
        raise PermissionDenied
    known = CalendarYear.objects.filter(year=year).first()
    if known is not None and known.source == CalendarYear.Source.PACKAGE:
        raise ApplicationError(
            _("%(year)d comes from the official calendar package and cannot be edited.") % {"year": year}
        )


@transaction.atomic
def calendar_day_add(*, actor: User, date: dt.date, kind: str, name: str) -> CalendarDay:
    _ensure_editable(actor, date.year)
    if kind == CalendarDay.Kind.MAKEUP_WORKDAY and date.weekday() < 5:
        raise ApplicationError(_("A make-up working day falls on a Saturday or Sunday."), field="date")
    if kind == CalendarDay.Kind.HOLIDAY and date.weekday() >= 5:
        raise ApplicationError(_("Weekends are not working days anyway: enter weekday holidays only."), field="date")
    if CalendarDay.objects.filter(date=date).exists():
        raise ApplicationError(_("This date is already in the calendar."), field="date")
    day = CalendarDay.objects.create(date=date, kind=kind, name=name.strip())
    record(action="calendar.day_added", actor=actor, target=day, new={"date": date.isoformat(), "kind": kind})
    return day


@transaction.atomic
def calendar_day_remove(*, actor: User, day_id: int) -> None:
    day = CalendarDay.objects.select_for_update().get(pk=day_id)
    _ensure_editable(actor, day.date.year)
    if CalendarYear.objects.filter(year=day.date.year).exists():
        raise ApplicationError(_("The year is published; its days no longer change."))
    record(action="calendar.day_removed", actor=actor, target=day, old={"date": day.date.isoformat(), "kind": day.kind})
    day.delete()


@transaction.atomic
def calendar_year_publish(*, actor: User, year: int) -> CalendarYear:
    """Declare ``year``'s holidays and make-up days complete: deadlines in it are now computed."""
    from hukou_portal.casework.services import case_recompute_flagged_deadlines

    _ensure_editable(actor, year)
    if CalendarYear.objects.filter(year=year).exists():
        raise ApplicationError(_("%(year)d is already published.") % {"year": year})
    if not CalendarDay.objects.filter(date__year=year, kind=CalendarDay.Kind.HOLIDAY).exists():
        raise ApplicationError(_("Enter the year's public holidays before publishing it."))
    published = CalendarYear.objects.create(year=year, source=CalendarYear.Source.ADMINISTRATOR)
    record(action="calendar.year_published", actor=actor, target=published, new={"year": year})
    case_recompute_flagged_deadlines()
    return published
