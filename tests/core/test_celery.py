"""A real Celery worker, started by the test, runs a portal task through a real broker."""

import uuid

import pytest
from celery import Celery
from django.conf import settings

from tests.workers import REDIS_URL, Worker


@pytest.fixture
def redis_worker(tmp_path):
    worker = Worker(
        tmp_path / "worker.log",
        DJANGO_SETTINGS_MODULE="hukou_portal.settings.test",
        CELERY_BROKER_URL=REDIS_URL,
        CELERY_RESULT_BACKEND=REDIS_URL,
    )
    worker.wait_until_ready()
    yield worker
    worker.stop()


def test_worker_runs_a_task_through_redis(redis_worker):
    client = Celery("probe", broker=REDIS_URL, backend=REDIS_URL)
    token = uuid.uuid4().hex
    result = client.send_task("hukou_portal.core.tasks.ping_task", args=[token], queue=redis_worker.queue)
    answer = result.get(timeout=60)
    client.close()
    assert answer["token"] == token
    assert answer["hostname"]
    assert "redis://" in redis_worker.log()
    assert "ping_task" in redis_worker.log()


def test_zero_setup_worker_runs_a_task_through_the_filesystem_transport(tmp_path, monkeypatch):
    """What ``make run`` starts: the local settings, no broker configured, queue files under var/."""
    # Celery lets these variables override every app's configuration, the probe's included.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_RESULT_BACKEND", raising=False)
    results = tmp_path / "results"
    results.mkdir()
    worker = Worker(
        tmp_path / "worker.log",
        DJANGO_SETTINGS_MODULE="hukou_portal.settings.local",
        HUKOU_VAR_DIR=str(tmp_path),
        CELERY_BROKER_URL="",
        CELERY_RESULT_BACKEND=f"file://{results}",
    )
    try:
        worker.wait_until_ready()
        folder = str(tmp_path / "celery" / "queue")
        client = Celery(
            "probe",
            broker="filesystem://",
            backend=f"file://{results}",
            broker_transport_options={
                "data_folder_in": folder,
                "data_folder_out": folder,
                "control_folder": str(tmp_path / "celery" / "control"),
            },
        )
        token = uuid.uuid4().hex
        result = client.send_task("hukou_portal.core.tasks.ping_task", args=[token], queue=worker.queue)
        assert result.get(timeout=60)["token"] == token
    finally:
        log = worker.stop()
    assert "filesystem://" in log


def test_portal_reads_its_broker_from_the_environment():
    from hukou_portal.celery import app

    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_acks_late is True
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"


def test_beat_schedules_are_stored_for_administrators(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="clear-expired-sessions")
    assert task.task == "hukou_portal.core.tasks.clear_expired_sessions_task"
    assert (task.crontab.hour, task.crontab.minute) == ("3", "10")
