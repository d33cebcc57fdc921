"""Keeping a live session's transcript in the database as it is sent, so search finds it at once.

The session writes its words to its own record (a file) as it sends them; the keeper reads
what is new there every second or so and stores it cut into passages, as a recording's
transcript is cut. The last passage may still grow, so it is written again each time until a
later one closes it: the database notes how far the events are kept (`offset`: up to the first
word of that open passage), and each keep replaces the passages from that word on. A keeper
that starts over (the process restarted) resumes from there and loses nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from archivist.domain.live.ports import LiveEvents, LiveTranscripts
from archivist.domain.models import Segment, Transcript, Word
from archivist.domain.search.passages import passages


class LiveKeeper:
    """Keeps one city's live sessions in the database, from their recorded events."""

    def __init__(self, city: str, events: LiveEvents, store: LiveTranscripts) -> None:
        self._city = city
        self._events = events
        self._store = store
        self._read: dict[str, int] = {}   # how far each session's events were read (bytes)
        self._done: set[str] = set()       # sessions ended and all kept: never read again

    def catch_up(self, finished_before: dt.datetime | None = None) -> int:
        """Keep whatever earlier sessions of the city left unkept (a killed process's last
        seconds); the number of sessions that had something new. Sessions that began before
        `finished_before` (a moment no session of the city was running) are over: one killed
        before it could say so is kept as ended at its last word, and not read again."""
        return sum(1 for name in self._events.session_names()
                   if self.keep(name, finished=_began(name) < finished_before
                                if finished_before else False))

    def keep(self, name: str, finished: bool = False) -> bool:
        """Store what is new in session `name` (`finished`: it is over, whether or not it said
        so); True when there was something."""
        if name in self._done:
            return False
        kept = self._store.kept(self._city, name)
        if kept is not None and kept.ended:
            self._done.add(name)
            return False
        offset = kept.offset if kept is not None else 0
        began: dict[str, Any] | None = None
        ended: dt.datetime | None = None
        words: list[Word] = []
        firsts: list[int] = []   # the byte offset each word's event starts at
        last_sent: float | None = None
        reached = offset
        for after, event in self._events.session_events(name, offset):
            kind = event.get("kind")
            if kind == "began":
                began = event
            elif kind == "word":
                words.append(Word(float(event["start"]), float(event["end"]), str(event["word"])))
                firsts.append(reached)
                last_sent = float(event.get("sent") or 0.0) or last_sent
            elif kind == "ended":
                ended = _utc(float(event["at"]))
            reached = after
        if finished and ended is None:   # killed: it ended with its last word
            at = last_sent or float((began or {}).get("at") or 0.0)
            ended = _utc(at) if at else dt.datetime.now(dt.UTC)
        if kept is None:
            if began is None:
                return False   # not begun yet (or not a session): nothing to keep
            self._store.opened(self._city, name, str(began.get("source", "")),
                               _utc(float(began.get("at") or 0.0)))
        if kept is not None and ended is None and reached == self._read.get(name):
            return False   # nothing new: the open passage stands as kept
        self._read[name] = reached
        if not words and ended is None:
            return kept is None
        cut = passages(Transcript((Segment(words[0].start, words[-1].end,
                                           " ".join(w.word.strip() for w in words), tuple(words)),),
                                  duration=words[-1].end)) if words else []
        closed_to = reached
        if ended is None and cut:
            # The last passage may still grow: its words are read again next time.
            opens_at = cut[-1].start - 0.01
            closed_to = next((firsts[i] for i, w in enumerate(words) if w.start >= opens_at),
                             reached)
        self._store.keep(self._city, name, cut,
                         replace_from=words[0].start if words else None, offset=closed_to,
                         last_word_at=_utc(last_sent) if last_sent else None, ended=ended)
        if ended is not None:
            self._done.add(name)
        return True


def _utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def _began(name: str) -> dt.datetime:
    """When a session began, from its name (its UTC start: 20261205T215642Z, and -2, -3 ...
    after it for the next sessions begun in that second)."""
    stamp, _, n = name.partition("-")
    if n and not n.isdigit():
        return dt.datetime.max.replace(tzinfo=dt.UTC)
    try:
        return dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return dt.datetime.max.replace(tzinfo=dt.UTC)   # not a session's name: never over
