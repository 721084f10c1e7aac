"""Writes to cases. One service per action: lock the row, check the version and the move,
change it, bump the version, audit it — all in one transaction, so a refusal writes nothing."""

import contextlib
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.selectors import office_may_see
from hukou_portal.audit.services import record
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.core.redaction import redact_id_numbers
from hukou_portal.people.models import Person, PersonOffice
from hukou_portal.people.services import person_lookup_record, person_office_touch
from hukou_portal.rules.calendar import CalendarMissing, WorkCalendar
from hukou_portal.rules.parameters import case_deadline_key
from hukou_portal.rules.selectors import parameter_in_force

from . import workflow
from .kinds import get_kind
from .models import Case, CaseNote, Decision, ReferenceSerial


class CaseConflict(ApplicationError):
    """The case changed since the user loaded it: reload, never overwrite."""

    audit_outcome = "failed"  # nobody refused: a concurrent change won

    def __init__(self) -> None:
        super().__init__(_("This case was changed by someone else. Reload the page and try again."))


class ActionRefused(ApplicationError):
    pass


def next_serial(*, series: str, area_code: str, year: int) -> int:
    """The next number of a series for an area and year, in one statement (an upsert, on
    PostgreSQL and SQLite alike). The row stays locked until the caller's transaction ends, so
    two callers never get the same number and none is reused."""
    table = connection.ops.quote_name(ReferenceSerial._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (series, area_code, year, last_serial) VALUES (%s, %s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (series, area_code, year) DO UPDATE SET last_serial = {table}.last_serial + 1 "
            "RETURNING last_serial",
            [series, area_code, year],
        )
        (serial,) = cursor.fetchone()
    return int(serial)


def _next_reference(*, area_code: str, year: int) -> str:
    """``HZ-<area code>-<year>-<serial>``."""
    return f"HZ-{area_code}-{year}-{next_serial(series='case', area_code=area_code, year=year):06d}"


def lock_case(case_id: int, expected_version: int | None) -> Case:
    """Lock the case row for this transaction; refuse when it changed since ``expected_version``
    (None: the caller has no rendered form to compare, e.g. a command or a test)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("office").get(pk=case_id)
    if expected_version is not None and case.version != expected_version:
        raise CaseConflict
    return case


def end_handover(case: Case, actor: User) -> list[str]:
    """The receiving office acts on a case handed over to it (转办): from now on the handing
    office's supervisors no longer read it. Returns the field to save; audited with the names of
    both offices. Nothing when the case is not in handover."""
    if case.handover_from_id is None:
        return []
    handing = Office.objects.get(pk=case.handover_from_id)
    case.handover_from = None
    record(
        action="case.handover_ended",
        actor=actor,
        target=case,
        case=case,
        old={"handover_from": handing.name},
        new={"to_office": case.office.name},
    )
    return ["handover_from"]


def save_case(case: Case, fields: list[str]) -> None:
    """Save ``fields`` and bump the version, so every form rendered before is now stale."""
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])


def compute_deadline(case: Case, calendar: WorkCalendar) -> None:
    """Set ``deadline`` from the clock start, the kind's processing time and the 补正 pauses;
    flag it instead when the count reaches a year without a published calendar. The processing
    time is the kind's ``case_deadline_days`` in force on the day the case was accepted, read
    once and kept (``deadline_working_days``)."""
    if case.clock_started_on is None:
        case.deadline, case.deadline_calendar_missing = None, False
        return
    if case.deadline_working_days is None:
        case.deadline_working_days = int(parameter_in_force(case_deadline_key(case.kind), case.clock_started_on))
    days = case.deadline_working_days + case.paused_working_days
    try:
        case.deadline = calendar.add_working_days(case.clock_started_on, days)
        case.deadline_calendar_missing = False
    except CalendarMissing:
        case.deadline, case.deadline_calendar_missing = None, True


def _transition(
    *,
    case_id: int,
    action: str,
    actor: User,
    expected_version: int | None,
    note: str = "",
    change: Callable[[Case], list[str]] | None = None,
    extra_new: dict[str, Any] | None = None,
) -> Case:
    """Check ``action`` under the row lock, move the case, apply ``change``, audit.
    ``extra_new`` may be filled by ``change`` (it is read after it ran)."""
    case = lock_case(case_id, expected_version)
    spec = workflow.ACTIONS[action]
    why = workflow.refusal(spec, case, actor)
    if why is not None:
        raise ActionRefused(why)
    old = {"status": case.status}
    fields: list[str] = [] if action == "transfer" else end_handover(case, actor)
    if spec.target is not None:
        case.status = spec.target
        fields.append("status")
    if change is not None:
        fields += change(case)
    save_case(case, fields)
    new = {"status": case.status, **(extra_new or {})}
    record(action=f"case.{action}", actor=actor, target=case, case=case, old=old, new=new, note=note)
    return case


@transaction.atomic
def case_create(
    *, actor: User, kind: str, category: str, applicant: Person, details: dict[str, Any] | None = None
) -> Case:
    """Open a draft case at the actor's office, assigned to the actor; the kind stores the
    facts of its intake form (``details``) in the same transaction. Any person of the city may
    be the applicant (全域就近办): the office has served them from now on (``PersonOffice``)."""
    spec = get_kind(kind)
    if Role.COUNTER_OFFICER not in actor.roles or actor.office is None:
        raise ActionRefused(_("Only a counter officer opens cases."))
    try:
        spec.category(category)
    except KeyError:
        raise ApplicationError(_("Choose a category of this kind."), field="category") from None
    case = Case(
        reference=_next_reference(area_code=actor.office.area_code, year=timezone.localdate().year),
        kind=kind,
        category=category,
        applicant=applicant,
        office=actor.office,
        assigned_officer=actor,
    )
    # The applicant, office and officer are rows in hand and the number is new: checking that
    # they exist and that it is unique would cost four queries the database's constraints repeat.
    case.full_clean(exclude=["applicant", "office", "assigned_officer"], validate_unique=False)
    case.save()
    spec.on_intake(case, details or {})
    person_office_touch(person=applicant, office=actor.office, via=PersonOffice.Via.CASE)
    record(
        action="case.created",
        actor=actor,
        target=case,
        case=case,
        new={"kind": kind, "category": category, "status": case.status},
    )
    return case


class NotInCityRegister(ApplicationError):
    def __init__(self) -> None:
        super().__init__(
            _("Nobody with this citizen ID number is in the city register: record the person first."),
            field="applicant_id_number",
        )


@transaction.atomic
def case_create_for_id_number(
    *, actor: User, kind: str, category: str, applicant_id_number: str, details: dict[str, Any] | None = None
) -> Case:
    """Intake at the counter by the applicant's full citizen ID number: any person of the city
    register, whichever office recorded them (全域就近办, D1). Finding them is a lookup for
    business, accounted for (D3) and tied to the case it opened (``person.lookup``); a number
    nobody holds is refused (``NotInCityRegister``) and nothing is written."""
    applicant = Person.objects.with_id_number(applicant_id_number).first()
    if applicant is None:
        raise NotInCityRegister
    case = case_create(actor=actor, kind=kind, category=category, applicant=applicant, details=details)
    person_lookup_record(actor=actor, person=applicant, case=case)
    return case


@transaction.atomic
def case_submit(*, case_id: int, actor: User, expected_version: int | None) -> Case:
    """受理: the deadline clock starts today."""

    def start_clock(case: Case) -> list[str]:
        case.clock_started_on = timezone.localdate()
        compute_deadline(case, WorkCalendar.load())
        return ["clock_started_on", "deadline_working_days", "deadline", "deadline_calendar_missing"]

    return _transition(
        case_id=case_id, action="submit", actor=actor, expected_version=expected_version, change=start_clock
    )


@transaction.atomic
def case_start_review(*, case_id: int, actor: User, expected_version: int | None) -> Case:
    def take(case: Case) -> list[str]:
        if case.assigned_officer_id is None:
            case.assigned_officer = actor
        return ["assigned_officer"]

    return _transition(
        case_id=case_id, action="start_review", actor=actor, expected_version=expected_version, change=take
    )


@transaction.atomic
def case_request_supplement(*, case_id: int, actor: User, expected_version: int | None, comment: str) -> Case:
    """补正: list what is missing; the deadline clock stops today; the case counts one more
    request (``supplement_requests``)."""
    if not comment.strip():
        raise ApplicationError(_("Say what the applicant must bring."), field="comment")
    case = Case.objects.get(pk=case_id)
    # Codes, not labels: the trail stays the same in every language, and the vocabulary
    # (casework/labels.py, document_words) names each document when the event is read.
    missing = list(workflow.missing_documents(case))

    def pause(case: Case) -> list[str]:
        case.paused_on = timezone.localdate()
        case.supplement_requests += 1  # the row is locked: no lost increment
        return ["paused_on", "supplement_requests"]

    return _transition(
        case_id=case_id,
        action="request_supplement",
        actor=actor,
        expected_version=expected_version,
        note=comment,
        change=pause,
        extra_new={"missing_documents": missing},
    )


@transaction.atomic
def case_receive_supplement(*, case_id: int, actor: User, expected_version: int | None) -> Case:
    """The documents arrived: the working days spent waiting extend the deadline."""

    def resume(case: Case) -> list[str]:
        calendar = WorkCalendar.load()
        paused_on = case.paused_on or timezone.localdate()
        # A pause that ran into an unknown year cannot be counted: the deadline is flagged below.
        with contextlib.suppress(CalendarMissing):
            case.paused_working_days += calendar.working_days_between(paused_on, timezone.localdate())
        case.paused_on = None
        compute_deadline(case, calendar)
        return ["paused_on", "paused_working_days", "deadline_working_days", "deadline", "deadline_calendar_missing"]

    return _transition(
        case_id=case_id, action="receive_supplement", actor=actor, expected_version=expected_version, change=resume
    )


@transaction.atomic
def case_forward(*, case_id: int, actor: User, expected_version: int | None) -> Case:
    def mark_reviewer(case: Case) -> list[str]:
        case.reviewed_by = actor
        return ["reviewed_by"]

    return _transition(
        case_id=case_id, action="forward", actor=actor, expected_version=expected_version, change=mark_reviewer
    )


def _decide(
    *,
    action: str,
    decision: str,
    case_id: int,
    actor: User,
    expected_version: int | None,
    reason: str = "",
    justification: str = "",
) -> Case:
    """Record the decision (who, when, and for a rejection the reason the applicant reads).
    The kind's ``on_decide`` hook may refuse it or record its basis."""
    reason, justification = reason.strip(), justification.strip()
    if decision == Decision.REJECTED and not reason:
        raise ApplicationError(_("A rejection needs a reason the applicant will read."), field="reason")
    extra: dict[str, Any] = {"reason": reason} if reason else {}

    def change(case: Case) -> list[str]:
        extra.update(case.kind_spec.on_decide(case, actor, decision, justification))
        case.decision, case.decided_by, case.decided_at = decision, actor, timezone.now()
        case.rejection_reason = redact_id_numbers(reason)  # free text: no full ID number at rest
        return ["decision", "decided_by", "decided_at", "rejection_reason"]

    return _transition(
        case_id=case_id,
        action=action,
        actor=actor,
        expected_version=expected_version,
        change=change,
        extra_new=extra,
        note=justification,
    )


@transaction.atomic
def case_approve(*, case_id: int, actor: User, expected_version: int | None, justification: str = "") -> Case:
    """A supervisor of the case's office or above approves; never one of its handlers (four eyes).
    ``justification`` is the written reason for approving against the kind's own check."""
    return _decide(
        action="approve",
        decision=Decision.APPROVED,
        case_id=case_id,
        actor=actor,
        expected_version=expected_version,
        justification=justification,
    )


@transaction.atomic
def case_reject(*, case_id: int, actor: User, expected_version: int | None, reason: str) -> Case:
    """The reason is shown to the applicant; internal remarks belong in a note."""
    return _decide(
        action="reject",
        decision=Decision.REJECTED,
        case_id=case_id,
        actor=actor,
        expected_version=expected_version,
        reason=reason,
    )


@transaction.atomic
def case_send_back(*, case_id: int, actor: User, expected_version: int | None, comment: str) -> Case:
    if not comment.strip():
        raise ApplicationError(_("Say what the review must look at again."), field="comment")
    return _transition(
        case_id=case_id, action="send_back", actor=actor, expected_version=expected_version, note=comment
    )


@transaction.atomic
def case_approve_at_counter(*, case_id: int, actor: User, expected_version: int | None) -> Case:
    """Kinds without supervisor approval are decided by the counter officer."""
    return _decide(
        action="approve_at_counter",
        decision=Decision.APPROVED,
        case_id=case_id,
        actor=actor,
        expected_version=expected_version,
    )


@transaction.atomic
def case_reject_at_counter(*, case_id: int, actor: User, expected_version: int | None, reason: str) -> Case:
    return _decide(
        action="reject_at_counter",
        decision=Decision.REJECTED,
        case_id=case_id,
        actor=actor,
        expected_version=expected_version,
        reason=reason,
    )


@transaction.atomic
def case_complete(*, case_id: int, actor: User, expected_version: int | None) -> Case:
    """办结 (``completed_at``: now). An approved case's kind writes its effect in this same transaction."""

    def stamp(case: Case) -> list[str]:
        case.completed_at = timezone.now()
        return ["completed_at"]

    case = _transition(case_id=case_id, action="complete", actor=actor, expected_version=expected_version, change=stamp)
    if case.decision == Decision.APPROVED:
        case.kind_spec.on_complete(case, actor)
    return case


@transaction.atomic
def case_withdraw(*, case_id: int, actor: User, expected_version: int | None, reason: str) -> Case:
    if not reason.strip():
        raise ApplicationError(_("Say why the application is withdrawn."), field="reason")
    return _transition(
        case_id=case_id, action="withdraw", actor=actor, expected_version=expected_version, note=reason.strip()
    )


@transaction.atomic
def case_reassign(*, case_id: int, actor: User, expected_version: int | None, officer: User) -> Case:
    case = Case.objects.select_related("office").get(pk=case_id)
    if Role.COUNTER_OFFICER not in officer.roles or not office_may_see(user=officer, office=case.office):
        raise ApplicationError(_("Choose a counter officer who works on this office's cases."), field="officer")
    old_officer = case.assigned_officer.username if case.assigned_officer else None

    def assign(case: Case) -> list[str]:
        case.assigned_officer = officer
        return ["assigned_officer"]

    return _transition(
        case_id=case_id,
        action="reassign",
        actor=actor,
        expected_version=expected_version,
        change=assign,
        extra_new={"assigned_officer": officer.username, "previous_officer": old_officer},
    )


@transaction.atomic
def case_transfer(*, case_id: int, actor: User, expected_version: int | None, office: Office) -> Case:
    """转办 (D1): the case moves to the responsible office and waits for an officer there.
    The event names both offices, so both see the transfer in the trail. Until the receiving
    office first acts on it, the handing office's supervisors may still read it (``handover_from``,
    cleared by ``end_handover``); the receiving office has served the applicant from now on."""
    case = Case.objects.get(pk=case_id)
    if office.pk == case.office_id or office.level != Office.Level.STATION or not office.is_active:
        raise ApplicationError(_("Choose another active police station."), field="office")
    old_office = case.office

    def move(case: Case) -> list[str]:
        case.handover_from = case.office
        case.office, case.assigned_officer = office, None
        person_office_touch(person=case.applicant, office=office, via=PersonOffice.Via.TRANSFER)
        return ["office", "assigned_officer", "handover_from"]

    return _transition(
        case_id=case_id,
        action="transfer",
        actor=actor,
        expected_version=expected_version,
        change=move,
        extra_new={"from_office": old_office.name, "to_office": office.name},
    )


@transaction.atomic
def case_add_note(*, case_id: int, actor: User, expected_version: int | None, text: str) -> CaseNote:
    """An internal note (never shown to the applicant)."""
    case = lock_case(case_id, expected_version)
    if not office_may_see(user=actor, office=case.office) or not (
        {Role.COUNTER_OFFICER, Role.SUPERVISOR} & actor.roles
    ):
        raise ActionRefused(_("Only officers and supervisors of the case's offices write notes."))
    if not text.strip():
        raise ApplicationError(_("The note is empty."), field="text")
    # Free text keeps no full ID number (the case names its applicant): masked before it is stored.
    note = CaseNote.objects.create(case=case, author=actor, text=redact_id_numbers(text.strip()))
    save_case(case, end_handover(case, actor))
    record(action="case.note_added", actor=actor, target=case, case=case, note=note.text)
    return note


@transaction.atomic
def case_recompute_flagged_deadlines() -> int:
    """After a calendar year is published: give flagged cases their real deadline."""
    calendar = WorkCalendar.load()
    count = 0
    for case in Case.objects.select_for_update().filter(deadline_calendar_missing=True):
        compute_deadline(case, calendar)
        if case.deadline is not None:
            save_case(case, ["deadline_working_days", "deadline", "deadline_calendar_missing"])
            record(action="case.deadline_set", case=case, target=case, new={"deadline": case.deadline.isoformat()})
            count += 1
    return count
