"""Cases: one table for every kind of application, with its documents and internal notes.

The allowed moves live in ``workflow.py`` (data, not scattered ifs); writes go through
``services.py``, which lock the row, check the move and the version, and audit it.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Right
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Accepted at the counter")  # 受理
    IN_REVIEW = "in_review", _("In review")  # 审核
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Waiting for documents")  # 补正
    PENDING_APPROVAL = "pending_approval", _("Pending approval")  # 待审批
    APPROVED = "approved", _("Approved")  # 批准
    REJECTED = "rejected", _("Rejected")  # 不予批准
    COMPLETED = "completed", _("Completed")  # 办结
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 撤回


OPEN_STATUSES = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.IN_REVIEW,
    Status.SUPPLEMENT_REQUESTED,
    Status.PENDING_APPROVAL,
    Status.APPROVED,
    Status.REJECTED,
]
# States in which the deadline clock runs (it stops for 补正 and once decided).
CLOCK_RUNNING_STATUSES = [Status.SUBMITTED, Status.IN_REVIEW, Status.PENDING_APPROVAL]


# Case numbers end in a six-digit serial per area and year: HZ-330502-2026-000012.
SERIAL_DIGITS = 6
# The queues sort by deadline, cases without one last: the sort key is the deadline or this day.
NO_DEADLINE = dt.date(9999, 12, 31)


def deadline_key() -> Coalesce:
    """The queues' sort key (an index, ``case_by_deadline_then_newest``, is built on it)."""
    return Coalesce("deadline", Value(NO_DEADLINE), output_field=models.DateField())


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ReferenceSerial(models.Model):
    """The last serial handed out per series (case numbers, permit numbers), area and year, so
    a number is never reused."""

    series = models.CharField(max_length=10, default="case")
    area_code = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "area_code", "year"], name="serial_per_series_area_year")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.area_code}-{self.year}: {self.last_serial}"


class Case(models.Model):
    reference = models.CharField(_("case number"), max_length=32, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=40)
    category = models.CharField(_("category"), max_length=40)
    applicant = models.ForeignKey(
        "people.Person", verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="cases"
    )
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="cases"
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    # The officer who forwarded the case for approval: never its approver (four eyes).
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # 办结: set by ``case_complete``; filled for older cases from their ``case.complete`` event.
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Shown to the applicant; internal notes are CaseNote rows.
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    # Deadline in working days: counted from ``clock_started_on``, extended by the working days
    # spent waiting for 补正. ``deadline`` is None with ``deadline_calendar_missing`` set when the
    # count reaches a year without a published calendar. ``deadline_working_days`` is the kind's
    # ``case_deadline_days`` parameter in force on the day the case was accepted, kept with the
    # case so a later change of the parameter never moves its deadline.
    clock_started_on = models.DateField(_("accepted on"), null=True, blank=True)
    deadline_working_days = models.PositiveSmallIntegerField(
        _("processing time in working days"), null=True, blank=True
    )
    paused_on = models.DateField(_("waiting for documents since"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    # How many times documents were requested (补正): counted by ``case_request_supplement``, so
    # the statistics read "decided after a 补正" from the case row (the working days paused can
    # be 0 when the documents came the same day). Filled from the audit trail by migration 0009.
    supplement_requests = models.PositiveIntegerField(_("requests for documents (补正)"), default=0)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_calendar_missing = models.BooleanField(_("calendar missing for the deadline"), default=False)

    # 转办 (D1): the office that handed the case over, while the receiving office has not acted on
    # it yet. Meanwhile the supervisors of that office (and above) may read the case, never act
    # on it (``selectors.case_list_for_user``); the receiving office's first action clears it.
    handover_from = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("handed over by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # case_in_handover indexes the few rows that have one
    )

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["office", "status", "-created_at"], name="case_queue"),
            models.Index(fields=["assigned_officer", "status"], name="case_my_cases"),
            models.Index(
                fields=["deadline"], name="case_open_by_deadline", condition=Q(status__in=CLOCK_RUNNING_STATUSES)
            ),
            # The queues' default order: deadline (overdue first, none last), then newest.
            models.Index(deadline_key(), F("id").desc(), name="case_by_deadline_then_newest"),
            # The same order over open cases only (the office and mine queues, overdue, due within
            # N days): page 1 starts at the earliest open deadline instead of stepping over every
            # closed case whose deadline passed years ago (bench/lists.py).
            models.Index(
                deadline_key(),
                F("id").desc(),
                name="case_open_by_deadline_newest",
                condition=Q(status__in=OPEN_STATUSES),
            ),
            # A search by the serial tail of a case number (000012) in any state.
            models.Index(Right("reference", SERIAL_DIGITS), name="case_by_serial"),
            # The cases in handover (转办, a handful): what the handing office's supervisors see.
            models.Index(fields=["handover_from"], name="case_in_handover", condition=Q(handover_from__isnull=False)),
            # The statistics' day (stats/rollups.py): the cases accepted, and decided, on one day.
            models.Index(fields=["clock_started_on"], name="case_by_acceptance_day"),
            models.Index(fields=["decided_at"], name="case_by_decision_time", condition=Q(decided_at__isnull=False)),
            models.Index(
                fields=["completed_at"], name="case_by_completion_time", condition=Q(completed_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def kind_spec(self):  # type: ignore[no-untyped-def]
        from .kinds import get_kind

        return get_kind(self.kind)

    @property
    def kind_label(self) -> str:
        return str(self.kind_spec.label)

    @property
    def category_label(self) -> str:
        return str(self.kind_spec.category(self.category).label)

    def is_overdue(self, today: dt.date) -> bool:
        return self.status in CLOCK_RUNNING_STATUSES and self.deadline is not None and self.deadline < today

    def available_actions(self, user):  # type: ignore[no-untyped-def]
        """The workflow actions ``user`` may take on this case now (see workflow.py)."""
        from .workflow import available_actions

        return available_actions(case=self, user=user)


class CaseNote(models.Model):
    """An internal note: staff only, never shown to the applicant."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.text[:30]}"


class Verdict(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    ACCEPTED = "accepted", pgettext_lazy("document", "Accepted")
    REJECTED = "rejected", pgettext_lazy("document", "Rejected")


class CaseDocument(models.Model):
    """An uploaded document. Stored under a random name outside any public URL; served only by
    ``document_download`` after the case's visibility is checked."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    requirement = models.CharField(_("document"), max_length=40)
    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    verdict_reason = models.CharField(_("reason"), max_length=200, blank=True)
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verdict_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requirement", "-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="document_rejection_has_reason",
                condition=~Q(verdict="rejected") | ~Q(verdict_reason=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.requirement_label}"

    @property
    def requirement_label(self) -> str:
        return str(self.case.kind_spec.document_label(self.requirement))


class IssuedDocument(models.Model):
    """A printed document handed to the applicant, with its document number (文号).

    The number is given the first time the document is issued and kept: every reprint shows
    the same number and the same content (``content`` is what the document said when it was
    issued). One row per case and kind; the 一次性告知书 is issued once per 补正 request, so
    its ``sequence`` is the request's ordinal (1 for every other kind). Written only by
    ``issued_documents.document_issue``, which audits it.
    """

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Acknowledgement receipt (受理回执)")
        SUPPLEMENT = "supplement", _("One-time notice of missing documents (一次性告知书)")
        SETTLEMENT_APPROVAL = "settlement_approval", _("Notice of approval of settlement (准予落户通知书)")
        SETTLEMENT_REFUSAL = "settlement_refusal", _("Notice of refusal of settlement (不予落户告知书)")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="issued_documents")
    kind = models.CharField(_("document"), max_length=24, choices=Kind.choices)
    sequence = models.PositiveSmallIntegerField(default=1)
    number = models.CharField(_("document number"), max_length=60, unique=True)
    # The office named on the document and its seal, as it was when the document was issued.
    issuing_office = models.ForeignKey(
        "accounts.Office", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["issued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "sequence"], name="issued_document_once_per_case_kind"),
            models.CheckConstraint(name="issued_document_sequence_positive", condition=Q(sequence__gte=1)),
        ]

    def __str__(self) -> str:
        return self.number
