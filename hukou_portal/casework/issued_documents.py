"""Printed documents (文书) an applicant takes home: their numbers (文号), who issues them, what
they say, and issuing them.

A document number is ``湖公（<area>）<word>字〔<year>〕第<serial>号``, for example
``湖公（吴兴）受字〔2026〕第000012号``:

- ``<area>`` is the issuing office's county-level area without its 区/县 (吴兴, 南浔, 德清, 长兴,
  安吉); the city bureau's documents have no area part (``湖公受字〔2026〕第000001号``);
- ``<word>`` names the kind of document: 受 (受理回执), 补 (一次性告知书), 准 (准予落户通知书),
  不准 (不予落户告知书);
- the serial runs per kind of document, area and year (``ReferenceSerial``, one series per kind),
  so two documents never share a number and a number is never reused.

A number is given the first time a document is issued (``document_issue``) and kept with what the
document said (``IssuedDocument.content``): a reprint shows the same number and the same text.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.selectors import office_may_see
from hukou_portal.audit.models import AuditEvent
from hukou_portal.audit.services import record
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people.models import Area

from . import workflow
from .models import Case, CaseDocument, IssuedDocument, Status, Verdict
from .on_file import documents_on_file
from .services import next_serial

Kind = IssuedDocument.Kind

# The remedies a refusal must state (行政复议法 第二十条: 60 days from knowing of the decision;
# 行政诉讼法 第四十六条: six months). The notices and their tests read these two constants.
REVIEW_WITHIN_DAYS = 60
LAWSUIT_WITHIN_MONTHS = 6

CITY_GOVERNMENT = "湖州市人民政府"


@dataclass(frozen=True)
class DocumentType:
    series: str  # ReferenceSerial.series (at most 10 characters)
    word: str  # the 字 of the document number


DOCUMENT_TYPES: dict[str, DocumentType] = {
    Kind.RECEIPT: DocumentType("doc_rcpt", "受"),
    Kind.SUPPLEMENT: DocumentType("doc_suppl", "补"),
    Kind.SETTLEMENT_APPROVAL: DocumentType("doc_settok", "准"),
    Kind.SETTLEMENT_REFUSAL: DocumentType("doc_settno", "不准"),
}


class DocumentNotIssuable(ApplicationError):
    pass


# -- who issues a document and in whose name ------------------------------------------------


def county_bureau(office: Office) -> Office:
    """The county-level bureau an office belongs to (itself for a county bureau or the city)."""
    while office.level == Office.Level.STATION and office.parent is not None:
        office = office.parent
    return office


def office_full_name(office: Office) -> str:
    """The name an office signs with: a station under its bureau (湖州市公安局吴兴分局月河派出所),
    a 分局 under the city bureau; names already written in full are kept."""
    parent = office.parent
    if parent is None or office.name.startswith(parent.name):
        return office.name
    if office.level == Office.Level.STATION:
        return office_full_name(parent) + office.name
    if "公安局" in office.name:  # 德清县公安局: a bureau of its own government
        return office.name
    return parent.name + office.name


def _area_name(area_code: str) -> str | None:
    return Area.objects.filter(code=area_code).values_list("name", flat=True).first()


def review_body(office: Office) -> str:
    """The people's government at the issuing bureau's level, which hears 行政复议 against it:
    a county-level bureau's district or county government, the city bureau's city government."""
    bureau = county_bureau(office)
    if bureau.level == Office.Level.CITY:
        return CITY_GOVERNMENT
    name = _area_name(bureau.area_code)
    return f"{name}人民政府" if name else CITY_GOVERNMENT


def document_number(*, kind: str, office: Office, year: int, serial: int) -> str:
    name = _area_name(office.area_code) if office.level != Office.Level.CITY else None
    area = f"（{name[:-1] if name and name[-1] in '区县市' else name}）" if name else ""
    return f"湖公{area}{DOCUMENT_TYPES[kind].word}字〔{year}〕第{serial:06d}号"


def issuing_office(case: Case, kind: str) -> Office:
    """Receipts and 一次性告知书 are issued by the office that took the case in; decisions are
    issued in the name of its county-level bureau."""
    if kind in (Kind.RECEIPT, Kind.SUPPLEMENT):
        return case.office
    return county_bureau(case.office)


# -- what a document says ---------------------------------------------------------------------


def supplement_requests(case: Case) -> list[AuditEvent]:
    """The case's 补正 requests in order (the n-th is the n-th 一次性告知书)."""
    return list(AuditEvent.objects.filter(case=case, action="case.request_supplement").order_by("occurred_at", "id"))


def _latest_by_requirement(documents: list[CaseDocument]) -> dict[str, CaseDocument]:
    latest: dict[str, CaseDocument] = {}
    for document in sorted(documents, key=lambda d: (d.uploaded_at, d.pk)):
        latest[document.requirement] = document
    return latest


def receipt_content(case: Case) -> dict[str, Any]:
    """受理回执: accepted on, the deadline, and each required document received or not."""
    latest = _latest_by_requirement(list(case.documents.all()))
    on_file = documents_on_file(case)  # the applicant's photo, taken once (D2), counts as received
    return {
        "accepted_on": case.clock_started_on.isoformat() if case.clock_started_on else None,
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "working_days": case.deadline_working_days,
        "documents": [
            {"code": r.code, "label": str(r.label), "received": r.code in latest or r.code in on_file}
            for r in case.kind_spec.required_documents(case.category)
        ],
    }


def supplement_content(case: Case, request: AuditEvent) -> dict[str, Any]:
    """一次性告知书 of one 补正 request: exactly the required documents that were missing, and those
    rejected with the reason, as they stood when the request was made. Documents uploaded while
    waiting are not counted (no verdict is given while the case waits, so the older uploads'
    verdicts are still those of the request). Documents not yet checked are neither missing nor
    rejected: they are listed apart for the officer, never printed. A photo on file at the time
    (一窗通拍) was not missing."""
    before = [d for d in case.documents.all() if d.uploaded_at <= request.occurred_at]
    latest = _latest_by_requirement(before)
    items, unchecked = [], []
    for code in workflow.missing_documents(case, before, documents_on_file(case, as_of=request.occurred_at)):
        label = str(case.kind_spec.document_label(code))
        document = latest.get(code)
        if document is None:
            items.append({"code": code, "label": label, "status": "missing", "reason": ""})
        elif document.verdict == Verdict.REJECTED:
            items.append({"code": code, "label": label, "status": "rejected", "reason": document.verdict_reason})
        else:
            unchecked.append(label)
    return {
        "requested_on": timezone.localtime(request.occurred_at).date().isoformat(),
        "comment": request.note,
        "items": items,
        "unchecked": unchecked,
    }


def notice_content(case: Case) -> dict[str, Any]:
    """准予落户通知书 / 不予落户告知书: the day of the decision and, for a refusal, the review body."""
    return {
        "decided_on": timezone.localtime(case.decided_at).date().isoformat() if case.decided_at else None,
        "review_body": review_body(issuing_office(case, Kind.SETTLEMENT_REFUSAL)),
    }


def document_refusal(case: Case, kind: str, sequence: int) -> str | None:
    """Why the document cannot be issued (for the first time) now, or None."""
    if kind == Kind.RECEIPT and case.clock_started_on is None:
        return _("The acknowledgement receipt is issued once the case has been accepted (受理).")
    if kind == Kind.SUPPLEMENT:
        requests = supplement_requests(case)
        if not 1 <= sequence <= len(requests):
            return _("No such request for documents.")
        if sequence != len(requests) or case.status != Status.SUPPLEMENT_REQUESTED:
            return _("This one-time notice was not issued while the case waited for the documents.")
    if kind in (Kind.SETTLEMENT_APPROVAL, Kind.SETTLEMENT_REFUSAL):
        expected = Kind.SETTLEMENT_APPROVAL if case.decision == "approved" else Kind.SETTLEMENT_REFUSAL
        if case.kind != "settlement" or not case.decision or kind != expected:
            return _("The notice is printed once the case is decided.")
    return None


def document_content(case: Case, kind: str, sequence: int = 1) -> dict[str, Any]:
    """What the document says, built now: stored at issue, shown as a draft before."""
    # The stored text is the Chinese the applicant was given, whatever the officer's language.
    with translation.override(settings.LANGUAGE_CODE):
        if kind == Kind.RECEIPT:
            return receipt_content(case)
        if kind == Kind.SUPPLEMENT:
            return supplement_content(case, supplement_requests(case)[sequence - 1])
        return notice_content(case)


def may_issue(actor: User, case: Case) -> bool:
    return bool({Role.COUNTER_OFFICER, Role.SUPERVISOR} & actor.roles) and office_may_see(
        user=actor, office=case.office
    )


# -- issuing ------------------------------------------------------------------------------------


@transaction.atomic
def document_issue(*, case_id: int, kind: str, actor: User, sequence: int = 1) -> IssuedDocument:
    """Issue a document of a case: the first call numbers it from its series, stores what it
    says and audits it; every later call returns that same document. The case row is locked
    first, so two simultaneous first prints wait for each other and get one number."""
    case = Case.objects.select_for_update(of=("self",)).select_related("office__parent__parent").get(pk=case_id)
    if not may_issue(actor, case):
        raise DocumentNotIssuable(_("Only officers and supervisors of the case's offices issue its documents."))
    existing = IssuedDocument.objects.filter(case=case, kind=kind, sequence=sequence).first()
    if existing is not None:
        return existing
    why = document_refusal(case, kind, sequence)
    if why is not None:
        raise DocumentNotIssuable(why)
    office = issuing_office(case, kind)
    now = timezone.now()
    year = timezone.localtime(now).year
    serial = next_serial(series=DOCUMENT_TYPES[kind].series, area_code=office.area_code, year=year)
    issued = IssuedDocument(
        case=case,
        kind=kind,
        sequence=sequence,
        number=document_number(kind=kind, office=office, year=year, serial=serial),
        issuing_office=office,
        issued_at=now,
        issued_by=actor,
        content=document_content(case, kind, sequence),
    )
    issued.full_clean()
    issued.save()
    record(
        action="document.issued",
        actor=actor,
        target=issued,
        case=case,
        new={"document": kind, "number": issued.number, "sequence": sequence, "issued_by_office": office.name},
    )
    return issued


def issued_document(case: Case, kind: str, sequence: int = 1) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.filter(case=case, kind=kind, sequence=sequence)
        .select_related("issuing_office__parent__parent", "issued_by")
        .first()
    )


def issued_on(issued: IssuedDocument | None) -> dt.date:
    return timezone.localtime(issued.issued_at).date() if issued else timezone.localdate()
