"""The attack finding 7 describes, against the keyed chain and the daily anchor.

As the table owner: switch the append-only triggers off, edit an event, recompute the chain.
Recomputed with plain SHA-256 (the old attack), audit_verify names the edited event. Recomputed
with the right key (an insider who has it), the chain verifies, but audit_verify --anchor fails
at the first anchored event after the edit.
"""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_celery_beat.models import PeriodicTask

from hukou_portal.audit import db_guards
from hukou_portal.audit.chain import GENESIS, keyed_hash, legacy_hash
from hukou_portal.audit.models import AuditEvent
from hukou_portal.audit.services import record


@pytest.fixture
def trail(staff, tmp_path):
    """Twelve events, with the head anchored after the 4th and after the 8th of them."""
    anchors = tmp_path / "anchors.jsonl"
    events = []
    for i in range(12):
        events.append(record(action="person.viewed", actor=staff.officer, new={"round": i}))
        if i in (3, 7):
            call_command("audit_anchor", str(anchors), stdout=open("/dev/null", "w"))  # noqa: SIM115
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # see test_database_guards.py
    return events, anchors


def _rewrite_from(victim_id: int, new_values: dict, rehash) -> None:  # type: ignore[no-untyped-def]
    """The table owner's rewrite: triggers off, edit one row, recompute the chain from there on."""
    json_param = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    db_guards.suspend(connection)  # PostgreSQL: ALTER TABLE … DISABLE TRIGGER USER
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE audit_auditevent SET new_values = {json_param} WHERE id = %s",  # noqa: S608
                [json.dumps(new_values), victim_id],
            )
            lane = AuditEvent.objects.get(pk=victim_id).lane
            in_lane = AuditEvent.objects.filter(lane=lane)
            prev = in_lane.filter(pk__lt=victim_id).order_by("-id").values_list("hash", flat=True).first() or GENESIS
            for event in in_lane.filter(pk__gte=victim_id).order_by("id"):
                chain_key_id, new_hash = rehash(event, prev)
                cursor.execute(
                    "UPDATE audit_auditevent SET prev_hash = %s, hash = %s, chain_key_id = %s WHERE id = %s",
                    [prev, new_hash, chain_key_id, event.pk],
                )
                prev = new_hash
    finally:
        db_guards.install(connection)  # the triggers are on again whatever happened


def _sha256(event, prev):  # type: ignore[no-untyped-def]
    return "", legacy_hash(event, prev)


def _with_the_key(key: str):  # type: ignore[no-untyped-def]
    def rehash(event, prev):  # type: ignore[no-untyped-def]
        return event.chain_key_id, keyed_hash(event, prev, event.chain_key_id, key)

    return rehash


def test_the_anchor_file_gets_one_json_line_per_run(trail, capsys):
    events, anchors = trail
    lines = [json.loads(line) for line in anchors.read_text().splitlines()]
    lane = events[0].lane  # one connection writes them all: one lane
    assert [line["heads"] for line in lines] == [
        [{"lane": lane, "event": events[3].pk, "hash": events[3].hash}],
        [{"lane": lane, "event": events[7].pk, "hash": events[7].hash}],
    ]
    call_command("audit_anchor", str(anchors))
    assert f"lane={lane} event={events[11].pk} hash={events[11].hash}" in capsys.readouterr().out
    assert len(anchors.read_text().splitlines()) == 3  # appended, nothing rewritten
    call_command("audit_verify", "--anchor", str(anchors))
    assert "3 anchors verified" in capsys.readouterr().out


def test_an_unkeyed_recomputed_chain_is_reported_at_the_edited_event(trail):
    events, _anchors = trail
    victim = events[5]
    _rewrite_from(victim.pk, {"round": "篡改"}, _sha256)
    assert AuditEvent.objects.get(pk=victim.pk).new_values == {"round": "篡改"}
    with pytest.raises(CommandError, match=f"broken at event #{victim.pk} .*without the key"):
        call_command("audit_verify")
    assert db_guards_are_on()


def test_a_chain_recomputed_with_the_key_fails_at_the_next_anchor(trail, settings):
    events, anchors = trail
    victim = events[5]
    _rewrite_from(victim.pk, {"round": "篡改"}, _with_the_key(settings.AUDIT_CHAIN_KEY))
    call_command("audit_verify", stdout=open("/dev/null", "w"))  # noqa: SIM115 -- the key hides it from the chain alone
    with pytest.raises(CommandError, match=f"event #{events[7].pk} no longer has the hash anchored on line 2"):
        call_command("audit_verify", "--anchor", str(anchors))
    assert db_guards_are_on()


def test_a_whole_chain_downgraded_to_sha256_fails_at_the_first_anchor(trail):
    """Rewriting every event as "legacy" leaves no keyed event to contradict it: only the
    anchors catch that (so take one right after upgrading, see docs/security.md)."""
    events, anchors = trail
    first = AuditEvent.objects.order_by("id").first()
    _rewrite_from(first.pk, first.new_values, _sha256)
    with pytest.raises(CommandError, match=f"event #{events[3].pk} no longer has the hash anchored on line 1"):
        call_command("audit_verify", "--anchor", str(anchors))


def test_a_rewrite_before_all_anchors_is_caught_at_the_first(trail, settings):
    events, anchors = trail
    _rewrite_from(events[1].pk, {"round": "篡改"}, _with_the_key(settings.AUDIT_CHAIN_KEY))
    with pytest.raises(CommandError, match=f"event #{events[3].pk} no longer has the hash anchored on line 1"):
        call_command("audit_verify", "--anchor", str(anchors))


@pytest.mark.parametrize(
    "content", ["not json\n", '{"event": "x"}\n', '{"hash": "00"}\n', '{"heads": [{"lane": 0, "hash": "00"}]}\n']
)
def test_a_damaged_anchor_file_fails_verification(staff, tmp_path, content):
    record(action="person.viewed", actor=staff.officer)
    anchors = tmp_path / "anchors.jsonl"
    anchors.write_text(content)
    with pytest.raises(CommandError, match=r"line 1 .*is not an anchor"):
        call_command("audit_verify", "--anchor", str(anchors))


def test_a_missing_anchor_file_or_event_fails_verification(staff, tmp_path):
    record(action="person.viewed", actor=staff.officer)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("audit_verify", "--anchor", str(tmp_path / "none.jsonl"))
    anchors = tmp_path / "anchors.jsonl"
    anchors.write_text(json.dumps({"event": 10**9, "hash": "0" * 64}) + "\n")
    with pytest.raises(CommandError, match="missing from the trail"):
        call_command("audit_verify", "--anchor", str(anchors))


def test_anchoring_an_empty_trail_writes_nothing(db, tmp_path, capsys):
    anchors = tmp_path / "anchors.jsonl"
    call_command("audit_anchor", str(anchors))
    assert "empty" in capsys.readouterr().out
    assert not anchors.exists()


def test_the_anchor_runs_daily_from_the_beat_schedule(db, tmp_path, settings):
    from hukou_portal.audit.tasks import anchor_audit_trail_task

    task = PeriodicTask.objects.get(name="anchor-audit-trail")
    assert task.task == "hukou_portal.audit.tasks.anchor_audit_trail_task"
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("20", "0", "*")
    record(action="person.viewed")
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "daily.jsonl")
    anchor_audit_trail_task()
    (head,) = json.loads((tmp_path / "daily.jsonl").read_text())["heads"]
    assert head["hash"] == AuditEvent.objects.order_by("-id")[0].hash


def test_anchors_written_before_lanes_still_verify_and_still_catch_a_rewrite(trail, settings):
    """An anchor line of the single-line chain names one event and its hash, no lane."""
    events, anchors = trail
    old_style = anchors.parent / "before-lanes.jsonl"
    line = {"event": events[7].pk, "hash": events[7].hash, "anchored_at": "2026-11-01T00:20:00+08:00"}
    old_style.write_text(json.dumps(line) + "\n")
    call_command("audit_verify", "--anchor", str(old_style), stdout=open("/dev/null", "w"))  # noqa: SIM115
    _rewrite_from(events[5].pk, {"round": "篡改"}, _with_the_key(settings.AUDIT_CHAIN_KEY))
    with pytest.raises(CommandError, match=f"event #{events[7].pk} no longer has the hash anchored on line 1"):
        call_command("audit_verify", "--anchor", str(old_style))


def test_an_event_moved_to_another_lane_fails_at_its_anchor(trail, settings):
    """An insider with the key moves the anchored head of a lane into a new lane of its own,
    linked to GENESIS and re-signed: every lane's links hold, but the anchor does not."""
    events, anchors = trail
    head = events[11]
    resigned = keyed_hash(head, GENESIS, head.chain_key_id, settings.AUDIT_CHAIN_KEY)
    call_command("audit_anchor", str(anchors), stdout=open("/dev/null", "w"))  # noqa: SIM115
    db_guards.suspend(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditevent SET lane = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [head.lane + 1, GENESIS, resigned, head.pk],
            )
    finally:
        db_guards.install(connection)
    call_command("audit_verify", stdout=open("/dev/null", "w"))  # noqa: SIM115 -- every lane's links hold
    with pytest.raises(CommandError, match=f"event #{head.pk} no longer has the hash anchored on line 3"):
        call_command("audit_verify", "--anchor", str(anchors))


def db_guards_are_on() -> bool:
    """The trail refuses an UPDATE again after the attack's clean-up."""
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET note = 'x'")
    except DatabaseError as error:
        return "append-only" in str(error)
    return False
