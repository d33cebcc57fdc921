"""The fake Cablecast on a real socket, and clients of it with small, test-sized bounds."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from archivist.adapters.cablecast import CablecastClient, CablecastPlatform, CablecastProbe
from archivist.domain.policy import Circuit, Timeouts
from archivist.providers import http, policies
from archivist.testing.fake_cablecast import FakeCablecast, RunningFake, serve

USER, PASSWORD = "archivist", "secret"


@pytest.fixture
def cablecast() -> Iterator[RunningFake]:
    running = serve(FakeCablecast(hang_limit=10))
    yield running
    running.stop()


def make_client(url: str, timeout: float = 0.5, attempts: int = 3, deadline: float = 5.0,
                circuit: Circuit | None = None, user: str = USER,
                password: str = PASSWORD) -> CablecastClient:
    retry = policies.policy("cablecast", {"attempts": attempts, "backoff": 0.01,
                                          "max_backoff": 0.05, "deadline": deadline},
                            http.is_transient)
    return CablecastClient(http.session(url, user, password), url, Timeouts(timeout, timeout),
                           retry, deadline=deadline, circuit=circuit)


@pytest.fixture
def client(cablecast: RunningFake) -> CablecastClient:
    return make_client(cablecast.url)


@pytest.fixture
def platform(client: CablecastClient) -> CablecastPlatform:
    return CablecastPlatform(client, segment_size=64, poll_every=0.01, upload_wait=5)


def make_probe(url: str, timeout: float = 0.5, circuit: Circuit | None = None) -> CablecastProbe:
    return CablecastProbe(http.session(url, USER, PASSWORD), url, Timeouts(timeout, timeout),
                          circuit)


@pytest.fixture
def black_hole() -> Iterator[str]:
    """The URL of a port that accepts connections and never answers."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True, name="black-hole")
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    listener.close()


@pytest.fixture
def closed_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"

