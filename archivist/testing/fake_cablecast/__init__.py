"""A faithful fake of the Cablecast API, for tests, demos and trying the station setup.

    fake = FakeCablecast()                 # seeded shows, VODs, locations, file stores
    running = serve(fake)                  # on a real socket, in a thread: running.url
    fake.fault(status=500, times=2)        # or POST /_fake/faults {"status": 500, "times": 2}
    running.stop()

`main(port)` runs it in the foreground (`archivist fake-cablecast --port N`).
"""

from __future__ import annotations

from typing import Any

from archivist.testing.fake_cablecast.fake import FakeCablecast
from archivist.testing.fake_cablecast.faults import Fault
from archivist.testing.fake_cablecast.state import State

__all__ = ["FakeCablecast", "Fault", "RunningFake", "State", "main", "serve"]


def __getattr__(name: str) -> Any:
    # serve/main/RunningFake live with the server; imported here on first use only.
    if name in ("serve", "main", "RunningFake"):
        from archivist.testing.fake_cablecast import server

        return getattr(server, name)
    raise AttributeError(name)
