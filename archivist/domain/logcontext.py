"""What every log line says about the work in hand, and what no log line may say.

A job run binds its job id, city and recording; a gateway call binds the gateway's name. Every
record logged inside the block carries them (the log handler set up in providers/logs.py reads
them). Secrets met at run time (a new API token, a staff password) are kept here so that the
handler can blank them out of any line.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any

_fields: ContextVar[Mapping[str, Any]] = ContextVar("archivist_log_fields",
                                                     default=MappingProxyType({}))
_secrets: set[str] = set()
_lock = threading.Lock()


@contextmanager
def bound(**fields: Any) -> Iterator[None]:
    """Within the block, every log record carries these fields (None ones are left out)."""
    token = _fields.set({**_fields.get(), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        _fields.reset(token)


def fields() -> Mapping[str, Any]:
    """The fields bound here and now."""
    return _fields.get()


def keep_secret(value: str | None) -> None:
    """Never let `value` appear in a log line of this process."""
    if value:
        with _lock:
            _secrets.add(value)


def secrets() -> frozenset[str]:
    """The secrets met at run time so far."""
    with _lock:
        return frozenset(_secrets)
