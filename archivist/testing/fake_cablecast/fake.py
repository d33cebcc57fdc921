"""The fake's state, faults and the requests it was sent."""

from __future__ import annotations

import threading
from typing import Any

from archivist.testing.fake_cablecast.faults import Fault, Faults
from archivist.testing.fake_cablecast.state import State, seeded


class FakeCablecast:
    """The fake's state, faults and request log (api.create_app(fake) is its WSGI app)."""

    def __init__(self, state: State | None = None, hang_limit: float = 60.0) -> None:
        self.state = state if state is not None else seeded()
        self.faults = Faults(hang_limit)
        self.requests: list[tuple[str, str, Any]] = []   # (method, path?query, authorization)
        self._lock = threading.Lock()

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
