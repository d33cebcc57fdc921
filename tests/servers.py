"""Real network stand-ins for backends that misbehave: a port that never answers, a fake Cablecast;
and a port nothing listens on."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def unused_port() -> int:
    """A local TCP port nothing listened on a moment ago. Another process may take it before
    whoever is given it binds it: that one must say when it could not, and be given another
    (stations.Station.start_worker_serving_metrics)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class BlackHole:
    """A TCP port that accepts every connection and never says a word."""

    port: int
    accepted: int = 0
    accepted_at: list[float] = field(default_factory=list)   # when each was taken (monotonic)
    _held: list[socket.socket] = field(default_factory=list)


@contextmanager
def black_hole() -> Iterator[BlackHole]:
    """A listening port that accepts every connection, holds it open, and never answers."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    hole = BlackHole(listener.getsockname()[1])
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            hole.accepted_at.append(time.monotonic())
            hole.accepted += 1
            hole._held.append(conn)  # held open, never read, never answered

    thread = threading.Thread(target=accept, daemon=True, name="black-hole")
    thread.start()
    try:
        yield hole
    finally:
        stop.set()
        thread.join(2)
        for conn in hole._held:
            conn.close()
        listener.close()


class FakeCablecast:
    """An HTTP server answering like Cablecast; `answers` scripts the replies, in order.

    Each answer is a status code (200 returns `body`) or "hang"; the last answer repeats.
    """

    def __init__(self) -> None:
        self.answers: list[int | str] = [200]
        self.body: object = {"locations": [{"id": 22, "name": "Riverton"}], "meta": {"count": 1}}
        self.requests: list[tuple[str, str | None]] = []  # (path, Authorization header)
        self.release = threading.Event()
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with fake._lock:
                    fake.requests.append((self.path, self.headers.get("Authorization")))
                    answer = fake.answers.pop(0) if len(fake.answers) > 1 else fake.answers[0]
                if answer == "hang":
                    fake.release.wait(30)
                    return
                status = int(answer)
                payload = fake.body if status == 200 else {"message": f"fake says {status}"}
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
