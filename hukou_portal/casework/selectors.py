"""Reads of cases, always scoped to the asking user's offices."""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Right
from django.shortcuts import get_object_or_404
from django.utils import timezone

from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.selectors import office_visible_ids
from hukou_portal.audit.models import AuditEvent
from hukou_portal.rules.calendar import CalendarMissing, WorkCalendar

from .models import (
    CLOCK_RUNNING_STATUSES,
    OPEN_STATUSES,
    SERIAL_DIGITS,
    Case,
    CaseDocument,
    CaseNote,
    Status,
    deadline_key,
)


def case_list_for_user(*, user: User) -> QuerySet[Case]:
    """The cases of the user's offices; for a supervisor also the cases those offices handed over
    (转办) that the receiving office has not acted on yet (``Case.handover_from``): readable, never
    actionable — every action checks the case's own office (``workflow.refusal``)."""
    # The offices as numbers, not a subquery (one small query more): PostgreSQL then knows from
    # its statistics how many cases they hold. Through a subquery it assumed a station holds a
    # tenth of them; at a station holding most, a deep page of ?due_within=3 sorted every running
    # case (50-100 ms) instead of reading 26 rows of case_open_by_deadline_newest (bench/lists.py).
    offices = office_visible_ids(user=user)
    visible = Q(office__in=offices)
    if Role.SUPERVISOR in user.roles and offices:
        visible |= Q(handover_from__in=offices)
    return Case.objects.filter(visible).select_related("applicant", "office", "assigned_officer", "handover_from")


def case_get_for_user(*, user: User, pk: int) -> Case:
    """The case if it belongs to the user's offices, or is in handover from them to a supervisor;
    404 otherwise (every case URL uses it)."""
    return get_object_or_404(case_list_for_user(user=user), pk=pk)


def case_visible_to(*, user: User, case: Case) -> bool:
    """Whether ``user`` may open ``case``, as ``case_list_for_user`` decides, without a query of
    its own (load ``office`` and ``handover_from`` with the case)."""
    own = user.office.path if user.office is not None and user.office.is_active else None
    if own is None:
        return False
    if case.office.path.startswith(own):
        return True
    return Role.SUPERVISOR in user.roles and case.handover_from is not None and case.handover_from.path.startswith(own)


def case_in_handover_view(*, user: User, case: Case) -> bool:
    """The user reads ``case`` only because their offices handed it over (no action is theirs)."""
    own = user.office.path if user.office is not None else None
    return own is not None and not case.office.path.startswith(own) and case_visible_to(user=user, case=case)


def document_get_for_user(*, user: User, case_pk: int, pk: int) -> CaseDocument:
    case = case_get_for_user(user=user, pk=case_pk)
    return get_object_or_404(CaseDocument.objects.select_related("case"), case=case, pk=pk)


QUEUES = ("office", "mine", "approval", "overdue", "all")


def case_queue(*, user: User, queue: str, today: dt.date | None = None, every_state: bool = False) -> QuerySet[Case]:
    """office: every open case of the user's offices; mine: assigned to the user; approval:
    waiting for a supervisor; overdue: the deadline has passed while the clock runs; all: every
    case of the user's offices in every state, completed and withdrawn included (全部).

    ``every_state`` lifts the open-states limit of office and mine, for a search by number or
    an explicit status filter: a completed case is found again from any tab. Each row carries
    ``deadline_key`` (the deadline, or the last date when there is none), the queues' sort key.
    """
    today = today or timezone.localdate()
    cases = case_list_for_user(user=user).annotate(deadline_key=deadline_key())
    if queue == "all":
        return cases
    if queue == "mine":
        mine = cases.filter(assigned_officer=user)
        return mine if every_state else mine.filter(status__in=OPEN_STATUSES)
    if queue == "approval":
        if Role.SUPERVISOR not in user.roles:
            return cases.none()
        return cases.filter(status=Status.PENDING_APPROVAL)
    if queue == "overdue":
        return cases.filter(status__in=CLOCK_RUNNING_STATUSES, deadline__lt=today)
    return cases if every_state else cases.filter(status__in=OPEN_STATUSES)


FULL_REFERENCE = re.compile(rf"HZ-\d{{6}}-\d{{4}}-\d{{{SERIAL_DIGITS}}}")
# The serial tail, optionally after its year: 000012, 12, 2026-000012.
REFERENCE_TAIL = re.compile(rf"(?:(\d{{4}})-)?(\d{{1,{SERIAL_DIGITS}}})")


def case_reference_filter(query: str) -> Q | None:
    """The filter for a case number typed in full (``HZ-330502-2026-000012``) or by its serial
    tail (``000012``, ``12``, ``2026-000012``); None when the text is neither. The tail is
    matched through the ``case_by_serial`` index, never a ``LIKE '%…'`` scan."""
    text = re.sub(r"\s+", "", query).upper()
    if FULL_REFERENCE.fullmatch(text):
        return Q(reference=text)
    match = REFERENCE_TAIL.fullmatch(text)
    if match is None:
        return None
    year, serial = match.groups()
    condition = Q(reference_serial=serial.zfill(SERIAL_DIGITS))
    if year:
        condition &= Q(reference__contains=f"-{year}-")
    return condition


def case_search(cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    """``cases`` whose number matches ``query`` (see ``case_reference_filter``)."""
    condition = case_reference_filter(query)
    if condition is None:
        return cases.none()
    return cases.alias(reference_serial=Right("reference", SERIAL_DIGITS)).filter(condition)


@dataclass(frozen=True)
class DeadlineView:
    """What a queue row or a case page says about the deadline."""

    days_left: int | None  # working days; negative when overdue
    overdue: bool
    calendar_missing: bool
    paused: bool


def deadline_view(case: Case, calendar: WorkCalendar, today: dt.date) -> DeadlineView:
    paused = case.status == Status.SUPPLEMENT_REQUESTED
    running = case.status in CLOCK_RUNNING_STATUSES
    if case.deadline is None or not (running or paused):
        return DeadlineView(None, False, case.deadline_calendar_missing and running, paused)
    try:
        days_left = calendar.working_days_between(today, case.deadline)
    except CalendarMissing:
        return DeadlineView(None, case.deadline < today, True, paused)
    return DeadlineView(days_left, running and case.deadline < today, False, paused)


def case_timeline(*, case: Case) -> QuerySet[AuditEvent]:
    """The case's history, read from the audit trail (the caller has checked visibility)."""
    return AuditEvent.objects.filter(case=case).select_related("actor", "actor_office").order_by("occurred_at", "id")


TIMELINE_LATEST = 50  # a case's page shows this many of its latest events; its history page all


@dataclass(frozen=True)
class LatestEvents:
    events: list[AuditEvent]  # the latest, oldest first
    earlier: bool  # the history holds older ones (its own page shows them)


def _latest(queryset: QuerySet[Any], count: int, *newest_first: str) -> tuple[list[Any], bool]:
    """The latest ``count`` rows, oldest first, and whether there are earlier ones (one query)."""
    rows = list(queryset.order_by(*newest_first)[: count + 1])
    return rows[:count][::-1], len(rows) > count


def case_timeline_latest(*, case: Case, count: int = TIMELINE_LATEST) -> LatestEvents:
    """The case's latest ``count`` events, oldest first: a case's page costs the same with 5
    events or 500 (one query, by the audit trail's case index)."""
    events, earlier = _latest(case_timeline(case=case), count, "-occurred_at", "-id")
    return LatestEvents(events=events, earlier=earlier)


NOTES_LATEST = 20  # a case's page shows this many of its latest internal notes; its notes page all


def case_notes(*, case: Case) -> QuerySet[CaseNote]:
    """The case's internal notes with their authors, oldest first (the caller has checked
    visibility)."""
    return case.notes.select_related("author").order_by("created_at", "id")


@dataclass(frozen=True)
class LatestNotes:
    notes: list[CaseNote]  # the latest, oldest first
    earlier: bool  # there are older ones (the notes page shows them)


def case_notes_latest(*, case: Case, count: int = NOTES_LATEST) -> LatestNotes:
    """The case's latest ``count`` notes: a case's page costs the same with 3 notes or 300."""
    notes, earlier = _latest(case_notes(case=case), count, "-created_at", "-id")
    return LatestNotes(notes=notes, earlier=earlier)


@dataclass(frozen=True)
class ResponsibleOffice:
    """Where the case's address lies (its kind's ``address_town``) and who answers for it."""

    town: Any
    office: Any  # the station of the town's jurisdiction, or its county-level bureau meanwhile
    elsewhere: bool  # another station than the case's: 转办 there is offered (D1)


def case_responsible_office(*, case: Case) -> ResponsibleOffice | None:
    """The office answering for the town of the case's address (``people.selectors.town_offices``),
    or None when the kind names no town for this case (or nobody answers for it). ``elsewhere``
    when that office is an open police station other than the case's own: the one a transfer can
    go to. A few small queries (the town, its area and station, the bureaus)."""
    from hukou_portal.people.selectors import town_offices

    town = case.kind_spec.address_town(case)
    if town is None:
        return None
    office = town_offices([town]).get(town.pk)
    if office is None:
        return None
    elsewhere = office.pk != case.office_id and office.level == Office.Level.STATION and office.is_active
    return ResponsibleOffice(town, office, elsewhere)
