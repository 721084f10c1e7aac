"""The audit trail: what happened, who did it, from where. It can only be appended to.

Events are written only by ``audit.services.record`` inside the transaction of the change they
describe. Append-only three times over: this model and its queryset refuse update and delete,
database triggers refuse UPDATE/DELETE (and TRUNCATE on PostgreSQL; ``db_guards.py``), and
``manage.py audit_lockdown`` leaves the application's PostgreSQL role INSERT and SELECT only.
Each event carries the hash of the one before it in its lane (``chain.py``, ``services.record``);
``manage.py audit_verify`` walks every lane.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actions import action_label


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Audit events cannot be updated.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Audit events cannot be deleted.")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("succeeded")
    DENIED = "denied", _("denied")
    FAILED = "failed", _("failed")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the system acted."),
    )
    actor_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("actor's office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.SUCCESS)
    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    old_values = models.JSONField(_("old values"), default=dict, blank=True)
    new_values = models.JSONField(_("new values"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)
    # The id of the HMAC key that signed the hash (chain.py); empty: a legacy SHA-256 event.
    chain_key_id = models.CharField(max_length=16, blank=True, default="", editable=False)
    # The lane of the chain this event extends (services.record): each lane is a line of its
    # own, so writers in different lanes never wait for each other. Events before lanes: 0.
    lane = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["occurred_at"], name="audit_by_time"),
            models.Index(fields=["action", "occurred_at"], name="audit_by_action_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_by_object"),
            models.Index(fields=["case", "occurred_at"], name="audit_case_timeline"),
            # The auditors' "denied" and "failed" filters: a small index of the exceptions.
            models.Index(
                fields=["outcome", "occurred_at"],
                name="audit_not_successful",
                condition=~models.Q(outcome="success"),
            ),
            # The head of a lane, read by every write (services.record) and the anchor.
            models.Index(fields=["lane", "id"], name="audit_lane_head"),
        ]
        constraints = [
            # A lane never forks: no two events extend the same link of the same lane.
            models.UniqueConstraint(fields=["lane", "prev_hash"], name="audit_lane_links_once"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Audit events cannot be deleted.")

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class SuppressedDenials(models.Model):
    """Denied accesses of one user in one minute beyond the cap (``AUDIT_DENIALS_PER_MINUTE``):
    counted here instead of one audit event each, so a scan cannot flood the trail, and written
    to the trail as one ``access.denials_suppressed`` event with the count once the minute is
    over (``audit.services.suppressed_denials_summarise``, every minute). A working table, not
    the trail: its rows are updated as they count."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    summarised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "window_start"], name="suppressed_denials_once_per_minute")
        ]
        indexes = [
            # The summary job's question: which finished minutes are not summarised yet.
            models.Index(
                fields=["window_start"],
                name="suppressed_denials_pending",
                condition=models.Q(summarised_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.window_start:%Y-%m-%d %H:%M} +{self.count}"
