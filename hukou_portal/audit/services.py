"""Writing the audit trail. ``record`` is the only way an event is written."""

from typing import Any

from django.db import models

from hukou_portal.core.request_context import current_request_context

from .actions import ACTIONS
from .models import AuditEvent


def record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it describes.

    ``actor`` is the user who acted (None or an anonymous user: the system or an unknown
    visitor). The request id and client address come from the request being served. Values
    passed in ``old``/``new`` must already be free of passwords, tokens and full ID numbers.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: add it to audit/actions.py")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    context = current_request_context()
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_office_id=getattr(actor, "office_id", None),
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        old_values=old or {},
        new_values=new or {},
        note=note,
        ip_address=context.ip_address if context else None,
        request_id=context.request_id if context else "",
    )


def record_changes(
    *, action: str, actor: Any, target: models.Model, old: dict[str, Any], new: dict[str, Any], note: str = ""
) -> AuditEvent | None:
    """Record only the fields whose values differ between ``old`` and ``new``; nothing if none do."""
    changed = [key for key in new if old.get(key) != new[key]]
    if not changed:
        return None
    return record(
        action=action,
        actor=actor,
        target=target,
        old={key: old.get(key) for key in changed},
        new={key: new[key] for key in changed},
        note=note,
    )
