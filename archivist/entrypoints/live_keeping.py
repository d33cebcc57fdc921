"""Keeping a running live session's transcript in the database, beside the session.

A thread of `live start`: every second it stores what the session sent since (domain/live/
kept.py), so search finds it at once; first it stores what earlier sessions of the city left
unkept (a process killed between two keeps). The database being away never stops the captions:
the keep is tried again a second later, and the words wait in the session's file meanwhile.
Nor does it hold up the session's end: a database that is failing, or has sat on a keep for
`HUNG` seconds, gets `HUNG_WAIT` more, and what is left unkept is stored by the city's next
`live start` or by `live supervise`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("archivist.live")

KEEP_EVERY = 1.0   # seconds between keeps: how soon a word said is found by search
HUNG = 1.0         # seconds a keep may take before the database counts as hanging
HUNG_WAIT = 0.5    # seconds the session's end then waits for the last keep


class TranscriptKeeping:
    """Runs a LiveKeeper for one city's session in a thread until stopped."""

    def __init__(self, city: str, keeper: Any, current: Callable[[], str | None],
                 every: float = KEEP_EVERY) -> None:
        self._city = city
        self._keeper = keeper
        self._current = current
        self._every = every
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"live-keeper-{city}", daemon=True)
        self._failing = False
        self._busy_since: float | None = None   # monotonic time the keep under way began

    def start(self) -> TranscriptKeeping:
        self._thread.start()
        return self

    def stop(self, wait: float = 10.0) -> None:
        """Keep what is left (the session has ended) and stop, waiting at most `wait` seconds
        for a database that answers, `HUNG_WAIT` for one that fails or hangs."""
        self._done.set()
        busy = self._busy_since
        hanging = busy is not None and time.monotonic() - busy >= HUNG
        self._thread.join(HUNG_WAIT if self._failing or hanging else wait)

    def _run(self) -> None:
        self._try(self._keeper.catch_up)
        while not self._done.wait(self._every):
            self._keep()
        self._keep()

    def _keep(self) -> None:
        name = self._current()
        if name is not None:
            self._try(lambda: self._keeper.keep(name))

    def _try(self, work: Callable[[], object]) -> None:
        self._busy_since = time.monotonic()
        try:
            work()
        except Exception as exc:   # a database away, or anything else: the captions go on
            if not self._failing:   # once per outage, not every second
                log.warning("live transcript not kept in the database; retrying",
                            extra={"city": self._city, "reason": str(exc) or type(exc).__name__})
            self._failing = True
        else:
            if self._failing:
                log.info("live transcript kept again", extra={"city": self._city})
            self._failing = False
        finally:
            self._busy_since = None


class Afterwards:
    """What `live supervise` does every few seconds once sessions have ended: store what killed
    sessions left unkept (of cities with no session running), and link sessions to the
    recordings that landed."""

    def __init__(self, cities: list[str], folder: Callable[..., Any], store: Any,
                 held: Callable[[str, str], Any]) -> None:
        from archivist.domain.live.kept import LiveKeeper

        self._folders = {city: folder(city=city) for city in cities}
        self._keepers = {city: LiveKeeper(city, f, store) for city, f in self._folders.items()}
        self._store = store
        self._held = held

    def __call__(self) -> int:
        """The number of sessions linked."""
        from archivist.domain.live.recording import link_landed

        if not self._folders:   # no city has live captions: nothing to keep or link
            return 0
        for city, folder in self._folders.items():
            # A running session keeps its own; with none running, every session that began
            # before now (less a second or two of clock) is over.
            idle = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=2)
            if folder.holder() is None:
                self._keepers[city].catch_up(finished_before=idle)
        return link_landed(self._store, self._held)
