"""Word-timed transcript -> caption cues (first, greedy version)."""

from __future__ import annotations

from collections.abc import Callable

from archivist.domain.captions.cues import Cue
from archivist.domain.captions.settings import CueRules
from archivist.domain.models import Transcript, Word


def segment(transcript: Transcript, rules: CueRules, spell: Callable[[str], str] = str) -> list[Cue]:
    words = [Word(w.start, w.end, spell(w.word), w.probability) for w in transcript.words]
    cues: list[Cue] = []
    cur: list[Word] = []

    def lines_of(ws: list[Word]) -> list[str] | None:
        lines: list[str] = []
        line = ""
        for w in ws:
            t = w.word.strip()
            cand = f"{line} {t}" if line else t
            if len(cand) <= rules.max_chars:
                line = cand
            else:
                lines.append(line)
                line = t
        lines.append(line)
        if len(lines) > rules.max_lines or any(len(x) > rules.max_chars for x in lines):
            return None
        return lines

    def flush() -> None:
        if cur:
            cues.append(Cue(cur[0].start, max(cur[-1].end, cur[0].start + rules.min_duration),
                            tuple(lines_of(cur) or [" ".join(w.word.strip() for w in cur)])))
            cur.clear()

    for w in words:
        if not w.word.strip():
            continue
        if cur and (lines_of(cur + [w]) is None or w.end - cur[0].start > rules.max_duration
                    or w.start - cur[-1].end > 2.0):
            flush()
        cur.append(w)
    flush()
    out: list[Cue] = []
    for i, c in enumerate(cues):
        end = c.end
        if i + 1 < len(cues):
            end = min(end, cues[i + 1].start)
        out.append(Cue(c.start, end, c.lines))
    return out
