"""The chain in lanes: concurrent writers do not wait for each other, and no link is lost or
doubled — every lane stays one unbroken line however the writers interleave (PostgreSQL, where
writers really run in parallel)."""

import itertools
import threading
import time
from collections import Counter, defaultdict

import pytest
from django.db import IntegrityError, connection, transaction

from hukou_portal.audit.chain import GENESIS
from hukou_portal.audit.models import AuditEvent
from hukou_portal.audit.services import record, verify_chain

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")


def _run_in_threads(count: int, work) -> list[BaseException]:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(number: int) -> None:
        try:
            start.wait()
            work(number)
        except BaseException as error:  # reported by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_eight_writers_in_parallel_leave_every_lane_an_unbroken_line(transactional_db, staff):
    writers, transactions = 8, 15

    def write(number: int) -> None:
        for round_ in range(transactions):
            with transaction.atomic():
                record(action="person.viewed", actor=staff.officer, new={"writer": number, "round": round_})
                time.sleep(0.002)  # hold the lane a moment, as a real intake does, so writers overlap
                record(action="person.viewed", actor=staff.officer, new={"writer": number, "round": round_})

    assert _run_in_threads(writers, write) == []

    events = list(AuditEvent.objects.order_by("id"))  # the fixture's events and the writers'
    written = [event for event in events if "writer" in event.new_values]
    assert len(written) == writers * transactions * 2  # none lost
    checked, bad, why = verify_chain()
    assert (checked, bad, why) == (len(events), None, "")

    by_lane: dict[int, list[AuditEvent]] = defaultdict(list)
    for event in events:
        by_lane[event.lane].append(event)
    assert len(by_lane) > 1, "the writers all queued in one lane"
    for lane_events in by_lane.values():
        assert lane_events[0].prev_hash == GENESIS
        for before, after in itertools.pairwise(lane_events):
            assert after.prev_hash == before.hash  # none doubled, none skipped
    # A transaction's events stay in the lane it took first.
    lanes_of = defaultdict(set)
    for event in written:
        lanes_of[(event.new_values["writer"], event.new_values["round"])].add(event.lane)
    assert all(len(lanes) == 1 for lanes in lanes_of.values())
    assert Counter(event.prev_hash for event in events)[GENESIS] == len(by_lane)


def test_a_writer_does_not_wait_for_another_writers_open_transaction(transactional_db, staff):
    """With one lock for the whole chain, the second writer would wait until the first commits."""
    holding, release = threading.Event(), threading.Event()
    lanes: dict[str, int] = {}

    def slow() -> None:
        with transaction.atomic():
            lanes["slow"] = record(action="person.viewed", actor=staff.officer, note="slow").lane
            holding.set()
            release.wait(timeout=30)

    def quick() -> None:
        holding.wait(timeout=30)
        lanes["quick"] = record(action="person.viewed", actor=staff.officer, note="quick").lane

    errors: list[BaseException] = []

    def run(work) -> None:  # type: ignore[no-untyped-def]
        try:
            work()
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    slow_thread = threading.Thread(target=run, args=(slow,))
    quick_thread = threading.Thread(target=run, args=(quick,))
    slow_thread.start()
    quick_thread.start()
    quick_thread.join(timeout=10)
    finished_while_held = not quick_thread.is_alive()
    release.set()
    slow_thread.join(timeout=30)
    quick_thread.join(timeout=30)
    assert errors == []
    assert finished_while_held, "the second writer waited for the first one's transaction"
    assert lanes["quick"] != lanes["slow"]
    assert verify_chain()[1] is None


def test_the_database_refuses_a_fork_of_a_lane(db, staff):
    first = record(action="person.viewed", actor=staff.officer)
    fork = AuditEvent(action="person.viewed", lane=first.lane, prev_hash=first.prev_hash, hash="f" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()
    assert AuditEvent.objects.filter(lane=first.lane, prev_hash=first.prev_hash).count() == 1
