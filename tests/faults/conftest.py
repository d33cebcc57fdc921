"""Fixtures for fault tests: real network stand-ins (see tests/servers.py)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from tests import servers
from tests.servers import BlackHole, FakeCablecast


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    with servers.black_hole() as hole:
        yield hole


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on: connecting is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def fake_cablecast() -> Iterator[FakeCablecast]:
    fake = FakeCablecast()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True, name="fake-cablecast")
    thread.start()
    yield fake
    fake.release.set()  # free handlers that were told to hang
    fake.server.shutdown()
    fake.server.server_close()
    thread.join(2)
