"""The workflow as data: every action, the states it starts from, where it leads, who may take it.

``refusal(action, case, user)`` is the single answer to "may this user do this now?" — the
services enforce it under a row lock, the pages use ``available_actions`` to show buttons.

    draft → submitted (受理) → in_review ⇄ supplement_requested (补正)
    in_review → pending_approval → approved | rejected → completed (办结)
    (kinds without supervisor approval: in_review → approved | rejected at the counter)
    any state before a decision → withdrawn (撤回)

Four eyes: whoever created, accepted, reviewed (started the review, asked for or received 补正,
uploaded or judged a document) or forwarded a case never approves or rejects it as supervisor,
whatever roles the account holds. The set comes from the case's audit trail, which is
append-only, so no later edit of the case's fields can hide a handler. Decisions at the counter
(kinds without supervisor approval) are by law one officer's decision, so the rule does not
apply to them; they never reach a supervisor's queue.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hukou_portal.accounts.models import User
from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.selectors import office_may_see

from .models import Case, CaseDocument, Status, Verdict
from .on_file import OnFile, documents_on_file

# The audit events on a case that make their actor one of its handlers (four eyes).
HANDLING_EVENTS = (
    "case.created",
    "case.submit",
    "case.start_review",
    "case.request_supplement",
    "case.receive_supplement",
    "case.forward",
    "document.uploaded",
    "document.verdict",
)

BEFORE_DECISION = frozenset(
    {Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.SUPPLEMENT_REQUESTED, Status.PENDING_APPROVAL}
)
TRANSFERABLE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.SUPPLEMENT_REQUESTED})


def _always(case: Case) -> bool:
    return True


@dataclass(frozen=True)
class Action:
    code: str
    label: str | Promise
    explanation: str | Promise
    sources: frozenset[str]
    target: str | None  # None: the status stays (reassign, transfer)
    role: str
    # Extra form field the confirm page asks for: "comment", "reason", "justification" (optional),
    # "officer" or "office".
    field: str | None = None
    four_eyes: bool = False
    needs_documents: bool = False
    applies: Callable[[Case], bool] = _always
    style: str = "primary"


def _needs_approval(case: Case) -> bool:
    return case.kind_spec.needs_approval


def _decided_at_counter(case: Case) -> bool:
    return not case.kind_spec.needs_approval


ACTIONS: dict[str, Action] = {
    action.code: action
    for action in [
        Action(
            "submit",
            gettext_lazy("Accept (受理)"),
            gettext_lazy("Accept the application at the counter. The deadline starts today."),
            frozenset({Status.DRAFT}),
            Status.SUBMITTED,
            Role.COUNTER_OFFICER,
        ),
        Action(
            "start_review",
            gettext_lazy("Start review"),
            gettext_lazy("Take the case and start checking facts and documents."),
            frozenset({Status.SUBMITTED}),
            Status.IN_REVIEW,
            Role.COUNTER_OFFICER,
        ),
        Action(
            "request_supplement",
            gettext_lazy("Request documents (补正)"),
            gettext_lazy(
                "Ask the applicant for the missing or corrected documents. The deadline clock stops until they arrive."
            ),
            frozenset({Status.IN_REVIEW}),
            Status.SUPPLEMENT_REQUESTED,
            Role.COUNTER_OFFICER,
            field="comment",
            style="warning",
        ),
        Action(
            "receive_supplement",
            gettext_lazy("Documents received"),
            gettext_lazy("The requested documents have arrived. The deadline clock restarts today."),
            frozenset({Status.SUPPLEMENT_REQUESTED}),
            Status.IN_REVIEW,
            Role.COUNTER_OFFICER,
        ),
        Action(
            "forward",
            gettext_lazy("Forward for approval"),
            gettext_lazy("Review is done and every required document is accepted. A supervisor decides next."),
            frozenset({Status.IN_REVIEW}),
            Status.PENDING_APPROVAL,
            Role.COUNTER_OFFICER,
            needs_documents=True,
            applies=_needs_approval,
        ),
        Action(
            "approve",
            gettext_lazy("Approve"),
            gettext_lazy("Approve the application."),
            frozenset({Status.PENDING_APPROVAL}),
            Status.APPROVED,
            Role.SUPERVISOR,
            field="justification",
            four_eyes=True,
            needs_documents=True,
            applies=_needs_approval,
            style="success",
        ),
        Action(
            "reject",
            gettext_lazy("Reject"),
            gettext_lazy("Reject the application. The reason is shown to the applicant."),
            frozenset({Status.PENDING_APPROVAL}),
            Status.REJECTED,
            Role.SUPERVISOR,
            field="reason",
            four_eyes=True,
            applies=_needs_approval,
            style="danger",
        ),
        Action(
            "send_back",
            gettext_lazy("Send back to review"),
            gettext_lazy("Return the case to the counter officer with a comment."),
            frozenset({Status.PENDING_APPROVAL}),
            Status.IN_REVIEW,
            Role.SUPERVISOR,
            field="comment",
            style="warning",
        ),
        Action(
            "approve_at_counter",
            gettext_lazy("Approve"),
            gettext_lazy("This kind needs no supervisor approval: approve it at the counter."),
            frozenset({Status.IN_REVIEW}),
            Status.APPROVED,
            Role.COUNTER_OFFICER,
            needs_documents=True,
            applies=_decided_at_counter,
            style="success",
        ),
        Action(
            "reject_at_counter",
            gettext_lazy("Reject"),
            gettext_lazy("Reject the application. The reason is shown to the applicant."),
            frozenset({Status.IN_REVIEW}),
            Status.REJECTED,
            Role.COUNTER_OFFICER,
            field="reason",
            applies=_decided_at_counter,
            style="danger",
        ),
        Action(
            "complete",
            gettext_lazy("Complete (办结)"),
            gettext_lazy("Close the case. An approved case takes effect now."),
            frozenset({Status.APPROVED, Status.REJECTED}),
            Status.COMPLETED,
            Role.COUNTER_OFFICER,
            style="success",
        ),
        Action(
            "withdraw",
            gettext_lazy("Withdraw"),
            gettext_lazy("The applicant withdraws the application. Say why."),
            BEFORE_DECISION,
            Status.WITHDRAWN,
            Role.COUNTER_OFFICER,
            field="reason",
            style="secondary",
        ),
        Action(
            "reassign",
            gettext_lazy("Reassign"),
            gettext_lazy("Give the case to another counter officer of its office."),
            BEFORE_DECISION,
            None,
            Role.SUPERVISOR,
            field="officer",
            style="secondary",
        ),
        Action(
            "transfer",
            gettext_lazy("Transfer (转办)"),
            gettext_lazy("Send the case to the office responsible for it (D1). Both offices keep it in the history."),
            TRANSFERABLE,
            None,
            Role.COUNTER_OFFICER,
            field="office",
            style="secondary",
        ),
    ]
}


def missing_documents(
    case: Case, documents: list[CaseDocument] | None = None, on_file: dict[str, OnFile] | None = None
) -> list[str]:
    """Codes of required documents whose latest upload is missing or not accepted, leaving out
    those met by a record on file (``on_file.documents_on_file``: the applicant's photo, D2),
    read now when not given."""
    if documents is None:
        documents = list(case.documents.all())
    if on_file is None:
        on_file = documents_on_file(case)
    latest: dict[str, CaseDocument] = {}
    for document in sorted(documents, key=lambda d: (d.uploaded_at, d.pk)):
        latest[document.requirement] = document
    return [
        requirement.code
        for requirement in case.kind_spec.required_documents(case.category)
        if requirement.code not in on_file
        and (requirement.code not in latest or latest[requirement.code].verdict != Verdict.ACCEPTED)
    ]


def case_handler_ids(case: Case) -> frozenset[int]:
    """Ids of everyone who created, accepted, reviewed or forwarded ``case``, from its trail."""
    from hukou_portal.audit.models import AuditEvent

    ids = AuditEvent.objects.filter(case=case, action__in=HANDLING_EVENTS, actor__isnull=False).values_list(
        "actor_id", flat=True
    )
    return frozenset(ids) | ({case.reviewed_by_id} if case.reviewed_by_id else frozenset())


def refusal(
    action: Action,
    case: Case,
    user: User,
    documents: list[CaseDocument] | None = None,
    handlers: frozenset[int] | None = None,
    on_file: dict[str, OnFile] | None = None,
) -> str | None:
    """Why ``user`` may not take ``action`` on ``case`` now, or None when they may.
    ``handlers`` (``case_handler_ids``) is read from the trail when not given."""
    if not office_may_see(user=user, office=case.office):
        return _("This case belongs to an office you may not see.")
    if action.role not in user.roles:
        return _("Your role may not do this: it needs the role %(role)s.") % {"role": Role(action.role).label}
    if case.status not in action.sources or not action.applies(case):
        return _("This cannot be done while the case is “%(status)s”.") % {"status": Status(case.status).label}
    if action.four_eyes and user.pk in (case_handler_ids(case) if handlers is None else handlers):
        return _(
            "You created, accepted, reviewed or forwarded this case, so another supervisor must decide it (four eyes)."
        )
    if action.needs_documents:
        missing = missing_documents(case, documents, on_file)
        if missing:
            labels = "、".join(str(case.kind_spec.document_label(code)) for code in missing)
            return _("Required documents are missing or not accepted: %(documents)s.") % {"documents": labels}
    return None


def available_actions(
    *,
    case: Case,
    user: User,
    documents: list[CaseDocument] | None = None,
    on_file: dict[str, OnFile] | None = None,
) -> list[Action]:
    handlers = case_handler_ids(case) if case.status == Status.PENDING_APPROVAL else frozenset[int]()
    if on_file is None:
        on_file = documents_on_file(case)
    return [action for action in ACTIONS.values() if refusal(action, case, user, documents, handlers, on_file) is None]
