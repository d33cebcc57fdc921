"""WebVTT writer: `WEBVTT`, then cues timed `HH:MM:SS.mmm --> HH:MM:SS.mmm`."""

from __future__ import annotations

from collections.abc import Sequence

from archivist.domain.captions.cues import Cue
from archivist.domain.captions.timecode import clock


def _escape(line: str) -> str:
    # `&`, `<` and `>` start markup in WebVTT (and `-->` would read as a timing line).
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write(cues: Sequence[Cue]) -> str:
    """Return the WebVTT file showing `cues`."""
    parts = ["WEBVTT", ""]
    for cue in cues:
        parts.append(f"{clock(cue.start)} --> {clock(cue.end)}")
        parts.extend(_escape(line) for line in cue.lines)
        parts.append("")
    return "\n".join(parts)
