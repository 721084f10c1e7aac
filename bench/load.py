"""Load test: the portal under concurrent users, served by real gunicorn (benchmark B11).

    DATABASE_URL=postgres://hukou:hukou@127.0.0.1:5432/hukou \
        .venv/bin/python bench/load.py --username yuehe_officer --seconds 10 --users 5

Starts gunicorn (sync workers, ``2 × CPUs + 1`` of them by default, settings
``hukou_portal.settings.test``, the given database and the shared Redis cache as in production) on
a free local port, waits until it serves the first page, warms every worker up with each page
once, then for each phase in turn lets ``users`` threads loose at the same instant for ``seconds``
seconds: each thread is one signed-in user on its own keep-alive HTTP connection, requesting the
phase's pages round-robin back to back (no think time) and reading each body in full. It reports
per phase the number of requests, the non-200 responses (errors), the throughput, and the median
and 95th percentile of the successful requests' latency (also per page), so that a phase of work
pages (queue, case page, person search) can be compared with the home page under the same load.
The client threads run on the same machine as the server and compete with it for CPU: the numbers
compare pages with each other, they are not the capacity of a production server.
"""

import argparse
import http.client
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
CACHE_URL = "redis://127.0.0.1:6379/3"  # shared by every worker process, as in production
READY_TIMEOUT = 60.0  # seconds gunicorn has to serve its first page
STOP_TIMEOUT = 15.0  # seconds gunicorn has to shut down after SIGTERM before it is killed
REQUEST_TIMEOUT = 60.0  # seconds, the same as gunicorn's worker timeout
LOG_TAIL_CHARS = 4000
NETWORK_ERROR = 0  # the "status" recorded for a request that got no HTTP response at all


class PathResult(TypedDict):
    requests: int
    p95_ms: float


class PhaseResult(TypedDict):
    requests: int  # every request that completed (or failed) within the phase
    errors: int  # responses other than 200, and requests that got no response
    error_statuses: list[int]  # the first ten errors' statuses, in order; 0 = no response
    rps: float  # requests per second of the phase's wall time
    p50_ms: float  # latencies of the 200 responses only; NaN when there is none
    p95_ms: float
    by_path: dict[str, PathResult]


@dataclass
class _Sample:
    path: str
    status: int
    seconds: float
    finished_at: float  # time.perf_counter() when the response was read


@dataclass
class _ThreadOutcome:
    samples: list[_Sample] = field(default_factory=list)
    failure: BaseException | None = None


def run_load(
    *,
    database_url: str,
    cookie_headers: Sequence[str],
    phases: Mapping[str, Sequence[str]],
    users: int = 20,
    seconds: float = 60.0,
    workers: int | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> dict[str, PhaseResult]:
    """Serve the portal with gunicorn on ``database_url`` and load it, one phase after another.

    ``cookie_headers``: one ``Cookie`` header per simulated user (thread ``i`` uses
    ``cookie_headers[i % len(cookie_headers)]``). ``phases``: name → the paths its users request
    round-robin; the first path of the first phase must answer 200 (it tells that the server is
    up). ``workers`` defaults to ``2 × CPUs + 1``. ``extra_env`` is added to gunicorn's
    environment last (e.g. ``{"RATE_LIMIT_SEARCH": "100000/min"}``). Returns phase name → result.
    """
    if not cookie_headers:
        raise ValueError("cookie_headers: at least one Cookie header is needed")
    if not phases or any(not paths for paths in phases.values()):
        raise ValueError("phases: at least one phase, each with at least one path")
    if users < 1 or seconds <= 0:
        raise ValueError("users must be at least 1 and seconds positive")
    workers = workers or 2 * (os.cpu_count() or 1) + 1

    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hukou_portal.settings.test",
        "DATABASE_URL": database_url,
        "CACHE_URL": CACHE_URL,
        **(extra_env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "hukou_portal.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    with tempfile.NamedTemporaryFile(prefix="bench-load-gunicorn-", suffix=".log", delete=False) as log:
        log_path = Path(log.name)
        # Its own session: a Ctrl-C in the terminal reaches this script, which stops gunicorn itself.
        server = subprocess.Popen(  # noqa: S603  (a fixed command: this interpreter running gunicorn)
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    failed = True
    try:
        first_path = next(iter(phases.values()))[0]
        _wait_until_ready(server, port, first_path, cookie_headers[0], log_path)
        all_paths = [path for paths in phases.values() for path in paths]
        _warm_up(port, all_paths, cookie_headers, connections=min(users, workers))
        results = {
            name: _run_phase(port, list(paths), cookie_headers, users=users, seconds=seconds)
            for name, paths in phases.items()
        }
        failed = False
        return results
    finally:
        _stop(server)
        if not failed:
            log_path.unlink(missing_ok=True)  # kept after a failure, for its whole text


def _free_port() -> int:
    """A TCP port nobody listens on now (the kernel's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _get(connection: http.client.HTTPConnection, path: str, cookie_header: str) -> int:
    """GET ``path`` on ``connection``, read the whole body, and return the status.

    http.client opens the connection again by itself when the server closed it (gunicorn's sync
    workers close it after every response).
    """
    connection.request("GET", path, headers={"Cookie": cookie_header, "Host": HOST})
    response = connection.getresponse()
    response.read()
    return response.status


def _log_tail(log_path: Path) -> str:
    text = log_path.read_text(encoding="utf-8", errors="replace")
    return text[-LOG_TAIL_CHARS:] or "(empty)"


def _wait_until_ready(
    server: subprocess.Popen[bytes], port: int, path: str, cookie_header: str, log_path: Path
) -> None:
    """Poll ``path`` until it answers 200; raise RuntimeError if it does not within READY_TIMEOUT."""
    deadline = time.monotonic() + READY_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with code {server.returncode} before serving {path}; "
                f"its log ({log_path}) ends with:\n{_log_tail(log_path)}"
            )
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            status = _get(connection, path, cookie_header)
        except (OSError, http.client.HTTPException) as error:
            last = f"no answer ({error!r})"
        else:
            if status == 200:
                return
            last = f"status {status}"
        finally:
            connection.close()
        time.sleep(0.25)
    raise RuntimeError(
        f"gunicorn on port {port} did not answer 200 to GET {path} within {READY_TIMEOUT:.0f} s "
        f"(last: {last}); its log ({log_path}) ends with:\n{_log_tail(log_path)}"
    )


def _run_threads(count: int, target: Callable[[int, _ThreadOutcome], None]) -> list[_ThreadOutcome]:
    """Run ``target(i, outcome)`` in ``count`` threads; re-raise the first failure of any of them."""
    outcomes = [_ThreadOutcome() for _ in range(count)]

    def guarded(index: int) -> None:
        try:
            target(index, outcomes[index])
        except BaseException as error:  # handed to the main thread, which raises it
            outcomes[index].failure = error

    threads = [threading.Thread(target=guarded, args=(index,), daemon=True) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for outcome in outcomes:
        if outcome.failure is not None:
            raise outcome.failure
    return outcomes


def _warm_up(port: int, paths: Sequence[str], cookie_headers: Sequence[str], *, connections: int) -> None:
    """Request every path once on each of ``connections`` concurrent connections (untimed), so that
    every worker process has imported and compiled what the pages need."""

    def warm(index: int, _outcome: _ThreadOutcome) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            for path in paths:
                _get(connection, path, cookie_headers[index % len(cookie_headers)])
        finally:
            connection.close()

    _run_threads(connections, warm)


def _run_phase(
    port: int, paths: Sequence[str], cookie_headers: Sequence[str], *, users: int, seconds: float
) -> PhaseResult:
    """``users`` threads, released together, request ``paths`` round-robin for ``seconds``."""
    started: list[float] = []
    barrier = threading.Barrier(users, action=lambda: started.append(time.perf_counter()))

    def user(index: int, outcome: _ThreadOutcome) -> None:
        cookie_header = cookie_headers[index % len(cookie_headers)]
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            barrier.wait(timeout=READY_TIMEOUT)  # every thread is there at once, or it fails
            deadline = started[0] + seconds
            turn = index
            while time.perf_counter() < deadline:
                path = paths[turn % len(paths)]
                turn += 1
                begin = time.perf_counter()
                try:
                    status = _get(connection, path, cookie_header)
                except (OSError, http.client.HTTPException):
                    status = NETWORK_ERROR
                    connection.close()  # the next request connects afresh
                end = time.perf_counter()
                outcome.samples.append(_Sample(path=path, status=status, seconds=end - begin, finished_at=end))
        finally:
            connection.close()

    outcomes = _run_threads(users, user)
    samples = [sample for outcome in outcomes for sample in outcome.samples]
    # The phase lasts until its last response: requests sent just before the deadline count.
    elapsed = max((sample.finished_at for sample in samples), default=started[0] + seconds) - started[0]
    return _summarise(samples, paths, elapsed)


def _summarise(samples: Sequence[_Sample], paths: Sequence[str], elapsed: float) -> PhaseResult:
    errors = [sample for sample in samples if sample.status != 200]
    latencies: list[float] = []
    by_path: dict[str, list[float]] = defaultdict(list)
    requests_by_path: dict[str, int] = defaultdict(int)
    for sample in samples:
        requests_by_path[sample.path] += 1
        if sample.status == 200:
            latencies.append(sample.seconds)
            by_path[sample.path].append(sample.seconds)
    p50, p95 = _percentiles_ms(latencies)
    return {
        "requests": len(samples),
        "errors": len(errors),
        "error_statuses": [sample.status for sample in errors[:10]],
        "rps": len(samples) / elapsed if elapsed > 0 else 0.0,
        "p50_ms": p50,
        "p95_ms": p95,
        "by_path": {
            path: {"requests": requests_by_path[path], "p95_ms": _percentiles_ms(by_path[path])[1]}
            for path in dict.fromkeys(paths)  # the phase's order, each path once
        },
    }


def _percentiles_ms(latencies: Sequence[float]) -> tuple[float, float]:
    """The 50th and 95th percentiles in milliseconds; NaN without data, the value itself for one."""
    if not latencies:
        return math.nan, math.nan
    if len(latencies) == 1:
        return latencies[0] * 1000, latencies[0] * 1000
    cuts = statistics.quantiles(latencies, n=100)
    return cuts[49] * 1000, cuts[94] * 1000


def _stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to gunicorn's master (a graceful shutdown of its workers); killed after STOP_TIMEOUT."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        # The master and its workers share the session started for them, hence the group id.
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _signed_in_cookie_header(username: str) -> str:
    """A Cookie header of a session of ``username``, signed in with a verified second factor."""
    from django.test import Client

    from hukou_portal.accounts.models import User
    from tests.helpers import sign_in

    client = sign_in(Client(), User.objects.get(username=username))
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="default: $DATABASE_URL")
    parser.add_argument("--username", default="yuehe_officer", help="the user every thread signs in as")
    parser.add_argument("--users", type=int, default=5, help="concurrent users (threads)")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each phase")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: 2 × CPUs + 1)")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")

    # Django only here: bench/city.py imports run_load after setting Django up itself.
    sys.path.insert(0, str(REPO_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hukou_portal.settings.test")
    os.environ["DATABASE_URL"] = args.database_url  # the session must be where gunicorn reads it
    import django

    django.setup()
    from django.db import connections

    cookie_header = _signed_in_cookie_header(args.username)
    connections.close_all()

    results = run_load(
        database_url=args.database_url,
        cookie_headers=[cookie_header],
        phases={"home": ["/"], "work": ["/cases/"]},
        users=args.users,
        seconds=args.seconds,
        workers=args.workers,
    )
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
