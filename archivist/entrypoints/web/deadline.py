"""Pages answer within about a second whatever the backends do: each backend call runs in a
worker thread and the page stops waiting for it after PAGE_SECONDS, saying what is down.

A call that is still waiting (a hung mount, a database that never answers) finishes or
fails in its thread later; the page has already been sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from archivist.domain.errors import ArchivistError, GatewayUnavailable

T = TypeVar("T")
PAGE_SECONDS = 0.8
_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """A backend's answer, or why there is none."""

    value: T | None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:   # first page, never at import
            _pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="page-backend")
        return _pool


def gather(calls: dict[str, tuple[str, Callable[[], Any]]],
           seconds: float = PAGE_SECONDS) -> dict[str, Outcome[Any]]:
    """Run each call (named: (what it asks, function)) at once; wait at most `seconds` in all."""
    futures: dict[str, Future[Any]] = {key: _executor().submit(fn) for key, (_, fn) in calls.items()}
    wait(futures.values(), timeout=seconds)
    return {key: _outcome(futures[key], calls[key][0], seconds) for key in calls}


def one(what: str, fn: Callable[[], T], seconds: float = PAGE_SECONDS) -> Outcome[T]:
    return gather({"it": (what, fn)}, seconds)["it"]


class Late(Exception):
    """A call that did not answer in time (it goes on in its thread)."""


def within(what: str, fn: Callable[[], T], seconds: float) -> T:
    """`fn()`'s result or exception, or Late once `seconds` have passed."""
    future = _executor().submit(fn)
    wait([future], timeout=seconds)
    if not future.done():
        raise Late(f"{what}: no answer within {seconds:g}s")
    return future.result()


def _outcome(future: Future[Any], what: str, seconds: float) -> Outcome[Any]:
    if not future.done():
        return Outcome(None, f"{what}: no answer within {seconds:g}s")
    error = future.exception()
    if error is None:
        return Outcome(future.result())
    if isinstance(error, GatewayUnavailable):
        return Outcome(None, str(error))
    if isinstance(error, ArchivistError):
        return Outcome(None, f"{what}: {error}")
    raise error
