"""Running the fake Cablecast on a real socket: in a thread for tests, or in the foreground."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from archivist.testing.fake_cablecast.fake import FakeCablecast


@dataclass
class RunningFake:
    """A fake serving on 127.0.0.1; `url` is its server address (no API root)."""

    fake: FakeCablecast
    url: str
    _server: Any
    _thread: threading.Thread

    def stop(self) -> None:
        self.fake.faults.clear()          # free requests that were told to hang
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def serve(fake: FakeCablecast | None = None, host: str = "127.0.0.1", port: int = 0) -> RunningFake:
    """Start the fake on a socket (port 0: any free one) in a daemon thread."""
    from werkzeug.serving import make_server

    from archivist.testing.fake_cablecast.api import create_app

    fake = fake if fake is not None else FakeCablecast()
    server = make_server(host, port, create_app(fake), threaded=True)
    server.daemon_threads = True  # type: ignore[attr-defined]  # a threaded server has it
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True, name="fake-cablecast")
    thread.start()
    return RunningFake(fake, f"http://{host}:{server.server_port}", server, thread)


def main(port: int = 8765, host: str = "127.0.0.1") -> None:
    """Serve a seeded fake Cablecast until interrupted (user archivist, password secret)."""
    from werkzeug.serving import make_server

    from archivist.testing.fake_cablecast.api import create_app

    fake = FakeCablecast()
    server = make_server(host, port, create_app(fake), threaded=True)
    print(f"fake Cablecast on http://{host}:{server.server_port}/cablecastapi/v1 "
          "(Basic auth: archivist / secret; faults: POST /_fake/faults)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
