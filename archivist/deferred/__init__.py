"""The container's targets, imported when a provider first calls them.

Building the container must not import what it builds: the web process would pay for SQLAlchemy's
tables, the caption writers, prometheus-client, faster-whisper, ffmpeg's and Redis's adapters and
the domain services behind them before it serves anything (bench/startup.py measures it). So
`containers.py` names its targets through typed loaders (`adapters`, `domain`): mypy follows the
import inside each one and gives the stand-in the target's own signature, so a typo or a changed
constructor fails `scripts/lint`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

# Every loader, so a test can check they all import (mypy checks the names already).
LOADERS: list[Callable[[], object]] = []


def on_first_call(load: Callable[[], Callable[P, T]]) -> Callable[P, T]:
    """A stand-in with the signature of what `load` returns; `load` runs on the first call."""
    loaded: list[Callable[P, T]] = []

    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        if not loaded:  # two threads may both import; the import system makes that harmless
            loaded.append(load())
        return loaded[0](*args, **kwargs)

    call.__name__ = call.__qualname__ = load.__name__
    call.__doc__ = load.__doc__
    LOADERS.append(load)
    return call
