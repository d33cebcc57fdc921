"""A worker's stop, as every process of it sees it.

SIGTERM, to the worker's main process or to its whole process group (systemd's default),
asks the running transcriptions to hand their jobs back (checkpointed, re-queued) instead of
finishing them, and the worker is gone within `worker.stop_timeout` whatever happens:

- a pool child ignores SIGTERM until it runs a job (billiard's own handler would make an idle
  child exit while it holds the pool's queue lock: the main process then waited for ever), and
  while it runs one, SIGTERM only marks the stop (`requested()`), which the job sees;
- the main process, on Celery's warm shutdown, passes the stop on to its children (SIGTERM sent
  to the main process alone reaches them too) and arms a deadline that kills what is left.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger("archivist.worker")
_requested = threading.Event()
_pool_child = [False]
_armed = threading.Lock()
# What is left for the main process to exit once the children are gone.
_MARGIN = 3.0


def requested() -> bool:
    """Has this process been asked to stop?"""
    return _requested.is_set()


def request(*_: Any) -> None:
    _requested.set()


def child_started() -> None:
    """In a pool child, when it starts: ignore SIGTERM (billiard keeps an ignored signal)."""
    _pool_child[0] = True
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def job_started() -> None:
    """In a pool child, as it takes a job: SIGTERM from now on asks the job to hand back.
    (A solo or threads pool runs jobs in the main process, whose SIGTERM is Celery's warm
    shutdown: `main_stopping` marks the stop there.)"""
    if _pool_child[0] and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, request)


def children() -> list[int]:
    """This process's children (Linux)."""
    found: list[int] = []
    for task in Path(f"/proc/{os.getpid()}/task").glob("*"):
        try:
            found += [int(pid) for pid in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def main_stopping(timeout: float) -> None:
    """In the main process, on warm shutdown: pass the stop to the children and make sure this
    process is gone within `timeout` seconds."""
    request()
    for pid in children():
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    if not _armed.acquire(blocking=False):
        return   # armed already (a second SIGTERM)
    threading.Thread(target=_deadline, args=(timeout,), daemon=True,
                     name="stop-deadline").start()


def _deadline(timeout: float) -> None:
    threading.Event().wait(max(0.5, timeout - _MARGIN))
    left = children()
    log.warning("stop timeout: killing what is left", extra={"seconds": timeout,
                                                             "children": left})
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    threading.Event().wait(_MARGIN / 2)
    os._exit(1)
