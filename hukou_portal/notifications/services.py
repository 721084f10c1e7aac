"""The sweep (which reminders are due) and the sender (deliver pending rows).

The sweep covers, per kind, the days after the last sweep up to ``as_of``: it finds the subjects
whose milestone falls in that window with range queries on indexed date columns, so its cost
follows the number of reminders due, not the size of the tables. Rows are unique per (kind,
subject, milestone, recipient, channel); a rerun or a concurrent sweep adds nothing.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hukou_portal.accounts.models import User
from hukou_portal.accounts.roles import Role

from .channels import GatewayError, send
from .models import ONCE_PER_SUBJECT, Channel, Kind, MessageTemplate, Notification, SweepState
from .selectors import (
    MILESTONE_PARAMETERS,
    ParameterHistory,
    filings_reaching_filing_period,
    not_settling,
    origin_range,  # noqa: F401  (tests reach it here)
    parameter_history_until,
    parameter_periods,
    permits_reaching_holding_period,
)

logger = logging.getLogger(__name__)

# The first sweep of a fresh installation looks this far back.
INITIAL_LOOKBACK_DAYS = 30
# N4 warns when this many working days are left before a deadline (RULES.md N4 "close to it"),
# and again once it has passed.
DEADLINE_WARNING_WORKING_DAYS = 2
MAX_ATTEMPTS = 6
ONE_DAY = dt.timedelta(days=1)


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass
class Due:
    kind: str
    subject_type: str
    subject_id: int
    milestone: str
    channel: str
    recipient: str
    address: str
    user_id: int | None
    values: dict[str, str]


def _office_staff(office_ids: Iterable[int]) -> dict[int, list[User]]:
    """Counter officers and supervisors of each office, for the inbox (one query)."""
    staff: dict[int, list[User]] = {}
    users = User.objects.filter(
        office_id__in=set(office_ids), is_active=True, groups__name__in=[Role.COUNTER_OFFICER, Role.SUPERVISOR]
    ).distinct()
    for user in users:
        staff.setdefault(user.office_id, []).append(user)  # type: ignore[arg-type]
    return staff


def _to_staff(due: Due, users: list[User]) -> list[Due]:
    """An inbox row for each officer and supervisor, and an e-mail to those who gave an address."""
    rows = []
    for user in users:
        inbox = {
            **due.__dict__,
            "channel": Channel.INBOX,
            "recipient": f"user:{user.pk}",
            "address": "",
            "user_id": user.pk,
        }
        rows.append(Due(**inbox))
        if user.email:
            rows.append(Due(**{**inbox, "channel": Channel.EMAIL, "address": user.email, "user_id": None}))
    return rows


def _sms(
    due_kind: str, subject_type: str, subject_id: int, milestone: str, person: Any, values: dict[str, str]
) -> list[Due]:
    if not person.mobile:
        return []
    return [
        Due(
            due_kind,
            subject_type,
            subject_id,
            milestone,
            Channel.SMS,
            f"person:{person.pk}",
            person.mobile,
            None,
            values,
        )
    ]


def _due_n1(start: dt.date, end: dt.date, history: ParameterHistory) -> list[Due]:
    found: list[Due] = []
    for permit, day in permits_reaching_holding_period(start=start, end=end, history=history):
        values = {
            "name": permit.holder.name,
            "permit_number": permit.number,
            "date": day.isoformat(),
            "office": permit.office.name,
        }
        base = Due(Kind.PERMIT_SIX_MONTHS, "permit", permit.pk, day.isoformat(), "", "", "", None, values)
        found += _sms(base.kind, "permit", permit.pk, base.milestone, permit.holder, values)
        found.append(Due(**{**base.__dict__, "channel": "office", "recipient": f"office:{permit.office_id}"}))
    return found


def _due_n2(start: dt.date, end: dt.date, history: ParameterHistory) -> list[Due]:
    """The tenant, and the office of the rental home (RULES.md N2): the station whose
    jurisdiction holds the lease's town, or its area's county-level bureau while it has none —
    not the office that recorded the filing."""
    from hukou_portal.people.selectors import town_offices

    found: list[Due] = []
    reached = filings_reaching_filing_period(start=start, end=end, history=history)
    offices = town_offices({filing.town_id: filing.town for filing, _day in reached}.values())
    for filing, day in reached:
        office = offices.get(filing.town_id)
        values = {
            "name": filing.tenant.name,
            "filing_number": filing.filing_number,
            "date": day.isoformat(),
            "office": (office or filing.office).name,
        }
        base = Due(Kind.LEASE_MATURED, "lease_filing", filing.pk, day.isoformat(), "", "", "", None, values)
        found += _sms(base.kind, "lease_filing", filing.pk, base.milestone, filing.tenant, values)
        if office is not None:
            found.append(Due(**{**base.__dict__, "channel": "office", "recipient": f"office:{office.pk}"}))
    return found


def _due_n3(start: dt.date, end: dt.date, history: ParameterHistory) -> list[Due]:
    """Permits whose endorsement falls due within ``endorsement_notice_days``, under the value in
    force on each day of the window (as N1 and N2): a permit is due on the first day d with
    ``endorsed_until - notice(d) <= d``. When the notice is raised (30 → 60 days), everyone whose
    new notice day has already passed is due on the change's effective day, so a catch-up across
    it loses nobody; the milestone is the endorsement date, so nobody is told twice."""
    from permits.models import ResidencePermit

    permits = (
        ResidencePermit.objects.filter(status=ResidencePermit.Status.ACTIVE)
        .filter(not_settling("holder_id"))
        .select_related("holder", "office")
    )
    found: list[Due] = []
    for period in parameter_periods(history, "endorsement_notice_days", start, end):
        # Not due on the day before the period (under the value then), due by its end.
        first = period.start + dt.timedelta(days=period.before) + ONE_DAY
        last = period.end + dt.timedelta(days=period.value)
        for permit in permits.filter(endorsed_until__gte=first, endorsed_until__lte=last):
            values = {
                "name": permit.holder.name,
                "permit_number": permit.number,
                "date": permit.endorsed_until.isoformat(),
                "office": permit.office.name,
            }
            found += _sms(
                Kind.ENDORSEMENT_DUE, "permit", permit.pk, permit.endorsed_until.isoformat(), permit.holder, values
            )
    return found


def near_deadline_range(calendar: Any, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The deadlines d, [first, last), that become near in (``start``, ``end``]: more than
    ``DEADLINE_WARNING_WORKING_DAYS`` working days left after ``start``, at most that many after
    ``end`` (working days counted in (day, d]). A count that reaches a year without a published
    calendar stops at its first day: no deadline lies in such a year."""
    from hukou_portal.rules.calendar import CalendarMissing

    def first_beyond(day: dt.date) -> dt.date:
        try:
            return calendar.add_working_days(day, DEADLINE_WARNING_WORKING_DAYS + 1)
        except CalendarMissing as missing:
            return dt.date(missing.year, 1, 1)

    return first_beyond(start), first_beyond(end)


def _deadline_watchers(cases: list[Any]) -> dict[int, list[User]]:
    """Who hears of each case's deadline (RULES.md N4): its assigned officer, and the supervisors
    of its office and of every office above it (the county-level bureau, the city bureau) — not
    every officer of the office. One query for the supervisors, whatever the number of cases."""
    ancestors = {case.pk: _ancestor_paths(case.office.path) for case in cases}
    paths = {path for found in ancestors.values() for path in found}
    supervisors: dict[str, list[User]] = {}
    for user in (
        User.objects.filter(office__path__in=paths, is_active=True, groups__name=Role.SUPERVISOR)
        .select_related("office")
        .distinct()
        .order_by("pk")
    ):
        supervisors.setdefault(user.office.path, []).append(user)  # type: ignore[union-attr]
    watchers: dict[int, list[User]] = {}
    for case in cases:
        users = {user.pk: user for path in ancestors[case.pk] for user in supervisors.get(path, [])}
        officer = case.assigned_officer
        if officer is not None and officer.is_active:
            users.setdefault(officer.pk, officer)
        watchers[case.pk] = sorted(users.values(), key=lambda user: user.pk)
    return watchers


def _ancestor_paths(path: str) -> set[str]:
    """The office's own materialised path and those of the offices above it."""
    codes = [code for code in path.split("/") if code]
    return {"".join(f"{code}/" for code in codes[:depth]) for depth in range(1, len(codes) + 1)}


def _due_n4(start: dt.date, end: dt.date, history: ParameterHistory) -> list[Due]:
    """Cases whose deadline becomes near (at most ``DEADLINE_WARNING_WORKING_DAYS`` working days
    left) or passes in the window; a case that does both in one catch-up is told it is overdue."""
    from hukou_portal.casework.models import CLOCK_RUNNING_STATUSES, Case
    from hukou_portal.rules.calendar import WorkCalendar

    near_from, near_before = near_deadline_range(WorkCalendar.load(), start, end)
    cases = list(
        Case.objects.filter(status__in=CLOCK_RUNNING_STATUSES)
        .filter(Q(deadline__gte=near_from, deadline__lt=near_before) | Q(deadline__gte=start, deadline__lt=end))
        .select_related("office", "assigned_officer")
    )
    watchers = _deadline_watchers(cases)
    found: list[Due] = []
    for case in cases:
        assert case.deadline is not None
        stage = "overdue" if start <= case.deadline < end else "near"
        values = {"case_number": case.reference, "date": case.deadline.isoformat(), "office": case.office.name}
        base = Due(
            Kind.CASE_DEADLINE, "case", case.pk, f"{stage}:{case.deadline.isoformat()}", "", "", "", None, values
        )
        found += _to_staff(base, watchers[case.pk])
    return found


FINDERS = {
    Kind.PERMIT_SIX_MONTHS: _due_n1,
    Kind.LEASE_MATURED: _due_n2,
    Kind.ENDORSEMENT_DUE: _due_n3,
    Kind.CASE_DEADLINE: _due_n4,
}


def _expand_offices(found: list[Due]) -> list[Due]:
    """ "office" recipients (N1: the issuing office, N2: the rental home's) become one inbox row
    per counter officer and supervisor there."""
    office_ids = [int(d.recipient.split(":")[1]) for d in found if d.channel == "office"]
    staff = _office_staff(office_ids) if office_ids else {}
    rows: list[Due] = []
    for due in found:
        if due.channel == "office":
            rows += _to_staff(due, staff.get(int(due.recipient.split(":")[1]), []))
        else:
            rows.append(due)
    return rows


def _render(due: Due, templates: dict[tuple[str, str], str]) -> str:
    text = templates.get((due.kind, due.channel)) or templates.get((due.kind, Channel.INBOX)) or due.kind
    return text.format_map(_Defaults(due.values))


def _once_key(kind: str, subject_type: str, subject_id: int, milestone: str, recipient: str, channel: str) -> tuple:
    """What makes a reminder the same reminder. N1 and N2 say "you may now apply": once per
    permit or lease filing whatever the date (a parameter change moves the date, not the
    milestone); N3 and N4 once per date."""
    if kind in ONCE_PER_SUBJECT:
        return (subject_type, subject_id, recipient, channel)
    return (subject_type, subject_id, milestone, recipient, channel)


@transaction.atomic
def sweep(*, as_of: dt.date) -> dict[str, int]:
    """Insert every reminder due in (last sweep, ``as_of``]; returns how many were created per kind."""
    history = parameter_history_until(keys=[*MILESTONE_PARAMETERS, "endorsement_notice_days"], as_of=as_of)
    templates = {(t.kind, t.channel): t.text for t in MessageTemplate.objects.all()}
    created: dict[str, int] = {}
    for kind, finder in FINDERS.items():
        # A first sweep starts a little before today (or before as_of, if that is earlier).
        first_start = min(as_of, timezone.localdate()) - dt.timedelta(days=INITIAL_LOOKBACK_DAYS)
        state, _ = SweepState.objects.get_or_create(kind=kind, defaults={"swept_to": first_start})
        state = SweepState.objects.select_for_update().get(pk=state.pk)  # one sweep per kind at a time
        if as_of <= state.swept_to:
            created[kind] = 0
            continue
        rows = _expand_offices(finder(state.swept_to, as_of, history))
        existing = {
            _once_key(kind, *row)
            for row in Notification.objects.filter(kind=kind, subject_id__in={r.subject_id for r in rows}).values_list(
                "subject_type", "subject_id", "milestone", "recipient", "channel"
            )
        }
        new = []
        for r in rows:  # in date order: the first milestone of a subject wins
            key = _once_key(kind, r.subject_type, r.subject_id, r.milestone, r.recipient, r.channel)
            if key not in existing:
                existing.add(key)
                new.append(r)
        Notification.objects.bulk_create(
            [
                Notification(
                    kind=r.kind,
                    subject_type=r.subject_type,
                    subject_id=r.subject_id,
                    milestone=r.milestone,
                    channel=r.channel,
                    recipient=r.recipient,
                    address=r.address,
                    user_id=r.user_id,
                    message=_render(r, templates),
                )
                for r in new
            ],
            ignore_conflicts=True,
        )
        state.swept_to = as_of
        state.save(update_fields=["swept_to"])
        created[kind] = len(new)
    transaction.on_commit(_enqueue_delivery)
    return created


def _enqueue_delivery() -> None:
    from .tasks import deliver_pending_task

    try:
        deliver_pending_task.delay()
    except Exception:
        logger.warning("broker unavailable: pending reminders wait for the next delivery run")


def deliver_pending(*, limit: int = 100) -> int:
    """Deliver pending rows that are due (skip those another worker holds). Returns how many."""
    delivered = 0
    now = timezone.now()
    while delivered < limit:
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update(skip_locked=True)
                .filter(status=Notification.Status.PENDING)
                .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                .order_by("id")
                .first()
            )
            if row is None:
                break
            _deliver(row)
            delivered += 1
    return delivered


def _deliver(row: Notification) -> None:
    row.attempts += 1
    try:
        send(row)
    except GatewayError as error:
        row.last_error = str(error)[:1000]
        if row.attempts >= MAX_ATTEMPTS:
            row.status = Notification.Status.FAILED
        else:
            # Exponential backoff: 1, 2, 4, 8 … minutes.
            row.next_attempt_at = timezone.now() + dt.timedelta(minutes=2 ** (row.attempts - 1))
        row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        return
    row.status, row.sent_at, row.last_error = Notification.Status.SENT, timezone.now(), ""
    row.save(update_fields=["attempts", "status", "sent_at", "last_error"])


def _city_level(actor: User) -> bool:
    """Schedules and reminder texts are city-wide: only the city bureau's administrators change them."""
    return actor.office is not None and actor.office.parent_id is None


def inbox_mark_read(*, user: User, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def schedule_update(*, actor: User, task_id: int, minute: str, hour: str, enabled: bool) -> None:
    """An administrator changes when a periodic job runs, or pauses it (audited)."""
    from django.core.exceptions import PermissionDenied
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    from hukou_portal.audit.services import record
    from hukou_portal.core.exceptions import ApplicationError

    if not actor.has_perm("django_celery_beat.change_periodictask") or not _city_level(actor):
        raise PermissionDenied
    task = PeriodicTask.objects.select_for_update(of=("self",)).select_related("crontab").get(pk=task_id)
    from django.utils.translation import gettext as _

    refusals = {
        "minute": _("Minute: enter * (every minute) or a number from 0 to 59."),
        "hour": _("Hour: enter * (every hour) or a number from 0 to 23."),
    }
    for value, field, limit in ((minute, "minute", 59), (hour, "hour", 23)):
        if value != "*" and not (value.isdigit() and 0 <= int(value) <= limit):
            raise ApplicationError(refusals[field], field=field)
    old = {"minute": task.crontab.minute, "hour": task.crontab.hour, "enabled": task.enabled} if task.crontab else {}
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    task.crontab, task.enabled = crontab, enabled
    task.save()
    record(
        action="schedule.changed",
        actor=actor,
        target=task,
        old=old,
        new={"minute": minute, "hour": hour, "enabled": enabled},
    )


@transaction.atomic
def message_template_update(*, actor: User, template_id: int, text: str) -> MessageTemplate:
    """An administrator rewrites a reminder text; unknown placeholders are refused."""
    import string

    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from hukou_portal.audit.services import record
    from hukou_portal.core.exceptions import ApplicationError

    if not actor.has_perm("notifications.change_messagetemplate") or not _city_level(actor):
        raise PermissionDenied
    allowed = {"name", "permit_number", "filing_number", "case_number", "date", "office"}
    try:
        used = {field for _literal, field, _spec, _conv in string.Formatter().parse(text) if field is not None}
    except ValueError as error:
        raise ApplicationError(
            _("The text has a broken placeholder: %(error)s") % {"error": error}, field="text"
        ) from error
    if not text.strip() or used - allowed:
        raise ApplicationError(
            _("Use only these placeholders: %(allowed)s.")
            % {"allowed": ", ".join(f"{{{a}}}" for a in sorted(allowed))},
            field="text",
        )
    template = MessageTemplate.objects.select_for_update().get(pk=template_id)
    old = template.text
    template.text = text.strip()
    template.save(update_fields=["text"])
    record(action="reminder_text.changed", actor=actor, target=template, old={"text": old}, new={"text": template.text})
    return template
