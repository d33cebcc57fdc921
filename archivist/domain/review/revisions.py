"""Transcript revisions: revision 1 is the machine's, every save by a person makes the next
one, and a save must name the revision it was made from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from archivist.domain.errors import ArchivistError, Conflict
from archivist.domain.models import Segment, Transcript, Word
from archivist.domain.review.retime import Heard, retimed

MACHINE = "machine"
MAX_NOTE = 500


@dataclass(frozen=True, slots=True)
class Revision:
    """One version of a recording's transcript, who made it and when (`transcript` is None in
    a listing)."""

    recording_id: int
    number: int
    author: str
    created_at: datetime
    note: str = ""
    restored_from: int | None = None
    words: int = 0
    transcript: Transcript | None = None

    def summary(self) -> dict[str, object]:
        return {"revision": self.number, "author": self.author,
                "created_at": self.created_at.isoformat().replace("+00:00", "Z"),
                "note": self.note or None, "restored_from": self.restored_from,
                "words": self.words}


class InvalidEdit(ArchivistError):
    """An edited transcript that cannot be a transcript (lines out of order, empty, ...)."""


class StaleRevision(Conflict):
    """A save made from a revision that is no longer the current one."""

    def __init__(self, recording_id: int, base: int, current: int,
                 changed: Sequence[Revision] = ()) -> None:
        who = ", ".join(f"{r.number} by {r.author}" for r in changed)
        super().__init__(f"recording {recording_id}: this edit was made from revision {base}, "
                         f"but revision {current} is current"
                         + (f" (since then: {who})" if who else ""))
        self.base = base
        self.current = current
        self.changed = tuple(changed)


@dataclass(frozen=True, slots=True)
class EditedLine:
    """A line as the editor sends it; `words` only when it kept them in step with the text."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] | None = None


def word_count(transcript: Transcript) -> int:
    return sum(len(s.text.split()) for s in transcript.segments)


def edited(current: Transcript, lines: Sequence[EditedLine]) -> Transcript:
    """The transcript `lines` make from `current`: words kept keep their times, the others get
    times inside their line. Raises InvalidEdit for lines that cannot be a transcript."""
    check(lines)
    heard = Heard(current.segments)
    segments = []
    for line in lines:
        text = " ".join(line.text.split())
        words = line.words if line.words is not None and _agree(line.words, text) else None
        if words is None:
            words = retimed(line.start, line.end, text, heard.between(line.start, line.end))
        else:
            words = retimed(line.start, line.end, text, words)   # clamps them into the line
        segments.append(Segment(line.start, line.end, text, words))
    duration = max(current.duration, segments[-1].end if segments else 0.0)
    return replace(current, segments=tuple(segments), duration=duration)


def check(lines: Sequence[EditedLine]) -> None:
    """Refuse lines out of order, without time, or without text, saying which."""
    if not lines:
        raise InvalidEdit("segments: a transcript needs at least one line")
    previous = 0.0
    for i, line in enumerate(lines):
        where = f"segments[{i}]"
        if not line.text.strip():
            raise InvalidEdit(f"{where}.text: a line needs some text")
        if not (0 <= line.start < line.end):
            raise InvalidEdit(f"{where}: needs 0 <= start < end, got start {line.start} "
                              f"and end {line.end}")
        if line.start < previous - 1e-6:
            raise InvalidEdit(f"{where}: starts at {line.start}, before the line before it "
                              f"starts ({previous})")
        previous = line.start


def same_lines(a: Transcript, b: Transcript) -> bool:
    """True when two transcripts say the same words in the same lines at the same times."""
    def key(t: Transcript) -> list[tuple[float, float, str]]:
        return [(round(s.start, 3), round(s.end, 3), " ".join(s.text.split()))
                for s in t.segments]
    return key(a) == key(b)


def _agree(words: Sequence[Word], text: str) -> bool:
    return [p for w in words for p in w.word.split()] == text.split()
