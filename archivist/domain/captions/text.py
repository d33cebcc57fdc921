"""Plain-text transcript for records requests and minutes: stamped, wrapped paragraphs."""

from __future__ import annotations

import textwrap
from functools import lru_cache

from archivist.domain import rendered
from archivist.domain.models import Transcript

WIDTH = 78
PARAGRAPH_PAUSE = 2.0       # seconds of silence that start a new paragraph
PARAGRAPH_CHARS = 600       # a paragraph this long ends at the next sentence end


def stamp(seconds: float) -> str:
    """Return `[HH:MM:SS]` for a time in seconds (rounded down)."""
    s = max(0, int(seconds))
    return f"[{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}]"


def write(transcript: Transcript, width: int = WIDTH) -> str:
    """Return the transcript as paragraphs, each opening with the time it starts."""
    paragraphs: list[tuple[float, list[str]]] = []
    last_end: float | None = None
    size = 0
    for seg in transcript.segments:
        text = " ".join(seg.text.split() or [w.word.strip() for w in seg.words])
        if not text:
            continue
        ended_sentence = bool(paragraphs) and paragraphs[-1][1][-1].endswith((".", "?", "!"))
        if (not paragraphs or last_end is None or seg.start - last_end >= PARAGRAPH_PAUSE
                or (size >= PARAGRAPH_CHARS and ended_sentence)):
            paragraphs.append((seg.start, []))
            size = 0
        paragraphs[-1][1].append(text)
        size += len(text) + 1
        last_end = seg.end
    out = [f"Note: {note}" for note in transcript.notes]
    if out:
        out.append("")
    for start, texts in paragraphs:
        out.append(_filled(f"{stamp(start)} {' '.join(texts)}", width))
        out.append("")
    return "\n".join(out)


@rendered.remembering("paragraph")
@lru_cache(maxsize=4096)   # a correction leaves most paragraphs of a long meeting as they were
def _filled(paragraph: str, width: int) -> str:
    return textwrap.fill(paragraph, width=width, break_long_words=False, break_on_hyphens=False)
