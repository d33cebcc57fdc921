"""Lifecycle of gateways: remember what was built so it can be closed, or forgotten in a child
process after fork (no socket crosses a fork)."""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("archivist.lifecycle")
Release = Callable[[Any], None] | None


@dataclass(frozen=True, slots=True)
class _Entry:
    instance: Any
    close: Release
    forget: Release


class Built:
    """The gateways one container has built, in the order they were built."""

    def __init__(self) -> None:
        self._entries: list[_Entry] = []
        self._lock = threading.Lock()

    def gateway(self, build: Callable[..., Any], close: Release, forget: Release, **kwargs: Any) -> Any:
        """Build a gateway and remember how to release it (the provider calls this once)."""
        instance = build(**kwargs)
        if instance is not None:
            with self._lock:
                self._entries.append(_Entry(instance, close, forget))
        return instance

    def release(self, closing: bool) -> None:
        """Close (or, in a forked child, forget) everything built, newest first."""
        if not closing:
            # In a forked child another (now vanished) thread may have held the lock.
            self._lock = threading.Lock()
        with self._lock:
            entries, self._entries = self._entries, []
        for entry in reversed(entries):
            action = entry.close if closing else entry.forget
            if action is None:
                continue
            try:
                action(entry.instance)
            except Exception as exc:  # one gateway failing to close must not keep the others open
                log.warning("gateway release failed", extra={
                    "gateway": type(entry.instance).__name__,
                    "action": "close" if closing else "forget",
                    "error": " ".join(f"{type(exc).__name__}: {exc}".split())})


def gateway(built: Built, build: Callable[..., Any], close: Release, forget: Release, **kwargs: Any) -> Any:
    """Provider entry: build a gateway through a container's `Built` registry."""
    return built.gateway(build, close, forget, **kwargs)


def release(container: Any, closing: bool) -> None:
    """Close (or, in a forked child, forget) a container's gateways and reset its singletons."""
    from dependency_injector import providers

    container.built().release(closing)
    for provider in container.traverse(types=[providers.Singleton, providers.ThreadSafeSingleton]):
        if provider is not container.built:
            provider.reset()


class ForkedContainers:
    """Containers that must re-initialise their gateways in a child process after fork."""

    def __init__(self) -> None:
        self._containers: weakref.WeakSet[Any] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._hooked = False

    def add(self, container: Any) -> None:
        with self._lock:
            self._containers.add(container)
            if not self._hooked:
                os.register_at_fork(after_in_child=self._after_fork)
                self._hooked = True

    def _after_fork(self) -> None:
        for container in list(self._containers):
            release(container, closing=False)
