"""The caption cue, what every caption writer (SCC, WebVTT, SRT) puts on screen, and the token,
a word as a cue shows it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cue:
    """Lines shown together from `start` to `end` (seconds from the start of the recording)."""

    start: float
    end: float
    lines: tuple[str, ...]
    sound: bool = False   # a sound tag ("♪", "[MUSIC]"), not words said

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Token:
    """A word as captions show it; `glued` pieces of an over-long word join without a space;
    `new_speaker`: the `>>` that starts a new speaker's caption (alone, or joined to its word)."""

    text: str
    start: float
    end: float
    first_in_segment: bool = False
    glued: bool = False
    new_speaker: bool = False
