"""Printed documents of a case: the 受理回执 and the 一次性告知书 here, and the helper every
document page uses (the settlement notices too).

GET shows the document: as issued (number, date and text kept), or — before it is issued — as a
draft without a number. POST issues it (numbers it once, audited) and shows it again.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.core.refusals import refusal_message

from . import issued_documents, selectors
from .issued_documents import Kind
from .models import Case, IssuedDocument


@dataclass(frozen=True)
class Frame:
    """What ``partials/document_frame.html`` prints around a document's body."""

    title: str
    issuer: str  # the office's full name, as on its seal
    issued_on: Any  # a date
    number: str | None  # None: a draft, not issued yet
    can_issue: bool = False
    without_number: bool = False  # a document that carries no 文号 (the permit card)
    back_url: str = ""


def render_document(
    request: HttpRequest,
    *,
    case: Case,
    kind: str,
    template: str,
    sequence: int = 1,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The document page of ``kind``: POST issues it (once), GET shows it with its frame.
    The body template reads the document's text from ``content``."""
    if request.method == "POST":
        if not request.user.has_perm("casework.change_case"):
            raise PermissionDenied
        try:
            issued_documents.document_issue(case_id=case.pk, kind=kind, actor=request.user, sequence=sequence)
        except ApplicationError as error:
            refusal_message(request, error)
        return redirect(request.path)
    issued = issued_documents.issued_document(case, kind, sequence)
    refusal = None if issued else issued_documents.document_refusal(case, kind, sequence)
    if refusal is not None:
        # Nothing to show: a document that cannot exist (yet, or any more).
        messages.error(request, refusal)
        return redirect("casework:case_detail", pk=case.pk)
    office = issued.issuing_office if issued else issued_documents.issuing_office(case, kind)
    content = issued.content if issued else issued_documents.document_content(case, kind, sequence)
    frame = Frame(
        title=str(IssuedDocument.Kind(kind).label),
        issuer=issued_documents.office_full_name(office),
        issued_on=issued_documents.issued_on(issued),
        number=issued.number if issued else None,
        can_issue=issued is None and issued_documents.may_issue(request.user, case),
        back_url=reverse("casework:case_detail", args=[case.pk]),
    )
    return render(
        request,
        template,
        {"case": case, "frame": frame, "issued": issued, "content": content, "kind": kind, **(context or {})},
    )


@never_cache
@permission_needed("casework.view_case")
def case_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """受理回执, for every kind of case, once it has been accepted."""
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    return render_document(
        request,
        case=case,
        kind=Kind.RECEIPT,
        template="casework/document_receipt.html",
        context={"contact_office": issued_documents.office_full_name(case.office)},
    )


@never_cache
@permission_needed("casework.view_case")
def case_supplement_notice(request: HttpRequest, pk: int, sequence: int) -> HttpResponse:
    """一次性告知书 of the case's ``sequence``-th 补正 request."""
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    if not 1 <= sequence <= len(issued_documents.supplement_requests(case)):
        raise Http404
    return render_document(
        request,
        case=case,
        kind=Kind.SUPPLEMENT,
        sequence=sequence,
        template="casework/document_supplement.html",
        context={"contact_office": issued_documents.office_full_name(case.office)},
    )


def printed_documents(case: Case) -> list[dict[str, Any]]:
    """The documents of a case the case page links to: each with its title, URL and number
    (None while not issued). A 补正 request's notice is listed while the case waits for it, or
    afterwards if it was issued."""
    issued = {(d.kind, d.sequence): d for d in case.issued_documents.all()}
    rows: list[dict[str, Any]] = []

    def add(kind: str, url: str, sequence: int = 1, title: str = "") -> None:
        document = issued.get((kind, sequence))
        rows.append(
            {
                "title": title or str(IssuedDocument.Kind(kind).label),
                "url": url,
                "number": document.number if document else None,
                "kind": kind,
            }
        )

    if case.clock_started_on is not None:
        add(Kind.RECEIPT, reverse("casework:case_receipt", args=[case.pk]))
    requests = issued_documents.supplement_requests(case)
    for index, _request in enumerate(requests, start=1):
        waiting = index == len(requests) and case.status == "supplement_requested"
        if waiting or (Kind.SUPPLEMENT, index) in issued:
            add(
                Kind.SUPPLEMENT,
                reverse("casework:case_supplement_notice", args=[case.pk, index]),
                index,
                _("One-time notice of missing documents, request %(n)s") % {"n": index},
            )
    notice_url = case.kind_spec.decision_notice_url
    if case.decision and notice_url:
        kind = Kind.SETTLEMENT_APPROVAL if case.decision == "approved" else Kind.SETTLEMENT_REFUSAL
        add(kind, reverse(notice_url, args=[case.pk]))
    return rows
