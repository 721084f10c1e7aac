"""A real HTTP SMS gateway for tests: it deduplicates on Idempotency-Key like a real one, can
fail a number of times first, and can hold the first request open (a delivery in flight)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class GatewayServer:
    def __init__(self, *, fail_first: int = 0, hold_first: bool = False) -> None:
        self.fail_first = fail_first
        self.hold_first = hold_first
        self.requests: list[dict] = []  # every request that reached it
        self.delivered: dict[str, dict] = {}  # by idempotency key: what it "sent"
        self.first_arrived = threading.Event()
        self.release = threading.Event()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers["Idempotency-Key"]
                gateway.requests.append({"key": key, **body})
                if gateway.hold_first and len(gateway.requests) == 1:
                    gateway.first_arrived.set()
                    gateway.release.wait(timeout=60)
                    return  # the caller was killed meanwhile; nothing is answered
                if len(gateway.requests) <= gateway.fail_first:
                    self.send_response(503)
                    self.end_headers()
                    return
                gateway.delivered.setdefault(key, body)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "GatewayServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
