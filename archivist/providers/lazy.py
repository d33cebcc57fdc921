"""Deferred imports for the container: name a class or function now, import it on first use.

The container lists every adapter and service, but a web process that only answers /health
must not pay for importing the caption writers or the SQL tables. `lazy("pkg.mod:Name")` is a
callable that imports `pkg.mod` the first time a provider calls it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy(target: str) -> Callable[..., Any]:
    """A stand-in for `module:attribute` that imports it when first called."""
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"lazy target must be 'module:attribute', got {target!r}")
    resolved: list[Callable[..., Any]] = []

    def call(*args: Any, **kwargs: Any) -> Any:
        if not resolved:
            target_obj: Any = importlib.import_module(module_name)
            for name in attribute.split("."):  # "Class.method" reaches a classmethod
                target_obj = getattr(target_obj, name)
            resolved.append(target_obj)
        return resolved[0](*args, **kwargs)

    call.__name__ = call.__qualname__ = f"lazy[{target}]"
    call.__doc__ = f"Imports and calls {target}."
    return call
