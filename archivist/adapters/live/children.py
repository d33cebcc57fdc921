"""Child processes that die with the process that started them (Linux PR_SET_PDEATHSIG): a live
session's ffmpeg, and the processes `serve` and the live supervisor start beside them.

A worker started beside `serve`, a `live start` beside the worker, ffmpeg under a live session:
each would go on as an orphan when its parent is killed (kill -9, out of memory), holding the
queue's job, an SRT listener's port, the model's memory. The kernel sends the child `signal`
when the thread that started it ends: start such children from the thread that lives as long
as they should (each caller's main loop does).
"""

from __future__ import annotations

import ctypes
import functools
import os
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def dying_with_us(signal: int) -> Callable[[], None] | None:
    """A `preexec_fn` for subprocess.Popen that has the child sent `signal` when this process
    dies; None where there is no prctl (the child then simply outlives us, as before).

    libc's prctl is looked up here, in the parent: the forked child of a threaded process must
    not load libraries (a lock another thread held at the fork is never let go there)."""
    try:
        prctl = _prctl()
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def die_with_parent() -> None:
        prctl(_PR_SET_PDEATHSIG, signal)
        if os.getppid() != parent:   # the parent died between the fork and the prctl
            os._exit(1)

    return die_with_parent


@functools.cache
def _prctl() -> Callable[..., int]:
    return ctypes.CDLL("libc.so.6", use_errno=True).prctl
