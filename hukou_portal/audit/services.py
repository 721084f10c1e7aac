"""Writing the audit trail. ``record`` is the only way an event is written."""

import datetime as dt
import json
import os
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Max
from django.utils import timezone

from hukou_portal.core.redaction import redact_id_numbers, redact_values
from hukou_portal.core.request_context import current_request_context

from .actions import ACTIONS
from .chain import GENESIS, UnknownChainKey, active_key, event_hash, keyed_hash
from .models import AuditEvent, Outcome, SuppressedDenials

# The first key of the two-key advisory locks that guard the lanes of the chain on PostgreSQL
# (the second is the lane), held until the transaction ends.
CHAIN_LOCK_KEY = 0x48554B4F


def _take_lane() -> int:
    """Lock one lane of the chain for the rest of this transaction and return it.

    PostgreSQL: try the lanes in turn and take the first one no other transaction holds; wait
    only when all of them are taken. The search starts at the lane this connection used last: a
    transaction that already holds it gets it again at once (advisory locks are re-entrant), so
    its events stay in one lane and it never waits for a second lane while holding a first.
    SQLite: lane 0 (its IMMEDIATE transactions already admit one writer at a time).
    """
    if connection.vendor != "postgresql":
        return 0
    lanes = max(1, settings.AUDIT_CHAIN_LANES)
    start = getattr(connection, "audit_lane", None)
    if start is None or start >= lanes:
        start = hash((os.getpid(), threading.get_ident())) % lanes
    with connection.cursor() as cursor:
        for step in range(lanes):
            lane = (start + step) % lanes
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [CHAIN_LOCK_KEY, lane])
            if cursor.fetchone()[0]:
                break
        else:
            lane = start
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CHAIN_LOCK_KEY, lane])
    connection.audit_lane = lane  # type: ignore[attr-defined]
    return lane


def record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    case: Any = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    note: str = "",
    outcome: str = Outcome.SUCCESS,
    office: Any = None,
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it describes.

    ``actor`` is the user who acted (None or an anonymous user: the system or an unknown
    visitor). The request id and client address come from the request being served. Values
    passed in ``old``/``new`` must already be free of passwords, tokens and full ID numbers.
    ``outcome`` says whether the action succeeded, was denied or failed. ``office`` files an
    event without an actor under an office (a failed sign-in of one of its accounts), so that
    office's auditors see it; with an actor, the actor's office is used.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: add it to audit/actions.py")
    if outcome not in Outcome.values:
        raise ValueError(f"Unknown audit outcome {outcome!r}: one of {Outcome.values}")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    context = current_request_context()
    event = AuditEvent(
        action=action,
        actor=actor,
        actor_office_id=getattr(actor, "office_id", None) if actor is not None else getattr(office, "pk", None),
        outcome=outcome,
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
    # Part of the caller's transaction (no savepoint of its own): if the event cannot be written,
    # the change it describes is not written either.
    with transaction.atomic(savepoint=False):
        event.lane = _take_lane()
        event.prev_hash = (
            AuditEvent.objects.filter(lane=event.lane).order_by("-id").values_list("hash", flat=True).first() or GENESIS
        )
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


def verify_chain() -> tuple[int, AuditEvent | None, str]:
    """Walk the whole trail in order, each event against the one before it in its lane.
    Returns (events checked, first bad event, why).

    Keyed events are checked with the HMAC key they name; legacy events (no key id, written
    before the chain was keyed) with plain SHA-256 — but only before the first keyed event: a
    legacy event after a keyed one is a rewrite trying to do without the key.
    """
    lane_heads: dict[int, str] = {}
    checked = 0
    keyed_seen = False
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != lane_heads.get(event.lane, GENESIS):
            return checked, event, "previous-hash link broken (an event before it in its lane was removed or inserted)"
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
        lane_heads[event.lane] = event.hash
        checked += 1
    return checked, None, ""


def lane_heads() -> list[dict[str, Any]]:
    """The last event of each lane: ``{"lane", "event", "hash"}``, by lane."""
    last_ids = AuditEvent.objects.order_by().values("lane").annotate(last=Max("id")).values_list("last", flat=True)
    heads = AuditEvent.objects.filter(pk__in=list(last_ids)).order_by("lane").values("lane", "id", "hash")
    return [{"lane": head["lane"], "event": head["id"], "hash": head["hash"]} for head in heads]


def anchor_head(path: Path) -> dict[str, Any] | None:
    """Append the head of every lane of the chain (event id, hash) and the time as one JSON line
    to ``path``.

    The file is only ever appended to and is synced to disk before returning; copy the line off
    the host too (the command prints it). Returns the line's content, or None for an empty trail.
    """
    heads = lane_heads()
    if not heads:
        return None
    anchor = {"heads": heads, "anchored_at": timezone.now().isoformat()}
    line = json.dumps(anchor, sort_keys=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())
    return anchor


def _anchored_heads(anchor: Any) -> list[tuple[int | None, int, str]]:
    """(lane, event id, hash) of each head in one anchor line. Lines written before the chain had
    lanes name one event and no lane."""
    if "heads" in anchor:
        return [(int(head["lane"]), int(head["event"]), str(head["hash"])) for head in anchor["heads"]]
    return [(None, int(anchor["event"]), str(anchor["hash"]))]


def verify_anchors(path: Path) -> tuple[int, str]:
    """Check that every anchored (lane, event id, hash) in ``path`` still matches the trail.

    Returns (anchors checked, the first problem or ""). A chain rewritten after an anchor was
    taken — even recomputed with the key — no longer has the anchored hash at that event.
    """
    checked = 0
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                anchor = json.loads(raw)
                heads = _anchored_heads(anchor)
            except (ValueError, KeyError, TypeError):
                return checked, f"line {number} of {path} is not an anchor"
            for lane, event_id, anchored_hash in heads:
                current = AuditEvent.objects.filter(pk=event_id).values("lane", "hash").first()
                if current is None:
                    return checked, f"anchored event #{event_id} (line {number}) is missing from the trail"
                if current["hash"] != anchored_hash or (lane is not None and current["lane"] != lane):
                    return checked, (
                        f"event #{event_id} no longer has the hash anchored on line {number} "
                        f"({anchor.get('anchored_at', '?')}): the chain was rewritten"
                    )
            checked += 1
    return checked, ""


# --- denied accesses and refused actions (audit/middleware.py) --------------------------------

DENIAL_WINDOW = dt.timedelta(minutes=1)
# A minute is summarised once it is this long over: a request that counted in it has finished.
SUMMARY_GRACE = dt.timedelta(minutes=1)


def _denial_window(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


def _admit_denial(user_id: int, window: dt.datetime) -> bool:
    """Whether the user's denials this minute are still under the cap (a counter in the default
    cache, shared by every worker process when it is Redis, like the rate limits)."""
    key = f"audit:denials:{user_id}:{window:%Y%m%d%H%M}"
    timeout = int(2 * DENIAL_WINDOW.total_seconds())
    if cache.add(key, 1, timeout=timeout):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)
            count = 1
    return count <= settings.AUDIT_DENIALS_PER_MINUTE


def _count_suppressed(user: Any, window: dt.datetime) -> None:
    """One more denial of ``user`` in ``window`` past the cap: counted in the database (a single
    row per user and minute), so the count survives a restart and reaches the trail."""
    pending = SuppressedDenials.objects.filter(user=user, window_start=window)
    if pending.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            SuppressedDenials.objects.create(user=user, window_start=window, count=1)
    except IntegrityError:  # another request of the same scan created it first
        pending.update(count=F("count") + 1)


def denial_record(*, actor: Any, action: str, outcome: str, details: dict[str, Any]) -> AuditEvent | None:
    """Record a denied access or a refused action of ``actor`` — at most
    ``AUDIT_DENIALS_PER_MINUTE`` events per user and minute; past that, each is counted and the
    minute's count is written later as one ``access.denials_suppressed`` event. Returns the
    event, or None when it was counted instead.

    Called after the response, outside the refused write's transaction (autocommit): the
    refused write rolls back, the record of its refusal stays.
    """
    window = _denial_window(timezone.now())
    if not _admit_denial(actor.pk, window):
        _count_suppressed(actor, window)
        return None
    return record(action=action, actor=actor, outcome=outcome, new=details)


def suppressed_denials_summarise(*, now: dt.datetime | None = None) -> int:
    """Write one ``access.denials_suppressed`` event per finished minute that had denials past
    the cap, with their count, and mark the minute summarised in the same transaction. Returns
    how many were written; a second run (or a concurrent one) writes nothing more."""
    now = now or timezone.now()
    finished = now - DENIAL_WINDOW - SUMMARY_GRACE
    pending = list(
        SuppressedDenials.objects.filter(summarised_at__isnull=True, window_start__lte=finished)
        .order_by("window_start", "pk")
        .values_list("pk", flat=True)
    )
    written = 0
    for pk in pending:
        with transaction.atomic():
            tally = (
                SuppressedDenials.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, summarised_at__isnull=True)
                .select_related("user")
                .first()
            )
            if tally is None:
                continue
            start = timezone.localtime(tally.window_start)
            record(
                action="access.denials_suppressed",
                actor=tally.user,
                outcome=Outcome.DENIED,
                new={
                    "suppressed": tally.count,
                    "window_from": f"{start:%Y-%m-%d %H:%M}",
                    "window_until": f"{start + DENIAL_WINDOW:%Y-%m-%d %H:%M}",
                },
            )
            tally.summarised_at = now
            tally.save(update_fields=["summarised_at"])
            written += 1
    return written
