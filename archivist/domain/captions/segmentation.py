"""Word-timed transcript -> caption cues that keep a profile's rules.

Cues are chosen by dynamic programming over the words of each stretch of speech: every
possible cue (a run of words that fits the lines, the duration and, as far as the speech
allows, the reading rate) has a cost, mostly the cost of breaking the text where it ends
(see `breaks`), and the cheapest sequence wins. Lines inside a cue are laid out the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from archivist.domain.captions import breaks
from archivist.domain.captions.cues import Cue
from archivist.domain.captions.settings import CueRules
from archivist.domain.models import Transcript

MAX_PAUSE = 2.0        # seconds of silence no cue spans
CLOSE_GAP = 0.5        # a shorter gap between cues is closed, so captions don't flicker
MIN_SHOWN = 0.5        # seconds any cue stays up, even in degenerate timing

# Costs of a cue beyond its break: each cue, each lone-word cue, reading-rate overrun.
CUE_COST = 10.0
LONE_WORD_CUE = 4.0
CPS_OVERRUN = 6.0      # per second of reading time missing


@dataclass(frozen=True, slots=True)
class Token:
    """A word as captions show it; `glued` pieces of an over-long word join without a space."""

    text: str
    start: float
    end: float
    first_in_segment: bool = False
    glued: bool = False


def _word_cap(text: str) -> float:
    # Longest believable time to say one word; Whisper stretches words over silences.
    return 1.0 + 0.08 * len(text)


def tokens(transcript: Transcript, max_chars: int, spell: Callable[[str], str] = str) -> list[Token]:
    """Return the words of `transcript` as tokens: spelled, timed in order, none over `max_chars`."""
    out: list[Token] = []
    last_start = 0.0
    for seg in transcript.segments:
        raw = [(w.word, w.start, w.end) for w in seg.words]
        if not raw and seg.text.strip():
            raw = _spread(seg.text, seg.start, seg.end)
        first = True
        for text, start, end in raw:
            pieces = spell(text).split()
            if not pieces:
                continue
            start = max(start, last_start)
            end = max(end, start)
            if end - start > _word_cap(text) * len(pieces):
                # A word stretched over silence: after a pause speech sits at its end.
                if first:
                    start = end - _word_cap(text) * len(pieces)
                else:
                    end = start + _word_cap(text) * len(pieces)
            for p_start, p_end, piece, glued in _split(pieces, start, end, max_chars):
                out.append(Token(piece, p_start, p_end, first, glued))
                first = False
            last_start = start
    return out


def _spread(text: str, start: float, end: float) -> list[tuple[str, float, float]]:
    # A segment without word times (e.g. edited by hand): share its time by length.
    words = text.split()
    total = sum(len(w) + 1 for w in words)
    out, t = [], start
    for w in words:
        d = (end - start) * (len(w) + 1) / total
        out.append((w, t, t + d))
        t += d
    return out


def _split(pieces: list[str], start: float, end: float, max_chars: int):
    total = sum(len(p) for p in pieces)
    t = start
    for piece in pieces:
        chunks = [piece[i:i + max_chars] for i in range(0, len(piece), max_chars)]
        for n, chunk in enumerate(chunks):
            d = (end - start) * len(chunk) / total
            yield t, t + d, chunk, n > 0
            t += d


def layout(toks: list[Token], max_chars: int, max_lines: int) -> tuple[float, tuple[str, ...]] | None:
    """Return (cost, lines) of the best way to set `toks` in lines, or None if they don't fit."""
    n = len(toks)
    width = _width(toks, 0, n)
    if width <= max_chars:
        return 0.0, (_join(toks, 0, n),)
    if max_lines < 2:
        return None
    # best[k][i]: cheapest (cost, breaks) for toks[i:] in k lines.
    best: dict[tuple[int, int], tuple[float, tuple[int, ...]] | None] = {}

    def solve(i: int, lines: int) -> tuple[float, tuple[int, ...]] | None:
        key = (i, lines)
        if key in best:
            return best[key]
        result = None
        # A line of one word, when the cue has more to share, is a break done badly.
        lone = breaks.LONE_WORD_LINE if n > 2 else 0.0
        if _width(toks, i, n) <= max_chars:
            result = (lone if n - i == 1 else 0.0, ())
        elif lines > 1:
            for j in range(i + 1, n):
                w = _width(toks, i, j)
                if w > max_chars:
                    break
                rest = solve(j, lines - 1)
                if rest is None:
                    continue
                cost = rest[0] + breaks.line_cost(toks[j - 1].text, toks[j].text, toks[j].glued)
                if j - i == 1:
                    cost += lone
                # Balanced lines read more easily than a long line over a stub.
                cost += breaks.IMBALANCE * abs(w - _width(toks, j, rest[1][0] if rest[1] else n))
                if result is None or cost < result[0]:
                    result = (cost, (j,) + rest[1])
        best[key] = result
        return result

    found = solve(0, max_lines)
    if found is None:
        return None
    cuts = (0,) + found[1] + (n,)
    return found[0], tuple(_join(toks, a, b) for a, b in zip(cuts, cuts[1:]))


def _width(toks: list[Token], i: int, j: int) -> int:
    return sum(len(t.text) for t in toks[i:j]) + sum(1 for t in toks[i + 1:j] if not t.glued)


def _join(toks: list[Token], i: int, j: int) -> str:
    return "".join((t.text if k == i or t.glued else " " + t.text) for k, t in enumerate(toks[i:j], i))


def segment(transcript: Transcript, rules: CueRules, spell: Callable[[str], str] = str) -> list[Cue]:
    """Return the cues showing `transcript` under `rules`; `spell` rewrites each word first."""
    toks = tokens(transcript, rules.max_chars, spell)
    cues: list[Cue] = []
    run: list[Token] = []
    for tok in toks:
        if run and tok.start - run[-1].end > MAX_PAUSE:
            cues.extend(_cues_of_run(run, rules))
            run = []
        run.append(tok)
    if run:
        cues.extend(_cues_of_run(run, rules))
    return _time(cues, rules)


def _cues_of_run(toks: list[Token], rules: CueRules) -> list[Cue]:
    n = len(toks)
    best: list[tuple[float, int, tuple[str, ...]]] = [(0.0, -1, ())] + [(float("inf"), -1, ())] * n
    for i in range(n):
        if best[i][0] == float("inf"):
            continue
        for j in range(i + 1, n + 1):
            if j - i > 1 and toks[j - 1].end - toks[i].start > rules.max_duration:
                break
            laid = layout(toks[i:j], rules.max_chars, rules.max_lines)
            if laid is None:
                break
            cost = best[i][0] + CUE_COST + laid[0] + _cue_cost(toks, i, j, laid[1], rules)
            if cost < best[j][0]:
                best[j] = (cost, i, laid[1])
        if best[i + 1][0] == float("inf"):
            # Nothing fits (a word wider than a line cannot happen after splitting): show alone.
            best[i + 1] = (best[i][0] + CUE_COST, i, (toks[i].text[:rules.max_chars],))
    cues: list[Cue] = []
    j = n
    while j > 0:
        _, i, lines = best[j]
        cues.append(Cue(toks[i].start, toks[j - 1].end, lines))
        j = i
    return cues[::-1]


def _cue_cost(toks: list[Token], i: int, j: int, lines: tuple[str, ...], rules: CueRules) -> float:
    cost = 0.0
    if j < len(toks):
        gap = toks[j].start - toks[j - 1].end
        cost += breaks.cue_cost(toks[j - 1].text, toks[j].text, toks[j].glued, gap,
                                toks[j].first_in_segment)
        available = toks[j].start - toks[i].start
    else:
        available = rules.max_duration
    chars = sum(len(line) for line in lines)
    needed = min(chars / rules.max_cps, rules.max_duration)
    if needed > available:
        cost += CPS_OVERRUN * (needed - available)
    if j - i == 1:
        cost += LONE_WORD_CUE
    return cost


def _time(cues: list[Cue], rules: CueRules) -> list[Cue]:
    """Give each cue its display time: long enough to read, never overlapping the next."""
    out: list[Cue] = []
    for k, cue in enumerate(cues):
        next_start = cues[k + 1].start if k + 1 < len(cues) else float("inf")
        # Degenerate timing (words piled on one instant) shifts a cue after the one before.
        start = max(cue.start, out[-1].end) if out else cue.start
        chars = sum(len(line) for line in cue.lines)
        end = max(cue.end, start + rules.min_duration, start + chars / rules.max_cps)
        if next_start - end < CLOSE_GAP:
            end = next_start
        end = min(end, next_start, start + rules.max_duration)
        out.append(Cue(start, max(end, start + MIN_SHOWN), cue.lines))
    return out
