"""Case pages: queues, intake, detail, one confirm page per action, documents and notes.

Every view fetches the case through ``case_get_for_user`` (404 outside the user's offices),
then calls one service. A refusal becomes a message; a conflict (the case changed since the
page was rendered) becomes "reload" — HTTP 409 for clients that do not ask for HTML.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hukou_portal.accounts.roles import Role
from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.core.forms import run_service
from hukou_portal.core.lists import bind_filter, list_table
from hukou_portal.core.refusals import refusal_shown
from hukou_portal.people import id_numbers
from hukou_portal.people.models import LookupReason
from hukou_portal.people.references import person_from_reference, person_reference
from hukou_portal.people.selectors import person_of_city_register
from hukou_portal.people.services import person_lookup
from hukou_portal.rules.calendar import WorkCalendar

from . import documents, selectors, services, workflow
from .filters import CaseFilter
from .forms import ActionForm, CaseIntakeForm, DocumentUploadForm, DocumentVerdictForm, NoteForm
from .kinds import all_kinds, get_kind
from .models import Case
from .on_file import PHOTO_REQUIREMENTS, OnFile, documents_on_file
from .tables import CaseTable
from .uploads import UploadTooLarge

# Lazy: the module is imported once, the titles are read in each user's language.
QUEUE_TITLES = {
    "office": gettext_lazy("Office queue"),
    "mine": gettext_lazy("My cases"),
    "approval": gettext_lazy("Pending approval"),
    "overdue": gettext_lazy("Overdue"),
    "all": gettext_lazy("All cases"),
}
# The salt of the signed reference to an applicant in the intake page's address; each reference
# is bound to the user whose accounted lookup made it (``applicant_reference``).
APPLICANT_REFERENCE = "casework.intake-applicant"


def applicant_reference(*, user: Any, person_id: int) -> str:
    """The intake page's ``?applicant=``: made only after a lookup accounted for in the trail
    (the city register's lookup page, or "load the applicant's records"), valid for that user."""
    return person_reference(person_id, purpose=APPLICANT_REFERENCE, user_id=user.pk)


def applicant_from_reference(*, user: Any, token: str) -> Any:
    """The person a reference made for ``user`` names: any person of the city (the lookup that
    made it was accounted for), or None for a forged, foreign or expired one."""
    person_id = person_from_reference(token, purpose=APPLICANT_REFERENCE, user_id=user.pk)
    return person_of_city_register(pk=person_id) if person_id else None


# The 全部 tab shows the newest first; the working queues the nearest deadline first.
QUEUE_DEFAULT_SORT = {"all": "-opened"}

# Each action's service, called with the case id, the actor, the expected version and the
# action's extra field.
ACTION_SERVICES: dict[str, Callable[..., Case]] = {
    "submit": services.case_submit,
    "start_review": services.case_start_review,
    "request_supplement": services.case_request_supplement,
    "receive_supplement": services.case_receive_supplement,
    "forward": services.case_forward,
    "approve": services.case_approve,
    "reject": services.case_reject,
    "send_back": services.case_send_back,
    "approve_at_counter": services.case_approve_at_counter,
    "reject_at_counter": services.case_reject_at_counter,
    "complete": services.case_complete,
    "withdraw": services.case_withdraw,
    "reassign": services.case_reassign,
    "transfer": services.case_transfer,
}


def _wants_html(request: HttpRequest) -> bool:
    return request.accepts("text/html")


def _refused(request: HttpRequest, case: Case, error: ApplicationError) -> HttpResponse:
    """A conflict or refusal on a POST: 409/403 JSON for API clients, a message otherwise."""
    refusal_shown(error)
    status = 409 if isinstance(error, services.CaseConflict) else 403
    if not _wants_html(request):
        return JsonResponse({"error": error.message, "case": case.reference}, status=status)
    messages.error(request, error.message)
    return redirect("casework:case_detail", pk=case.pk)


@permission_needed("casework.view_case")
def case_queue(request: HttpRequest, queue: str = "office") -> HttpResponse:
    """A queue as a list: filter bar, sortable table, keyset pages. A search by number or an
    explicit status looks at every state, so a completed case is found from any tab."""
    if queue not in selectors.QUEUES:
        raise Http404
    today = timezone.localdate()
    calendar = WorkCalendar.load()
    every_state = bool(request.GET.get("q", "").strip() or request.GET.get("status"))
    cases = selectors.case_queue(user=request.user, queue=queue, today=today, every_state=every_state)
    case_filter = bind_filter(request, CaseFilter, cases, calendar=calendar, today=today)
    table = list_table(
        request,
        CaseTable,
        case_filter.filtered(),
        default_sort=QUEUE_DEFAULT_SORT.get(queue),
        calendar=calendar,
        today=today,
    )
    return render(
        request,
        "casework/case_queue.html",
        {
            "queue": queue,
            "title": QUEUE_TITLES[queue],
            # 待审批 lists the cases the user may decide: a tab for supervisors only (for anyone
            # else it could only ever be empty).
            "queues": {
                code: label
                for code, label in QUEUE_TITLES.items()
                if code != "approval" or Role.SUPERVISOR in request.user.roles
            },
            "filter": case_filter,
            "table": table,
            "page": table.page,
        },
    )


@permission_needed("casework.add_case")
def case_create(request: HttpRequest, kind: str | None = None) -> HttpResponse:
    """Intake: first choose the kind of application, then its form (category, applicant and
    the facts the kind needs)."""
    if kind is None:
        return render(request, "casework/case_create_choose.html", {"kinds": all_kinds()})
    try:
        spec = get_kind(kind)
    except KeyError:
        raise Http404 from None
    # ?applicant=<signed reference>: start from what the portal holds about this person (their
    # records). The reference comes from case_create_for_applicant, which takes the number by POST,
    # or from the city register's lookup page; either way an accounted lookup made it for this user.
    known = None
    if request.method == "GET" and request.GET.get("applicant"):
        known = applicant_from_reference(user=request.user, token=request.GET["applicant"])
        if known is None:
            messages.error(request, _("This link to an applicant is not valid any more: type the number again."))
    initial = spec.intake_initial(known) if known is not None and spec.intake_initial else {}
    # ?category=<code>: the category the page starts with; the details form learns it too (a
    # kind whose facts differ per category shows that category's).
    category = request.GET.get("category", "")
    codes = [c.code for c in spec.categories]
    category = category if category in codes else next(iter(codes), "")
    form = CaseIntakeForm(
        request.POST or None,
        kind=spec,
        initial={"category": category, **({"applicant_id_number": known.id_number} if known else {})},
    )
    details = (
        spec.intake_form(request.POST or None, prefix="details", initial={**initial, "category": category})
        if spec.intake_form
        else None
    )
    if request.method == "POST" and form.is_valid() and (details is None or details.is_valid()):
        # Any person of the city register (全域就近办); the service accounts for the lookup (D3).
        case = run_service(
            form,
            lambda: services.case_create_for_id_number(
                actor=request.user,
                kind=spec.code,
                category=form.cleaned_data["category"],
                applicant_id_number=form.cleaned_data["applicant_id_number"],
                details=details.cleaned_data if details else None,
            ),
        )
        if case is not None:
            messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
            return redirect("casework:case_detail", pk=case.pk)
    return render(
        request,
        "casework/case_create.html",
        {
            "form": form,
            "details": details,
            "kind": spec,
            "known": known,
            "prefilled": bool(initial),
            "can_prefill": spec.intake_initial is not None,
        },
    )


@require_POST
@permission_needed("casework.add_case")
def case_create_for_applicant(request: HttpRequest, kind: str) -> HttpResponse:
    """ "Load the applicant's records": the number comes in the POST body; the intake page is
    then opened with a signed reference to the person (people.references), so the number is
    never in an address, the browser history or an access log. Any person of the city register
    (全域就近办): the lookup is for business and accounted for (D3, ``person.lookup``)."""
    try:
        spec = get_kind(kind)
    except KeyError:
        raise Http404 from None
    target = reverse("casework:case_create_kind", args=[spec.code])
    query = {"category": request.POST["category"]} if request.POST.get("category") else {}
    number = id_numbers.normalise(request.POST.get("applicant", ""))
    try:
        id_numbers.validate_id_number(number)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(f"{target}?{urlencode(query)}" if query else target)
    person = person_lookup(actor=request.user, id_number=number, reason=LookupReason.BUSINESS)
    if person is None:
        messages.error(
            request, _("Nobody with this citizen ID number is in the city register: record the person first.")
        )
    else:
        query["applicant"] = applicant_reference(user=request.user, person_id=person.pk)
    return redirect(f"{target}?{urlencode(query)}" if query else target)


@never_cache
@permission_needed("casework.view_case")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    prefetch_related_objects([case], *case.kind_spec.detail_prefetch())
    docs = list(case.documents.select_related("uploaded_by", "verdict_by"))
    on_file = documents_on_file(case)
    today = timezone.localdate()
    initial = {"version": case.version}
    actions = workflow.available_actions(case=case, user=request.user, documents=docs, on_file=on_file)
    latest = selectors.case_timeline_latest(case=case)
    notes = selectors.case_notes_latest(case=case)
    return render(
        request,
        "casework/case_detail.html",
        {
            "case": case,
            # 转办 (D1): the office answering for the case's address, offered when it is another
            # station; and, to the handing office's supervisors, that they only read the case.
            "responsible": selectors.case_responsible_office(case=case),
            "may_transfer": any(action.code == "transfer" for action in actions),
            "handover_reader": selectors.case_in_handover_view(user=request.user, case=case),
            "documents": docs,
            "checklist": _checklist(case, docs, on_file),
            "missing": workflow.missing_documents(case, docs, on_file),
            "notes": notes.notes,
            "notes_earlier": notes.earlier,
            "actions": actions,
            "deadline": selectors.deadline_view(case, WorkCalendar.load(), today),
            "timeline": latest.events,
            "timeline_earlier": latest.earlier,
            "upload_form": DocumentUploadForm(initial=initial, case=case, on_file=on_file),
            "photo_requirements": PHOTO_REQUIREMENTS,
            "verdict_form": DocumentVerdictForm(initial=initial),
            "note_form": NoteForm(initial=initial),
            **case.kind_spec.detail_context(case),
            "can_upload": documents.may_upload(request.user, case),
            "can_give_verdicts": documents.may_give_verdicts(request.user, case),
        },
    )


def _checklist(case: Case, docs: list[Any], on_file: dict[str, OnFile]) -> list[tuple[Any, Any, OnFile | None]]:
    """(requirement, its latest document or None, the record on file that meets it or None) for
    the case's category."""
    latest: dict[str, Any] = {}
    for document in sorted(docs, key=lambda d: (d.uploaded_at, d.pk)):
        latest[document.requirement] = document
    return [(r, latest.get(r.code), on_file.get(r.code)) for r in case.kind_spec.required_documents(case.category)]


TIMELINE_PAGE = 100


@permission_needed("casework.view_case")
def case_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole history, a hundred events a page (one case's events: a bounded OFFSET)."""
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    page = Paginator(selectors.case_timeline(case=case), TIMELINE_PAGE).get_page(request.GET.get("page"))
    return render(request, "casework/case_timeline.html", {"case": case, "timeline": page, "page": page})


NOTES_PAGE = 100


@permission_needed("casework.view_case")
def case_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """Every internal note, a hundred a page, oldest first (one case's notes: a bounded OFFSET)."""
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    page = Paginator(selectors.case_notes(case=case), NOTES_PAGE).get_page(request.GET.get("page"))
    return render(request, "casework/case_notes.html", {"case": case, "notes": page, "page": page})


# The decisions whose page shows the kind's check of the case and every document's verdict.
DECISION_ACTIONS = {"approve", "reject", "approve_at_counter", "reject_at_counter"}


def _decision_context(case: Case, action: str) -> dict[str, Any]:
    """For a decision: the kind's own check (engine result, conditions) and the documents."""
    if action not in DECISION_ACTIONS:
        return {}
    docs = sorted(case.documents.all(), key=lambda d: (d.uploaded_at, d.pk), reverse=True)
    on_file = documents_on_file(case)
    spec = case.kind_spec
    return {
        "decision_page": True,
        "decision_template": spec.decision_template,
        **(spec.decision_context(case) if spec.decision_template else {}),
        # Each required document with its uploads, the latest (the one that counts) first.
        # ... and the record on file that meets it instead (the applicant's photo, D2), or None.
        "document_rows": [
            (requirement, [d for d in docs if d.requirement == requirement.code], on_file.get(requirement.code))
            for requirement in spec.required_documents(case.category)
        ],
    }


@permission_needed("casework.view_case")
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The confirm page of one action (GET) and the action itself (POST). A decision's page
    shows the kind's check of the case and the verdict of every document above the form."""
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    spec = workflow.ACTIONS.get(action)
    if spec is None:
        raise Http404
    initial: dict[str, Any] = {"version": case.version}
    if action == "transfer":
        # Pre-selected: the station whose jurisdiction holds the case's address, when it is another.
        responsible = selectors.case_responsible_office(case=case)
        if responsible is not None and responsible.elsewhere:
            initial["office"] = responsible.office.pk
    form = ActionForm(request.POST or None, initial=initial, action=spec, case=case)
    why = workflow.refusal(spec, case, request.user)
    context: dict[str, Any] = {"case": case, "action": spec, "form": form, **_decision_context(case, action)}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "casework/case_action.html", context, status=400)
        extra = {spec.field: form.cleaned_data[spec.field]} if spec.field else {}
        try:
            ACTION_SERVICES[action](
                case_id=case.pk, actor=request.user, expected_version=form.cleaned_data["version"], **extra
            )
        except ApplicationError as error:
            if error.field in form.fields:
                refusal_shown(error, field_label=str(form.fields[error.field].label or error.field))
                form.add_error(error.field, error.message)
                return render(request, "casework/case_action.html", context)
            return _refused(request, case, error)
        messages.success(request, _("%(action)s: done.") % {"action": spec.label})
        return redirect("casework:case_detail", pk=case.pk)
    missing = [case.kind_spec.document_label(code) for code in workflow.missing_documents(case)]
    return render(request, "casework/case_action.html", {**context, "refusal": why, "missing": missing})


@require_POST
@permission_needed("casework.view_case")
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is empty."))
        return redirect("casework:case_detail", pk=case.pk)
    try:
        services.case_add_note(
            case_id=case.pk,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            text=form.cleaned_data["text"],
        )
    except ApplicationError as error:
        return _refused(request, case, error)
    messages.success(request, _("Note added."))
    return redirect("casework:case_detail", pk=case.pk)


@require_POST
@permission_needed("casework.view_case")
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    form = DocumentUploadForm(request.POST, request.FILES, case=case)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("casework:case_detail", pk=case.pk)
    try:
        documents.document_upload(
            case_id=case.pk,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            requirement=form.cleaned_data["requirement"],
            upload=form.cleaned_data["file"],
        )
    except UploadTooLarge as error:
        refusal_shown(error)
        if not _wants_html(request):
            return JsonResponse({"error": error.message, "case": case.reference}, status=413)
        return render(request, "casework/document_too_large.html", {"case": case, "message": error.message}, status=413)
    except ApplicationError as error:
        return _refused(request, case, error)
    messages.success(request, _("Document uploaded."))
    return redirect("casework:case_detail", pk=case.pk)


@require_POST
@permission_needed("casework.view_case")
def document_verdict(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, case_pk=pk, pk=document_pk)
    form = DocumentVerdictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or reject."))
        return redirect("casework:case_detail", pk=pk)
    try:
        documents.document_set_verdict(
            document_id=document.pk,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            accepted=form.cleaned_data["accepted"],
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as error:
        return _refused(request, document.case, error)
    messages.success(request, _("Verdict saved."))
    return redirect("casework:case_detail", pk=pk)


@permission_needed("casework.view_case")
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """Served only here, after the visibility check; every download is audited."""
    document = selectors.document_get_for_user(user=request.user, case_pk=pk, pk=document_pk)
    documents.document_record_download(actor=request.user, document=document)
    response = FileResponse(
        documents.document_storage().open(document.stored_name, "rb"),
        as_attachment=True,
        filename=f"{document.case.reference}-{document.requirement}.{document.stored_name.rsplit('.', 1)[-1]}",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
