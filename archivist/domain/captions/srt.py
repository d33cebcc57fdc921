"""SubRip writer: cues numbered from 1, timed `HH:MM:SS,mmm --> HH:MM:SS,mmm`."""

from __future__ import annotations

from collections.abc import Sequence

from archivist.domain.captions.cues import Cue
from archivist.domain.captions.timecode import clock


def write(cues: Sequence[Cue]) -> str:
    """Return the SRT file showing `cues`."""
    parts: list[str] = []
    for number, cue in enumerate(cues, start=1):
        parts.append(str(number))
        parts.append(f"{clock(cue.start, ',')} --> {clock(cue.end, ',')}")
        # A `-->` inside the text would read as a timing line to some players.
        parts.extend(line.replace("-->", "->") for line in cue.lines)
        parts.append("")
    return "\n".join(parts)
