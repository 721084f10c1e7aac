"""Real Celery workers for tests, in their own processes."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


class Worker:
    """``celery -A hukou_portal worker`` in a subprocess, consuming one queue of its own."""

    def __init__(self, log_path: Path, queue: str | None = None, **env: str) -> None:
        self.queue = queue or f"test-{uuid.uuid4().hex}"
        self.log_path = log_path
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "hukou_portal", "worker", "--pool=solo",
             "--queues", self.queue, "--without-gossip", "--without-mingle", "--loglevel=INFO"],
            cwd=Path(settings.BASE_DIR),
            env={**os.environ, **env},
            stdout=log_path.open("w"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip

    def log(self) -> str:
        return self.log_path.read_text()

    def wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while " ready." not in self.log():
            assert self.process.poll() is None, self.log()
            assert time.monotonic() < deadline, self.log()
            time.sleep(0.2)

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=30)
        return self.log()

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, no cleanup."""
        self.process.kill()
        self.process.wait(timeout=30)
