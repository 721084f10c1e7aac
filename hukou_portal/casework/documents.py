"""Writes to case documents: upload, verdict, and the download record."""

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hukou_portal.accounts.models import User
from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.selectors import office_may_see
from hukou_portal.audit.services import record
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.core.redaction import redact_id_numbers

from .models import Case, CaseDocument, Status, Verdict
from .services import ActionRefused, end_handover, lock_case, save_case
from .uploads import check_upload

UPLOAD_STATUSES = {Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.SUPPLEMENT_REQUESTED}
VERDICT_STATUSES = {Status.SUBMITTED, Status.IN_REVIEW}


def document_storage() -> Storage:
    """Private storage outside any public URL (settings STORAGES["documents"])."""
    return storages["documents"]


def may_handle_documents(actor: User, case: Case) -> bool:
    return Role.COUNTER_OFFICER in actor.roles and office_may_see(user=actor, office=case.office)


def may_upload(actor: User, case: Case) -> bool:
    return may_handle_documents(actor, case) and case.status in UPLOAD_STATUSES


def may_give_verdicts(actor: User, case: Case) -> bool:
    return may_handle_documents(actor, case) and case.status in VERDICT_STATUSES


def _ensure_officer(actor: User, case: Case) -> None:
    if not may_handle_documents(actor, case):
        raise ActionRefused(_("Only a counter officer of the case's offices handles its documents."))


@transaction.atomic
def document_upload(
    *, case_id: int, actor: User, expected_version: int | None, requirement: str, upload: UploadedFile
) -> CaseDocument:
    """Check the file's bytes, store it under a random name, record it. A refused upload
    leaves no file and no row; a failure after the file is written removes it again."""
    case = lock_case(case_id, expected_version)
    _ensure_officer(actor, case)
    if case.status not in UPLOAD_STATUSES:
        raise ActionRefused(_("Documents can no longer be added to this case."))
    codes = {r.code for r in case.kind_spec.required_documents(case.category)}
    if requirement not in codes:
        raise ApplicationError(_("Choose a document of this case's checklist."), field="requirement")
    checked = check_upload(upload, max_bytes=settings.CASE_DOCUMENT_MAX_BYTES)
    storage = document_storage()
    stored_name = storage.save(f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content))
    try:
        document = CaseDocument.objects.create(
            case=case,
            requirement=requirement,
            original_name=(upload.name or "")[:200],
            stored_name=stored_name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        save_case(case, end_handover(case, actor))
        record(
            action="document.uploaded",
            actor=actor,
            target=document,
            case=case,
            new={"requirement": requirement, "type": checked.content_type, "size": document.size},
        )
    except BaseException:
        storage.delete(stored_name)
        raise
    return document


@transaction.atomic
def document_set_verdict(
    *, document_id: int, actor: User, expected_version: int | None, accepted: bool, reason: str = ""
) -> CaseDocument:
    document = CaseDocument.objects.select_related("case").get(pk=document_id)
    case = lock_case(document.case_id, expected_version)
    _ensure_officer(actor, case)
    if case.status not in VERDICT_STATUSES:
        raise ActionRefused(_("Documents are checked while the case is in review."))
    if not accepted and not reason.strip():
        raise ApplicationError(_("Say why the document is rejected."), field="reason")
    old = {"verdict": document.verdict}
    document.verdict = Verdict.ACCEPTED if accepted else Verdict.REJECTED
    document.verdict_reason = "" if accepted else redact_id_numbers(reason.strip())
    document.verdict_by, document.verdict_at = actor, timezone.now()
    document.save(update_fields=["verdict", "verdict_reason", "verdict_by", "verdict_at"])
    save_case(case, end_handover(case, actor))
    record(
        action="document.verdict",
        actor=actor,
        target=document,
        case=case,
        old=old,
        # The requirement names the document on the case's timeline (审核材料: which one).
        new={"requirement": document.requirement, "verdict": document.verdict, "reason": document.verdict_reason},
    )
    return document


def document_record_download(*, actor: User, document: CaseDocument) -> None:
    record(action="document.downloaded", actor=actor, target=document, case=document.case)
