"""The chain is an HMAC with a key outside the database; legacy (pre-key) events still verify,
keys rotate, and production refuses to start without a key."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from hukou_portal.audit import db_guards
from hukou_portal.audit.chain import GENESIS, key_id, legacy_hash
from hukou_portal.audit.models import AuditEvent
from hukou_portal.audit.services import record, verify_chain
from tests.core.test_settings import SAFE_KEY, run_manage


def _rewrite(event_id: int, **columns: str) -> None:
    """As the table owner, with the guards off: set raw columns of one row."""
    assignments = ", ".join(f"{name} = %s" for name in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks before ALTER TABLE
    db_guards.suspend(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE audit_auditevent SET {assignments} WHERE id = %s", [*columns.values(), event_id])  # noqa: S608
    finally:
        db_guards.install(connection)


def test_new_events_are_signed_with_the_active_key(staff, settings):
    event = record(action="person.viewed", actor=staff.officer)
    event.refresh_from_db()
    assert event.chain_key_id == key_id(settings.AUDIT_CHAIN_KEY)
    # Not the unkeyed SHA-256 anyone could recompute.
    assert event.hash != legacy_hash(event, event.prev_hash)
    assert verify_chain()[1] is None


def test_legacy_events_before_the_key_still_verify(db):
    """Events written before the upgrade: empty key id, plain SHA-256; the chain continues keyed."""
    assert not AuditEvent.objects.exists()
    first = record(action="person.viewed", note="旧")
    first.refresh_from_db()
    assert first.prev_hash == GENESIS
    _rewrite(first.pk, chain_key_id="", hash=legacy_hash(first, GENESIS))
    second = record(action="person.viewed", note="新")
    checked, bad, _why = verify_chain()
    assert (checked, bad) == (2, None)
    assert AuditEvent.objects.get(pk=second.pk).chain_key_id


def test_a_keyed_event_turned_legacy_is_reported(staff):
    """Downgrade: drop the key id and recompute with plain SHA-256 (no key needed)."""
    events = [record(action="person.viewed", actor=staff.officer, note=str(i)) for i in range(3)]
    victim = AuditEvent.objects.get(pk=events[2].pk)
    _rewrite(victim.pk, chain_key_id="", hash=legacy_hash(victim, victim.prev_hash))
    _checked, bad, why = verify_chain()
    assert bad is not None and bad.pk == victim.pk
    assert "without the key" in why


def test_rotation_retired_keys_still_verify_unknown_keys_do_not(staff, settings):
    old_key = settings.AUDIT_CHAIN_KEY
    before = record(action="person.viewed", actor=staff.officer)
    new_key = "rotated-audit-chain-key-" + "x" * 20
    with override_settings(AUDIT_CHAIN_KEY=new_key, AUDIT_CHAIN_RETIRED_KEYS=[old_key]):
        after = record(action="person.viewed", actor=staff.officer)
        assert AuditEvent.objects.get(pk=after.pk).chain_key_id == key_id(new_key)
        assert verify_chain()[1] is None
    with override_settings(AUDIT_CHAIN_KEY=new_key, AUDIT_CHAIN_RETIRED_KEYS=[]):
        _checked, bad, why = verify_chain()
        first_old = AuditEvent.objects.filter(chain_key_id=key_id(old_key)).order_by("id").first()
        assert bad is not None and bad.pk == first_old.pk <= before.pk
        assert "unknown key" in why
        with pytest.raises(CommandError, match=f"#{first_old.pk} .*unknown key"):
            call_command("audit_verify")


def test_the_key_id_is_a_fingerprint_not_the_key(settings):
    kid = key_id(settings.AUDIT_CHAIN_KEY)
    assert settings.AUDIT_CHAIN_KEY not in kid
    assert kid != hashlib.sha256(settings.AUDIT_CHAIN_KEY.encode()).hexdigest()[:16]


@pytest.mark.parametrize("key", ["", "too-short"])
def test_production_refuses_a_missing_or_short_audit_chain_key(tmp_path, key):
    import json

    from hukou_portal.settings.epermit_keys import new_keyset

    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(new_keyset("prod-1")))
    result = run_manage(
        "check",
        SECRET_KEY=SAFE_KEY,
        ALLOWED_HOSTS="hukou.example",
        EPERMIT_KEYS_FILE=str(keys),
        AUDIT_CHAIN_KEY=key,
    )
    assert result.returncode != 0
    assert "AUDIT_CHAIN_KEY must be set" in result.stderr
