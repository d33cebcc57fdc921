"""The caption cue: what every caption writer (SCC, WebVTT, SRT) puts on screen."""

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
