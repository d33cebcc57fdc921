"""Giving memory freed by long decodes back to the system."""

from __future__ import annotations


def return_freed_memory() -> None:
    """Give the memory freed since the last call back to the system.

    glibc keeps freed blocks in its per-thread arenas; over hours of decoding by several
    threads they fragment, and the process grows with the recording's length.
    """
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
        pass
