"""Reminders against a real Celery worker and a real Redis, started by the tests: a worker
killed in the middle of a delivery, and Redis down while cases are decided and the sweep runs."""

import subprocess
import time
from urllib.parse import urlparse

import pytest
import time_machine
from celery import Celery

from hukou_portal.notifications.models import Notification
from hukou_portal.notifications.services import sweep
from tests.helpers import database_url_of_the_tests, make_office_tree, make_user
from tests.notifications.conftest import D, at, make_permit
from tests.notifications.gateway import GatewayServer
from tests.workers import REDIS_URL, Worker

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
DELIVER = "hukou_portal.notifications.tasks.deliver_pending_task"


def start_worker(tmp_path, name: str, gateway_url: str, queue: str | None = None) -> Worker:  # type: ignore[no-untyped-def]
    worker = Worker(
        tmp_path / f"{name}.log",
        queue=queue,
        DJANGO_SETTINGS_MODULE="hukou_portal.settings.test",
        DATABASE_URL=database_url_of_the_tests(),
        CELERY_BROKER_URL=REDIS_URL,
        SMS_GATEWAY="http",
        SMS_GATEWAY_URL=gateway_url,
        SMS_GATEWAY_TIMEOUT="120",
    )
    worker.wait_until_ready()
    return worker


def wait_for(condition, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.fixture
def pending_reminder(transactional_db):
    from hukou_portal.accounts.roles import Role

    offices = make_office_tree()
    make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    with time_machine.travel(at(D(2026, 11, 30)), tick=True):
        make_permit(offices.yuehe, issued_on=D(2026, 6, 15), sequence=1)
        sweep(as_of=D(2026, 12, 15))
    Notification.objects.filter(channel="inbox").update(status="sent")  # only the SMS is in play
    return Notification.objects.get(channel="sms")


def test_a_worker_killed_mid_delivery_leaves_the_message_to_a_new_worker_exactly_once(tmp_path, pending_reminder):
    client = Celery("probe", broker=REDIS_URL)
    with GatewayServer(hold_first=True) as gateway:
        first = start_worker(tmp_path, "first", gateway.url)
        client.send_task(DELIVER, queue=first.queue)
        assert gateway.first_arrived.wait(timeout=60), first.log()  # the delivery is in flight
        first.kill()
        pending_reminder.refresh_from_db()
        assert (pending_reminder.status, pending_reminder.attempts) == ("pending", 0)  # its transaction died with it

        second = start_worker(tmp_path, "second", gateway.url, queue=first.queue)
        try:
            client.send_task(DELIVER, queue=second.queue)  # beat sends one every minute
            wait_for(lambda: Notification.objects.get(pk=pending_reminder.pk).status == "sent")
        finally:
            second.stop()
    client.close()
    keys = {request["key"] for request in gateway.requests}
    assert keys == {f"hukou-notification-{pending_reminder.pk}"}
    assert len(gateway.delivered) == 1  # the gateway sent it once: the retry carried the same key
    assert Notification.objects.get(pk=pending_reminder.pk).attempts == 1


def redis_port() -> int:
    return urlparse(REDIS_URL).port or 6379


def stop_redis() -> None:
    subprocess.run(["redis-cli", "-p", str(redis_port()), "shutdown", "nosave"], capture_output=True, timeout=30)
    wait_for(
        lambda: subprocess.run(["redis-cli", "-p", str(redis_port()), "ping"], capture_output=True).returncode != 0
    )


def start_redis() -> None:
    subprocess.run(
        ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(redis_port()),
         "--save", "", "--appendonly", "no"],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    wait_for(
        lambda: subprocess.run(["redis-cli", "-p", str(redis_port()), "ping"], capture_output=True).returncode == 0
    )


def test_redis_down_while_cases_are_decided_and_the_sweep_runs_loses_nothing(tmp_path, transactional_db, monkeypatch):
    from hukou_portal.accounts.roles import Role
    from hukou_portal.casework import services as case_services
    from hukou_portal.casework.kinds import register, unregister
    from tests.casework.factories import TEST_KIND, drive, open_case, upload_all

    assert urlparse(REDIS_URL).hostname in {"127.0.0.1", "localhost"}, "this test stops and starts a local Redis"
    monkeypatch.setenv("CELERY_BROKER_URL", REDIS_URL)  # the portal enqueues through Redis
    register(TEST_KIND)
    offices = make_office_tree()
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="supervisor")
    case = open_case(officer)
    upload_all(case, officer)
    case = drive(case, "pending_approval", officer=officer, supervisor=supervisor)
    with time_machine.travel(at(D(2026, 11, 30)), tick=True):
        for index in range(3):
            make_permit(offices.yuehe, issued_on=D(2026, 6, 10 + index), sequence=10 + index)

    stop_redis()
    try:
        case_services.case_approve(case_id=case.pk, actor=supervisor, expected_version=None)
        with time_machine.travel(at(D(2026, 12, 15)), tick=True):
            created = sweep(as_of=D(2026, 12, 15))  # its enqueue fails: the rows wait
        assert created["N1"] == 9  # three permits: an SMS and two inbox rows (officer, supervisor) each
    finally:
        start_redis()
    unregister(TEST_KIND.code)

    with GatewayServer() as gateway:
        worker = start_worker(tmp_path, "after-outage", gateway.url)
        try:
            Celery("probe", broker=REDIS_URL).send_task(DELIVER, queue=worker.queue)
            wait_for(lambda: not Notification.objects.filter(status="pending").exists())
        finally:
            worker.stop()
    assert Notification.objects.count() == sum(created.values())
    assert Notification.objects.filter(status="sent").count() == Notification.objects.count()
    assert len(gateway.delivered) == 3
    from hukou_portal.casework.models import Case

    assert Case.objects.get(pk=case.pk).status == "approved"
