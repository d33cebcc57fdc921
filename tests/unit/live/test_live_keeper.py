"""A live session's words are kept as search passages as they are sent, and after a restart."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from archivist.domain.live.kept import LiveKeeper
from archivist.domain.live.ports import KeptSession
from archivist.domain.search.passages import Passage

NAME = "20261205T010000Z"
AT = 1_780_000_000.0


class Events:
    """A session's events as its file holds them: one JSON line each, read from a byte offset."""

    def __init__(self) -> None:
        self.lines: list[bytes] = []

    def add(self, **event: Any) -> None:
        self.lines.append((json.dumps(event) + "\n").encode())

    def say(self, start: float, text: str) -> None:
        for i, word in enumerate(text.split()):
            self.add(kind="word", word=word, start=start + i * 0.4, end=start + i * 0.4 + 0.35,
                     sent=AT + start + i * 0.4 + 2)

    def session_names(self) -> list[str]:
        return [NAME]

    def session_events(self, name: str, offset: int) -> Iterator[tuple[int, dict[str, Any]]]:
        at = 0
        for line in self.lines:
            at += len(line)
            if at > offset:
                yield at, json.loads(line)


class Store:
    """The database as the keeper sees it: sessions, and their passages by start."""

    def __init__(self) -> None:
        self.sessions: dict[str, dict[str, Any]] = {}
        self.passages: dict[str, list[Passage]] = {}

    def kept(self, city: str, name: str) -> KeptSession | None:
        found = self.sessions.get(name)
        return KeptSession(found["offset"], found["ended"] is not None) if found else None

    def opened(self, city: str, name: str, source: str, started: dt.datetime) -> None:
        self.sessions.setdefault(name, {"offset": 0, "ended": None, "source": source,
                                        "started": started})
        self.passages.setdefault(name, [])

    def keep(self, city: str, name: str, passages: Sequence[Passage], replace_from: float | None,
             offset: int, last_word_at: dt.datetime | None, ended: dt.datetime | None) -> None:
        kept = self.passages[name]
        if replace_from is not None:
            kept[:] = [p for p in kept if p.start < replace_from - 0.005]
        kept.extend(passages)
        self.sessions[name].update(offset=offset, ended=ended)

    def text(self) -> str:
        return " ".join(p.text for p in self.passages[NAME])


def test_words_are_kept_as_they_come_and_the_open_passage_is_rewritten_not_repeated():
    events, store = Events(), Store()
    keeper = LiveKeeper("Riverton", events, store)
    events.add(kind="began", city="Riverton", source="udp://x", at=AT)
    events.say(1.0, "Good evening everyone.")
    assert keeper.keep(NAME)
    assert store.text() == "Good evening everyone."
    assert store.sessions[NAME]["started"] == dt.datetime.fromtimestamp(AT, dt.UTC)
    events.say(3.0, "The water main on Elm Street is approved.")
    events.say(9.0, "Next item is the library budget")
    assert keeper.keep(NAME)
    assert store.text() == ("Good evening everyone. The water main on Elm Street is approved. "
                            "Next item is the library budget")
    assert not keeper.keep(NAME)   # nothing new
    events.add(kind="ended", at=AT + 20)
    assert keeper.keep(NAME)
    assert store.sessions[NAME]["ended"] is not None
    assert store.text().count("water main") == 1


def test_a_keeper_started_over_resumes_where_the_last_one_stopped():
    events, store = Events(), Store()
    events.add(kind="began", city="Riverton", source="udp://x", at=AT)
    events.say(1.0, "Good evening everyone. The water main")
    LiveKeeper("Riverton", events, store).keep(NAME)
    events.say(5.0, "on Elm Street is approved.")
    events.add(kind="ended", at=AT + 20)
    assert LiveKeeper("Riverton", events, store).catch_up() == 1   # a new process
    assert store.text() == "Good evening everyone. The water main on Elm Street is approved."
    assert LiveKeeper("Riverton", events, store).catch_up() == 0   # ended and all kept


def test_a_session_not_begun_is_not_kept():
    events, store = Events(), Store()
    assert not LiveKeeper("Riverton", events, store).keep(NAME)
    assert store.sessions == {}


def test_a_killed_session_found_over_is_kept_as_ended_at_its_last_word():
    events, store = Events(), Store()
    events.add(kind="began", city="Riverton", source="udp://x", at=AT)
    events.say(1.0, "Good evening everyone. The water main")
    keeper = LiveKeeper("Riverton", events, store)
    keeper.keep(NAME)   # then the process was killed: no "ended"
    assert keeper.catch_up(finished_before=dt.datetime(2026, 12, 5, 0, 0, tzinfo=dt.UTC)) == 0
    assert store.sessions[NAME]["ended"] is None   # began after: maybe still running
    assert keeper.catch_up(finished_before=dt.datetime(2026, 12, 5, 2, 0, tzinfo=dt.UTC)) == 1
    assert store.sessions[NAME]["ended"] == dt.datetime.fromtimestamp(AT + 1.0 + 5 * 0.4 + 2, dt.UTC)
    assert store.text() == "Good evening everyone. The water main"


def test_a_killed_session_begun_in_the_same_second_as_the_one_before_is_found_over_too(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The second session begun in one second is `<UTC start>-2`: not read as a session's name,
    it would never be over, and one killed would never be kept as ended."""
    monkeypatch.setattr(sys.modules[__name__], "NAME", "20261205T010000Z-2")
    events, store = Events(), Store()
    events.add(kind="began", city="Riverton", source="udp://x", at=AT)
    events.say(1.0, "We are back.")
    keeper = LiveKeeper("Riverton", events, store)
    keeper.keep(NAME)
    assert keeper.catch_up(finished_before=dt.datetime(2026, 12, 5, 0, 0, tzinfo=dt.UTC)) == 0
    assert keeper.catch_up(finished_before=dt.datetime(2026, 12, 5, 2, 0, tzinfo=dt.UTC)) == 1
    assert store.sessions[NAME]["ended"] is not None
