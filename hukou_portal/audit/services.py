"""Writing the audit trail. ``record`` is the only way an event is written."""

from typing import Any

from django.db import connection, models, transaction

from hukou_portal.core.redaction import redact_id_numbers, redact_values
from hukou_portal.core.request_context import current_request_context

from .actions import ACTIONS
from .chain import GENESIS, UnknownChainKey, active_key, event_hash, keyed_hash
from .models import AuditEvent

# Serialises appends on PostgreSQL so the chain stays a line (held until the transaction ends).
CHAIN_LOCK_KEY = 0x48554B4F


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    # SQLite: the portal's transactions are IMMEDIATE, so writers are already serialised.


def record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    case: Any = None,
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
    event = AuditEvent(
        action=action,
        actor=actor,
        actor_office_id=getattr(actor, "office_id", None),
        case=case,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        # Free text may carry an ID number an officer typed: the trail keeps it masked.
        old_values=redact_values(old or {}),
        new_values=redact_values(new or {}),
        note=redact_id_numbers(note),
        ip_address=context.ip_address if context else None,
        request_id=context.request_id if context else "",
    )
    chain_key_id, key = active_key()
    with transaction.atomic():
        _lock_chain()
        event.prev_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        event.chain_key_id = chain_key_id
        event.hash = keyed_hash(event, event.prev_hash, chain_key_id, key)
        event.save()
    return event


def record_changes(
    *,
    action: str,
    actor: Any,
    target: models.Model,
    old: dict[str, Any],
    new: dict[str, Any],
    case: Any = None,
    note: str = "",
) -> AuditEvent | None:
    """Record only the fields whose values differ between ``old`` and ``new``; nothing if none do."""
    changed = [key for key in new if old.get(key) != new[key]]
    if not changed:
        return None
    return record(
        action=action,
        actor=actor,
        target=target,
        case=case,
        old={key: old.get(key) for key in changed},
        new={key: new[key] for key in changed},
        note=note,
    )


def audit_person_filtered(*, actor: Any, person: models.Model) -> AuditEvent:
    """An auditor found a person's events by their full ID number (policy D3: every access to
    personal data is accountable). The number stays out of the trail: the target names them."""
    return record(action="audit.person_filtered", actor=actor, target=person)


def audit_exported(*, actor: Any, filters: str) -> AuditEvent:
    """An export of the trail, with the filters it used in words."""
    return record(action="audit.exported", actor=actor, new={"filters": filters})


def verify_chain() -> tuple[int, AuditEvent | None, str]:
    """Walk the whole trail in order. Returns (events checked, first bad event, why).

    Keyed events are checked with the HMAC key they name; legacy events (no key id, written
    before the chain was keyed) with plain SHA-256 — but only before the first keyed event: a
    legacy event after a keyed one is a rewrite trying to do without the key.
    """
    expected_prev = GENESIS
    checked = 0
    keyed_seen = False
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            return checked, event, "previous-hash link broken (an event before it was removed or inserted)"
        if event.chain_key_id:
            keyed_seen = True
        elif keyed_seen:
            return checked, event, "unkeyed event after keyed ones (the chain was rewritten without the key)"
        try:
            expected = event_hash(event, event.prev_hash)
        except UnknownChainKey:
            return (
                checked,
                event,
                f"signed with an unknown key {event.chain_key_id!r} (not the active or a retired key)",
            )
        if expected != event.hash:
            return checked, event, "content does not match its hash (the row was altered)"
        expected_prev = event.hash
        checked += 1
    return checked, None, ""
