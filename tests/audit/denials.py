"""Helpers for tests that count audit events around a refusal: the refusal is itself audited
(``access.denied``, ``action.refused``, audit/middleware.py), the refused change is not."""

from django.db.models import QuerySet, Sum

from hukou_portal.audit.models import AuditEvent, SuppressedDenials

DENIAL_ACTIONS = ("access.denied", "access.denials_suppressed", "action.refused")


def events_but_denials() -> QuerySet[AuditEvent]:
    """Every event except the records of denials and refusals."""
    return AuditEvent.objects.exclude(action__in=DENIAL_ACTIONS)


def denials_seen(user) -> int:  # type: ignore[no-untyped-def]
    """The user's denied accesses recorded one by one plus those counted past the cap."""
    recorded = AuditEvent.objects.filter(actor=user, action="access.denied").count()
    counted = SuppressedDenials.objects.filter(user=user).aggregate(total=Sum("count"))["total"] or 0
    return recorded + counted
