"""What a live session reaches through: the sound, the recognizer, the encoder, its record,
and where its transcript is kept for search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from archivist.domain.models import Word
from archivist.domain.search.passages import Passage


class LiveSource(Protocol):
    """The sound of a live input as 16 kHz mono 16-bit little-endian PCM."""

    def read(self, wait: float) -> bytes:
        """What has arrived, waiting at most `wait` seconds; b"" when nothing did. A source
        may also say when each part of it arrived (`arrivals`: (bytes from its start, clock
        time by which they had), in order): it may have waited to be read while a decode ran,
        and a word's latency counts that wait; without it, the sound arrived as it was read."""

    @property
    def ended(self) -> bool:
        """Has the input ended for good (a file played to its end) and all of it been read?"""

    @property
    def problem(self) -> str | None:
        """What the input last said went wrong (e.g. "no-such-host: Name or service not
        known"), while it sends nothing; None once it sends again."""

    @property
    def first_timestamp(self) -> float | None:
        """The input's own first timestamp in seconds (an MPEG-TS stream's first PTS) since it
        was last opened, which the first sound read since carries; None when its format has
        none or it has not said yet."""

    def restart(self) -> bool:
        """Open the input again, as it stopped sending, unless its opening still listens (a
        stream that begins while one probes would lose its first seconds to a new one). True
        if it was opened again."""

    def close(self) -> None:
        """Stop reading; returns within a few seconds."""


class LiveRecognizer(Protocol):
    """Hears a growing buffer of sound and decodes it whole; times are stream seconds."""

    @property
    def start(self) -> float:
        """Stream time of the buffer's first sample."""

    @property
    def end(self) -> float:
        """Stream time just after the buffer's last sample."""

    def hear(self, pcm: bytes) -> None:
        """Add sound at the end of the buffer."""

    def speech(self, last_seconds: float) -> bool:
        """Does the end of the buffer (its last `last_seconds`) hold speech?"""

    def pause_within(self, seconds: float, since: float) -> tuple[float, float] | None:
        """The last stretch of at least `seconds` without speech after stream time `since`
        that speech follows in the buffer, as (end of the speech before it, start of the
        speech after it); None if none."""

    def pauses_within(self, seconds: float, since: float) -> list[tuple[float, float]]:
        """Each such stretch after `since`, oldest first (as `pause_within` gives the last)."""

    def decode(self, prompt: str, final: bool = False) -> list[Word]:
        """The words the buffer holds, `prompt` being what was said before it (`final`: they
        are sent as they stand, with no later decode to agree with)."""

    def sound(self, start: float, end: float) -> bytes:
        """The buffer's sound from stream time `start` to `end` (what of it the buffer still
        holds), as the PCM it heard."""

    def forget(self, until: float) -> None:
        """Drop the sound before `until`."""

    def restart(self, at: float) -> None:
        """Empty the buffer; the next sound heard begins at stream time `at`."""


class Voices(Protocol):
    """Tells voices apart (live.speaker_changes): a stretch of speech summed up as a voice,
    and whether two voices differ."""

    @property
    def reach(self) -> float:
        """Seconds of words either side of a pause that stand for each voice."""

    def voice(self, sound: Sequence[bytes]) -> Any:
        """The voice heard in these stretches of PCM (the words' own sound): a summary of a
        size bounded by `reach`, whatever the sound."""

    def differ(self, before: Any, after: Any) -> bool:
        """Are these two voices (from `voice`) different speakers? False when either is too
        short to tell."""


class CaptionEncoder(Protocol):
    """A caption encoder taking roll-up text as it is said."""

    @property
    def up(self) -> bool:
        """Is it connected?"""

    @property
    def problem(self) -> str | None:
        """Why it is down (e.g. "encoder.lan:23: Connection refused"); kept once it is up again
        (only replaced by the next reason), so a reason read just after `up` said down is its own."""

    def send(self, text: str, said_ago: float) -> None:
        """Queue `text` (words, spaces, and a carriage return to start a row), its words said
        `said_ago` seconds before; never blocks. Text left unsent (the encoder down) is dropped
        once said too long ago to help."""

    def close(self, wait: float) -> None:
        """End the captions and hang up, waiting at most `wait` seconds."""


class LiveRecord(Protocol):
    """Where a session keeps what it sent, so the web, `live status` and a restart see it."""

    def began(self, source: str) -> None:
        """A session began, reading `source`."""

    def sent(self, words: Sequence[tuple[Word, float, float]]) -> None:
        """Words sent: (word, wall-clock time it left, seconds since it was said)."""

    def rows(self, rows: Sequence[Any]) -> None:
        """Caption rows finished (domain.live.rollup.Row)."""

    def gap(self, start: float, end: float, wall: float) -> None:
        """The source was silent from `start` to `end` (stream seconds)."""

    def status(self, status: Mapping[str, Any]) -> None:
        """The session's state now (`state`: waiting for its source's first sound, running,
        ended)."""

    def stop_requested(self) -> bool:
        """Has someone asked this session to stop?"""

    def ended(self) -> None:
        """The session ended; what it kept stays."""


class LiveEvents(Protocol):
    """A city's sessions as they were recorded, event by event (the LiveRecord's own file)."""

    def session_names(self) -> list[str]:
        """Every session of the city, oldest first (named by their UTC start)."""

    def session_events(self, name: str, offset: int) -> Iterator[tuple[int, dict[str, Any]]]:
        """The session's whole events from byte `offset`: (offset after it, event)."""


@dataclass(frozen=True, slots=True)
class KeptSession:
    """How much of a session the database holds."""

    offset: int      # bytes of its events whose words are in closed passages
    ended: bool      # its end was read: all of it is kept


class LiveTranscripts(Protocol):
    """Where live sessions' transcripts are kept for search (the database)."""

    def kept(self, city: str, name: str) -> KeptSession | None:
        """How much of the session is kept; None when nothing is."""

    def opened(self, city: str, name: str, source: str, started: dt.datetime) -> None:
        """Keep a session that began (a second call changes nothing)."""

    def keep(self, city: str, name: str, passages: Sequence[Passage], replace_from: float | None,
             offset: int, last_word_at: dt.datetime | None, ended: dt.datetime | None) -> None:
        """In one transaction: replace the session's passages from `replace_from` (seconds) on
        with `passages` (None: replace none), and note how far its events are kept."""
