"""The hash chain of the audit trail: each event's hash covers its content and the previous hash.

Altering, deleting or inserting a row behind the portal's back breaks the chain at that row,
which ``manage.py audit_verify`` reports.
"""

import datetime as dt
import hashlib
import json
from typing import Any

GENESIS = "0" * 64


def canonical_content(event: Any) -> dict[str, Any]:
    """Every field that matters, in a form that survives a database round trip."""
    return {
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_office": event.actor_office_id,
        "action": event.action,
        "case": event.case_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "old_values": event.old_values,
        "new_values": event.new_values,
        "note": event.note,
        "ip_address": event.ip_address,
        "request_id": event.request_id,
    }


def event_hash(event: Any, prev_hash: str) -> str:
    payload = json.dumps(
        {"prev": prev_hash, "event": canonical_content(event)},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
