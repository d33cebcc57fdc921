"""Lifecycle of gateways as dependency-injector Resources: built on first use, closed by the
container's `shutdown_resources()`, forgotten (never closed) in a child process after fork.

A gateway's Resource sits inside a ThreadSafeSingleton: dependency-injector's Resource does not
lock its first initialisation, and two request threads must not build two engines.
"""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from dependency_injector import containers, providers

log = logging.getLogger("archivist.lifecycle")
T = TypeVar("T")
Release = Callable[[T], None] | None

def gateway(build: Callable[..., T | None], close: Release[T], forget: Release[T],
            **settings: Any) -> Iterator[T | None]:
    """A Resource's initialiser: build the gateway, hand it out, close it at shutdown.

    `forget` is read from the Resource by `forget()` below, in a forked child.

    No try/finally around the yield on purpose: a generator dropped without being finished
    (a forked child forgetting its parent's gateway) must not close what the parent still uses.
    """
    instance = build(**settings)
    yield instance
    if instance is not None and close is not None:
        _release(close, instance, "close")


def _release(action: Callable[[T], None], instance: T, what: str) -> None:
    try:
        action(instance)
    except Exception as exc:  # one gateway failing to close must not keep the others open
        log.warning("gateway release failed", extra={
            "gateway": type(instance).__name__, "action": what,
            "error": " ".join(f"{type(exc).__name__}: {exc}".split())})


def shutdown(container: containers.Container) -> None:
    """Close every gateway the container built and reset its singletons: the next use builds anew."""
    container.shutdown_resources()
    container.reset_singletons()


def forget(container: containers.Container) -> None:
    """In a forked child: drop the parent's gateways without closing them, reset the singletons."""
    for resource in container.traverse(types=[providers.Resource]):
        if not resource.initialized:
            continue
        instance, action = resource(), resource.kwargs.get("forget")
        if instance is not None and action is not None:
            _release(action, instance, "forget")
        resource.reset_state()  # type: ignore[attr-defined]  # public, missing from the stubs
    container.reset_singletons()


class ForkedContainers:
    """Containers whose gateways a child process must forget after fork (no socket crosses it)."""

    def __init__(self) -> None:
        self._containers: weakref.WeakSet[containers.Container] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._hooked = False

    def add(self, container: containers.Container) -> None:
        with self._lock:
            self._containers.add(container)
            if not self._hooked:
                os.register_at_fork(after_in_child=self._after_fork)
                self._hooked = True

    def _after_fork(self) -> None:
        # Another (now vanished) thread of the parent may have held the lock.
        self._lock = threading.Lock()
        for container in list(self._containers):
            forget(container)
