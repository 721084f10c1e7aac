"""The hash chain of the audit trail: each event's hash covers its content and the previous hash.

Altering, deleting or inserting a row behind the portal's back breaks the chain at that row,
which ``manage.py audit_verify`` reports. Since issue 10 the hash is an HMAC-SHA256 with a key
kept outside the database (``AUDIT_CHAIN_KEY``): whoever can rewrite the table cannot recompute
the chain without it. Each event stores the id of the key it was signed with (``chain_key_id``)
so keys can be rotated; events written before keying have an empty key id and keep their plain
SHA-256 ("legacy"), which the verifier checks the old way.
"""

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

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


class UnknownChainKey(KeyError):
    """The event names a key id that is neither the active key nor a retired one."""


def key_id(key: str) -> str:
    """A key's public name: a short fingerprint (stored with each event; reveals nothing)."""
    return hashlib.sha256(b"hukou-audit-chain-key:" + key.encode("utf-8")).hexdigest()[:16]


def keyring() -> dict[str, str]:
    """Every key that may verify an event (the active one and the retired ones), by id."""
    keys = [settings.AUDIT_CHAIN_KEY, *settings.AUDIT_CHAIN_RETIRED_KEYS]
    return {key_id(key): key for key in keys if key}


def active_key() -> tuple[str, str]:
    key = settings.AUDIT_CHAIN_KEY
    if not key:
        raise ImproperlyConfigured("AUDIT_CHAIN_KEY is not set: the audit trail cannot be signed.")
    return key_id(key), key


def _payload(event: Any, prev_hash: str, chain_key_id: str) -> bytes:
    body: dict[str, Any] = {"prev": prev_hash, "event": canonical_content(event)}
    if chain_key_id:
        body["key"] = chain_key_id  # the key id is covered too: it cannot be swapped for another
        body["outcome"] = event.outcome  # keyed events only: legacy ones predate the field
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def legacy_hash(event: Any, prev_hash: str) -> str:
    """The unkeyed SHA-256 of events written before the chain was keyed."""
    return hashlib.sha256(_payload(event, prev_hash, "")).hexdigest()


def keyed_hash(event: Any, prev_hash: str, chain_key_id: str, key: str) -> str:
    return hmac.new(key.encode("utf-8"), _payload(event, prev_hash, chain_key_id), hashlib.sha256).hexdigest()


def event_hash(event: Any, prev_hash: str) -> str:
    """The hash ``event`` must carry: HMAC with the key it names, or legacy SHA-256 if it names none."""
    chain_key_id = getattr(event, "chain_key_id", "") or ""
    if not chain_key_id:
        return legacy_hash(event, prev_hash)
    key = keyring().get(chain_key_id)
    if key is None:
        raise UnknownChainKey(chain_key_id)
    return keyed_hash(event, prev_hash, chain_key_id, key)
