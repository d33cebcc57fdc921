"""Every web request answers within `web.deadline` whatever the backends do.

Pages run each backend call under the deadline (domain/deadline.py) and stop waiting for it,
saying what is down; the API and /health are bounded whole (see bounded_view). At most
`web.waiting_per_gateway` calls wait on one gateway at once: past that a request is refused
at once (503 with Retry-After), so a burst against a hung database never takes the threads
that pages and /metrics need.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import Flask, current_app, g, request
from flask.globals import request_ctx

from archivist.domain.deadline import Gate, Pending
from archivist.domain.errors import ArchivistError, GatewayUnavailable

T = TypeVar("T")
RETRY_AFTER = 5   # seconds a client is asked to wait before trying a refused request again


class Limits:
    """The web tier's bounds, from `web.deadline` and `web.waiting_per_gateway`: one Gate per
    gateway, made when first asked for. A change may also send a ticket to the queue, which
    has its own bound (`worker.enqueue_timeout`): a change waits for both."""

    def __init__(self, seconds: float, per_gateway: int, enqueue_seconds: float = 0.0,
                 work_seconds: float = 30.0) -> None:
        self.seconds, self.per_gateway = seconds, per_gateway
        self.change_seconds = seconds + enqueue_seconds
        # A change that does real work while a person waits (logging in hashes a password;
        # saving a correction renders every caption file): CPU, not a backend's silence, so
        # on a station busy transcribing it must not be cut off at the page deadline. The
        # gateway's gate still bounds how many such requests can wait at once.
        self.work_seconds = max(work_seconds, self.change_seconds)
        self._gates: dict[str, Gate] = {}
        self._lock = threading.Lock()

    def gate(self, name: str) -> Gate:
        with self._lock:
            if name not in self._gates:
                self._gates[name] = Gate(name, self.per_gateway)
            return self._gates[name]


def register(app: Flask, limits: Limits) -> None:
    app.extensions["archivist.limits"] = limits


def limits() -> Limits:
    found: Limits = current_app.extensions["archivist.limits"]
    return found


def page_seconds() -> float:
    return limits().seconds


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """A backend's answer, or why there is none."""

    value: T | None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def gather(calls: dict[str, tuple[str, Callable[[], Any]]],
           seconds: float | None = None) -> dict[str, Outcome[Any]]:
    """Run each call (named: (the gateway it asks, function)) at once; wait `seconds` in all
    (default: web.deadline)."""
    bounds = limits()
    seconds = bounds.seconds if seconds is None else seconds
    until = time.monotonic() + seconds
    started: dict[str, Pending[Any] | str] = {}
    for key, (what, fn) in calls.items():
        try:
            started[key] = Pending(fn, name=f"page-{what}", gate=bounds.gate(what))
        except GatewayUnavailable as exc:   # that gateway already has its fill of stuck calls
            started[key] = f"{what}: {exc.reason}"
    return {key: _outcome(started[key], calls[key][0], seconds, until) for key in calls}


def one(what: str, fn: Callable[[], T], seconds: float | None = None) -> Outcome[T]:
    return gather({"it": (what, fn)}, seconds)["it"]


def _outcome(pending: Pending[Any] | str, what: str, seconds: float, until: float) -> Outcome[Any]:
    if isinstance(pending, str):
        return Outcome(None, pending)
    if not pending.wait(until):
        pending.late()
        return Outcome(None, f"{what}: no answer within {seconds:g}s")
    try:
        return Outcome(pending.result())
    except GatewayUnavailable as exc:
        return Outcome(None, str(exc))
    except ArchivistError as exc:
        return Outcome(None, f"{what}: {exc}")


def bounded_view(view: Callable[..., Any], gateway: str, work: bool = False,
                 work_reads: bool = False) -> Callable[..., Any]:
    """`view` run under web.deadline in a thread of its own, with this request's context;
    late, or with `gateway` already full of waiters, it is a 503 with Retry-After. A `work`
    view's changes (and, with `work_reads`, its reads too) get `web.work_deadline` instead:
    a plain read, such as the job list, stays under the page deadline."""
    @functools.wraps(view)
    def run(*args: Any, **kwargs: Any) -> Any:
        context, globals_ = request_ctx.copy(), dict(vars(g))

        def call() -> tuple[Any, dict[str, Any]]:
            with context:
                vars(g).update(globals_)   # what the guard learnt (who is asking)
                answer = current_app.ensure_sync(view)(*args, **kwargs)
                return answer, dict(vars(g))   # and what the view noted (for the audit log)
        bounds = limits()
        reading = request.method in ("GET", "HEAD")
        if work and (work_reads or not reading):
            seconds = bounds.work_seconds
        else:
            seconds = bounds.seconds if reading else bounds.change_seconds
        answer, noted = bounded_call(gateway, call, seconds)
        vars(g).update(noted)
        return answer
    return run


def bounded_call(gateway: str, fn: Callable[[], T], seconds: float | None = None) -> T:
    """`fn()` under web.deadline (or `seconds`) and the gateway's gate: its value or
    exception, or GatewayUnavailable (a 503 with Retry-After) when late or the gateway is full."""
    bounds = limits()
    seconds = bounds.seconds if seconds is None else seconds
    pending = Pending(fn, name=f"request-{gateway}", gate=bounds.gate(gateway))
    if not pending.wait(time.monotonic() + seconds):
        pending.late()
        raise GatewayUnavailable(gateway, f"no answer within {seconds:g}s")
    return pending.result()
