"""Multiprocess mode for a Celery prefork worker: each process writes its series to files in
one directory, and the worker's metrics port reads them all.

prometheus-client chooses the mode when it is first imported, from PROMETHEUS_MULTIPROC_DIR,
so `use_directory` must run before anything imports it; this module imports it only inside
its functions.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import sys
from pathlib import Path
from typing import Any

ENV = "PROMETHEUS_MULTIPROC_DIR"
log = logging.getLogger("archivist.metrics")


def use_directory(data_dir: str | Path) -> Path:
    """Make this worker's metrics directory under `data_dir`, empty, and point the client at it.

    One directory per worker (host and pid), so workers sharing a data dir never wipe each
    other's; those of this host's workers that are gone are removed on the way.
    """
    if "prometheus_client" in sys.modules and not os.environ.get(ENV):
        log.warning("metrics in this process only", extra={
            "reason": "prometheus_client was imported before its directory was set"})
    base = Path(data_dir) / "metrics"
    host = socket.gethostname()
    if base.is_dir():
        for old in base.glob(f"{host}-*"):
            pid = old.name.rpartition("-")[2]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(old, ignore_errors=True)
    directory = base / f"{host}-{os.getpid()}"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ[ENV] = str(directory)
    return directory


def mark_dead(pid: int) -> None:
    """A worker child ended: its live gauges stop counting (its counters stay summed)."""
    if not os.environ.get(ENV):
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid)


def serve(registry: Any, host: str, port: int) -> Any:
    """Serve `registry` on http://host:port/metrics in a daemon thread; the server, or None
    (with a warning) when the port cannot be had: a worker without metrics still works."""
    from prometheus_client import start_http_server

    try:
        server, _ = start_http_server(port, addr=host, registry=registry)
    except OSError as exc:
        log.warning("metrics port unavailable", extra={"host": host, "port": port,
                                                       "reason": exc.strerror or str(exc)})
        return None
    log.info("serving metrics", extra={"host": host, "port": port})
    return server


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
