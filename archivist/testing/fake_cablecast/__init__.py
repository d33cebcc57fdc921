"""A faithful fake of the Cablecast API, for tests, demos and trying the station setup.

    fake = FakeCablecast()                 # seeded shows, VODs, locations, file stores
    running = serve(fake)                  # on a real socket, in a thread: running.url
    fake.fault(status=500, times=2)        # or POST /_fake/faults {"status": 500, "times": 2}
    running.stop()

`main(port)` runs it in the foreground (`archivist fake-cablecast --port N`).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from archivist.testing.fake_cablecast.faults import Fault, Faults
from archivist.testing.fake_cablecast.state import State, seeded

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["FakeCablecast", "Fault", "RunningFake", "State", "main", "serve"]


class FakeCablecast:
    """The fake's state, faults and request log; `app()` is its WSGI app."""

    def __init__(self, state: State | None = None, hang_limit: float = 60.0) -> None:
        self.state = state if state is not None else seeded()
        self.faults = Faults(hang_limit)
        self.requests: list[tuple[str, str, Any]] = []   # (method, path?query, authorization)
        self._lock = threading.Lock()

    def app(self) -> Flask:
        from archivist.testing.fake_cablecast.api import create_app

        return create_app(self)

    def fault(self, **settings: Any) -> Fault:
        """Switch on a fault (see Fault for the settings); returns it."""
        fault = Fault(**settings)
        self.faults.add(fault)
        return fault

    def clear_faults(self) -> None:
        self.faults.clear()

    def log(self, method: str, path: str, authorization: Any) -> None:
        with self._lock:
            self.requests.append((method, path, authorization))

    def asked(self, method: str, path_part: str = "") -> list[str]:
        """The paths of the requests of `method` whose path contains `path_part`."""
        with self._lock:
            return [p for m, p, _ in self.requests
                    if m == method and path_part.lower() in p.lower()]


def __getattr__(name: str) -> Any:
    # serve/main/RunningFake live with the server; imported here on first use only.
    if name in ("serve", "main", "RunningFake"):
        from archivist.testing.fake_cablecast import server

        return getattr(server, name)
    raise AttributeError(name)
