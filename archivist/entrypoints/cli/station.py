"""What makes `archivist serve` a whole station on one box: a signing key kept in the data
dir, and a worker with the schedule running beside the web server and stopping with it."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from archivist.adapters.live.children import dying_with_us

log = logging.getLogger("archivist.serve")
STOP_SECONDS = 20   # a worker's warm shutdown: the job in hand goes back to the queue


def station_secret(data_dir: str) -> str:
    """The key that signs sessions when none is configured: made once, kept in the data dir
    (readable by this user only), so logins survive a restart."""
    path = Path(data_dir) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key)
    return key


@contextlib.contextmanager
def embedded_worker(config_path: str | None, wanted: bool) -> Iterator[subprocess.Popen[Any] | None]:
    """`archivist worker --beat` as a child of this process while the block runs.

    The child dies with us even if we are killed outright (the kernel sends it SIGTERM);
    SIGTERM to us stops the server, then the worker, in that order.
    """
    if not wanted:
        yield None
        return
    command = [sys.executable, "-m", "archivist.entrypoints.cli",
               *(["--config", config_path] if config_path else []),
               "worker", "--beat", "--without-gossip", "--without-mingle"]
    child = subprocess.Popen(command, preexec_fn=dying_with_us(signal.SIGTERM))
    click.echo(f"archivist serve: embedded worker and schedule running (pid {child.pid}); "
               "no Redis is configured, so jobs run on this machine", err=True)
    previous = signal.signal(signal.SIGTERM, _stop_serving)
    try:
        yield child
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop(child)


def _stop_serving(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt   # waitress stops serving on it; then the worker is stopped


def _stop(child: subprocess.Popen[Any]) -> None:
    if child.poll() is not None:
        return
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        log.warning("killing the embedded worker: it did not stop in time",
                    extra={"pid": child.pid, "seconds": STOP_SECONDS})
        child.kill()
        child.wait(timeout=10)
