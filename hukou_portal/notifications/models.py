"""Reminders are rows first, messages second (DESIGN.md, "Reminders").

The sweep inserts one ``Notification`` per (kind, subject, milestone, recipient) — unique in the
database, so a rerun, a second worker or two sweeps at once never make two. The sender delivers
pending rows with retries; the SMS log and the HTTP gateway are idempotent on the row's id, so
a delivery retried after a crash is never sent twice.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PERMIT_SIX_MONTHS = "N1", _("N1 Residence permit held long enough for settlement")
    LEASE_MATURED = "N2", _("N2 Lease filing matured")
    ENDORSEMENT_DUE = "N3", _("N3 Endorsement due")
    CASE_DEADLINE = "N4", _("N4 Case deadline")


# N1 and N2 tell a person they may apply (S5.1, S1.2 available): once per permit or lease filing,
# whatever date a parameter change gives the milestone. A row from before this rule that repeated
# one is kept, its milestone prefixed with SUPERSEDED (migration 0003).
ONCE_PER_SUBJECT = (Kind.PERMIT_SIX_MONTHS, Kind.LEASE_MATURED)
SUPERSEDED = "superseded:"


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    INBOX = "inbox", _("In-app inbox")


class MessageTemplate(models.Model):
    """The Chinese text of each reminder, editable by administrators. Placeholders:
    {name} {permit_number} {filing_number} {case_number} {date} {office}."""

    kind = models.CharField(_("reminder"), max_length=4, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    text = models.TextField(_("text"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "channel"], name="one_template_per_kind_channel")]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel}"


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("reminder"), max_length=4, choices=Kind.choices)
    subject_type = models.CharField(max_length=40)  # permit | lease_filing | case
    subject_id = models.BigIntegerField()
    milestone = models.CharField(_("milestone"), max_length=40)  # e.g. "2027-06-01" or "overdue:2027-01-08"
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=40)  # "person:12" | "user:7"
    address = models.CharField(_("address"), max_length=200, blank=True)  # mobile number or e-mail
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="inbox"
    )  # inbox rows
    message = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "milestone", "recipient", "channel"],
                name="notification_once_per_milestone",
            ),
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "recipient", "channel"],
                condition=Q(kind__in=ONCE_PER_SUBJECT) & ~Q(milestone__startswith=SUPERSEDED),
                name="notification_once_per_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["user", "read_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type}:{self.subject_id} {self.milestone} → {self.recipient}"


class SmsLog(models.Model):
    """What the default SMS gateway 'sent': one row per notification, never two."""

    notification = models.OneToOneField(Notification, on_delete=models.PROTECT, related_name="sms_log")
    mobile = models.CharField(max_length=11)
    text = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.mobile}: {self.text[:20]}"


class SweepState(models.Model):
    """How far each reminder kind has been swept: the next sweep covers (swept_to, as_of], so a
    sweep that was down for days catches up on every milestone in between, once each."""

    kind = models.CharField(max_length=4, choices=Kind.choices, unique=True)
    swept_to = models.DateField()

    def __str__(self) -> str:
        return f"{self.kind} → {self.swept_to}"
