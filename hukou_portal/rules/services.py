"""Writes to the working-day calendar and the rule parameters, each audited.

Both hold for the whole city, as do towns' urban flags and reminder texts: only administrators
of the city bureau (the root office) change them; county-level and station administrators read
them (``city_wide_refusal``)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hukou_portal.accounts.models import User
from hukou_portal.audit.services import record
from hukou_portal.core.exceptions import ApplicationError

from .models import CalendarDay, CalendarYear, RuleParameterValue
from .parameters import SPECS
from .selectors import parameters_in_force


def city_wide_refusal(actor: User) -> str | None:
    """Why ``actor`` may not change a city-wide rule, or None for an administrator of the city bureau."""
    if actor.office is None or actor.office.parent_id is not None:
        return _(
            "Rule parameters, towns, reminder texts, settlement document lists and the working-day "
            "calendar hold for the whole city: only administrators of the city bureau change them. "
            "Your office reads them."
        )
    return None


def ensure_city_wide_change(actor: User, perm: str) -> None:
    """403 unless ``actor`` holds ``perm`` and administers the city bureau (with the reason)."""
    if not actor.has_perm(perm):
        raise PermissionDenied
    why = city_wide_refusal(actor)
    if why is not None:
        raise PermissionDenied(why)


def may_change_city_wide(actor: User, perm: str) -> bool:
    """For pages: show the forms only to those the services let through."""
    return actor.has_perm(perm) and city_wide_refusal(actor) is None


def _ensure_editable(actor: User, year: int) -> None:
    ensure_city_wide_change(actor, "rules.add_calendarday")
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


@transaction.atomic
def parameter_schedule(
    *, actor: User, key: str, value: object, effective_from: dt.date, reason: str
) -> RuleParameterValue:
    """Set a parameter's value from ``effective_from`` on (today or later): decisions already
    made keep the values they used; decisions from that day on use the new one."""
    ensure_city_wide_change(actor, "rules.add_ruleparametervalue")
    spec = SPECS.get(key)
    if spec is None:
        raise ApplicationError(_("Unknown parameter."), field="key")
    try:
        cleaned = spec.clean(value)
    except ValueError as error:
        raise ApplicationError(str(error), field="value") from error
    if effective_from < timezone.localdate():
        raise ApplicationError(_("A change takes effect today or later, never in the past."), field="effective_from")
    if not reason.strip():
        raise ApplicationError(_("Say why the parameter changes."), field="reason")
    if RuleParameterValue.objects.filter(key=key, effective_from=effective_from).exists():
        raise ApplicationError(
            _("A value is already scheduled for that day; withdraw it first."), field="effective_from"
        )
    in_force = parameters_in_force(effective_from)[key]
    row = RuleParameterValue.objects.create(
        key=key, value=cleaned, effective_from=effective_from, reason=reason.strip(), created_by=actor
    )
    record(
        action="parameter.scheduled",
        actor=actor,
        target=row,
        old={"value": in_force},
        new={"key": key, "value": cleaned, "effective_from": effective_from.isoformat()},
        note=reason.strip(),
    )
    return row


@transaction.atomic
def parameter_withdraw(*, actor: User, value_id: int, reason: str) -> None:
    """Withdraw a scheduled value that has not taken effect yet."""
    ensure_city_wide_change(actor, "rules.add_ruleparametervalue")
    row = RuleParameterValue.objects.select_for_update().get(pk=value_id)
    if row.effective_from <= timezone.localdate():
        raise ApplicationError(_("This value is already in force; schedule a new one instead."))
    if not reason.strip():
        raise ApplicationError(_("Say why the change is withdrawn."), field="reason")
    record(
        action="parameter.withdrawn",
        actor=actor,
        target=row,
        old={"key": row.key, "value": row.value, "effective_from": row.effective_from.isoformat()},
        note=reason.strip(),
    )
    row.delete()
