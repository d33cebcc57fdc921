"""Word-timed transcript -> caption cues that keep a profile's rules.

Word times are first corrected where Whisper is known to be off (a word stretched over a
pause; a word given no time after one). Cues are then chosen by dynamic programming over the
words of each stretch of speech: every possible cue (a run of words that fits the lines, the
duration and, as far as the speech allows, the reading rate and the time to send it) has a
cost, mostly the cost of breaking the text where it ends (see `breaks`), and the cheapest
sequence wins. Lines inside a cue are laid out the same way. `timing` then sets display times.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

from archivist.domain import rendered
from archivist.domain.captions import breaks, new_speakers, spoken, timing
from archivist.domain.captions.cues import Cue, Token
from archivist.domain.captions.settings import CueRules
from archivist.domain.models import Segment, Transcript, Word
from archivist.domain.speakers import SPEAKER_CHANGE, starts_speaker, whispered

MAX_PAUSE = 0.65          # seconds of silence no cue spans: a pause a viewer hears, past the
                          # gaps timing.CLOSE_GAP closes; a caption spanning it stays up over
                          # the silence and shows the next sentence before it is said (word
                          # times fitted to the voice, adapters/whisper/voicing.py, make the
                          # 0.8-1 s pauses between speakers 0.65-0.8 s; 1.0 let them bridge)
SECONDS_PER_LETTER = 0.06  # ordinary time to say a word, per letter (about 15 a second)
PAUSE_BEFORE = 0.3        # seconds of silence before a word after which its start is checked

# Costs of a cue beyond its break: each cue, each lone-word cue, reading-rate overrun.
CUE_COST = 8.0
LONE_WORD_CUE = 4.0
CPS_OVERRUN = 20.0     # per second of reading time missing
SEGMENTS_KEPT = 30_000  # segments whose tokens are kept (a 3-hour meeting has about 2,500)
RUNS_KEPT = 20_000     # runs of speech whose cues are kept (a 3-hour meeting has about 2,000)
LATE = 12.0            # per second a caption would show late because the one before is too short


def _word_cap(text: str) -> float:
    # Longest believable time to say one word; Whisper stretches words over silences.
    return 1.0 + 0.08 * _letters(text)


def _onset_cap(text: str) -> float:
    # Longest believable time for the first word after a pause (twice the ordinary time,
    # and a little for the breath before it).
    return 0.3 + 2 * _word_typical(text)


def _word_typical(text: str) -> float:
    return SECONDS_PER_LETTER * _letters(text)


def _letters(text: str) -> int:
    """The letters it takes to say `text`, about: a figure counts the words it is said with
    ("$7,000,000", "seven million dollars": 19 letters, not 7 or one for each zero). Counted
    as written, a spoken figure was cut to 1.8 s and its last 0.6-0.9 s left uncovered (dev
    2104, held 2203)."""
    return spoken.letters(text)


def tokens(transcript: Transcript, max_chars: int,
           spell: Callable[[str], str] = str) -> list[Token]:
    """Return the words of `transcript` as tokens: spelled, in time order, none over `max_chars`."""
    out: list[Token] = []
    last = (0.0, 0.0)
    for seg in transcript.segments:
        of = _segment_tokens if isinstance(seg.words, tuple) else _tokens_of   # hashable or not
        said, last = of(seg, last, max_chars, spell)
        out.extend(said)
    return out


def _tokens_of(seg: Segment, last: tuple[float, float], max_chars: int,
                    spell: Callable[[str], str]) -> tuple[tuple[Token, ...], tuple[float, float]]:
    # A segment's tokens depend on it and on where the words before it started and ended,
    # so the lines a correction left alone are not spelled and timed again.
    out: list[Token] = []
    first = True
    last_start, last_end = last
    whispers = whispered(seg.words)   # its text, not a new speaker
    for text, start, end in said_words(seg):
        if starts_speaker(text, start, end, whispers):
            # A new speaker's `>>`: it takes the time of the word it stands before, and
            # leaves the pause before that word to be judged as if it were not there.
            out.append(Token(SPEAKER_CHANGE, start, start, first, new_speaker=True))
            continue
        pieces = spell(text).split()
        if not pieces:
            continue
        start = max(start, last_start)
        end = max(end, start)
        if (start - last_end >= PAUSE_BEFORE
                and end - start > _onset_cap(text) * len(pieces)):
            # After a pause Whisper starts a word early, in the silence; the word is
            # said at the end of its time (on the dev corpus such words began 0.3-1.7 s
            # before the speech did).
            start = end - _onset_cap(text) * len(pieces)
        elif end - start > _word_cap(text) * len(pieces):
            # A word stretched over silence: after a pause speech sits at its end.
            if first:
                start = end - _word_cap(text) * len(pieces)
            else:
                end = start + _word_cap(text) * len(pieces)
        elif end - start < _word_typical(text) / 2 and start > last_end:
            # After a pause Whisper often marks where a word ends but gives it almost no
            # time: the word was being said just before, in what looks like the pause.
            start = max(last_end, end - _word_typical(text))
        for p_start, p_end, piece, glued in _split(pieces, start, end, max_chars):
            out.append(Token(piece, p_start, p_end, first, glued))
            first = False
        last_start, last_end = start, end
    return tuple(out), (last_start, last_end)


_segment_tokens = lru_cache(maxsize=SEGMENTS_KEPT)(_tokens_of)


def said_words(seg: Segment) -> Sequence[tuple[str, float, float]]:
    """Return (word, start, end) of what `seg` says, as its text writes it (Whisper's pieces
    joined: "3,000", not "3" ",000"); its text wins over stale word times."""
    if isinstance(seg.words, tuple):
        return _said_in(seg)   # remembered: search reads every line again at each save
    return _said_words(seg)


def _said_words(seg: Segment) -> tuple[tuple[str, float, float], ...]:
    return tuple(_said(seg))


_said_in = lru_cache(maxsize=SEGMENTS_KEPT)(_said_words)


def _said(seg: Segment) -> list[tuple[str, float, float]]:
    said = seg.text.split()
    timed = [(piece, w.start, w.end) for w in seg.words for piece in w.word.split()]
    if said and [t[0] for t in timed] != said:
        joined = _joined(seg.words)   # "$20" ",000" as the text writes it: "$20,000"
        if [t[0] for t in joined] == said:
            timed = joined
    if not said or [t[0] for t in timed] == said:   # no text given: the words are all there is
        return timed
    if len(timed) == len(said):
        # Words corrected by hand, one for one: keep their times.
        return [(s, start, end) for s, (_, start, end) in zip(said, timed)]
    if timed:
        return _spread(seg.text, timed[0][1], timed[-1][2])
    return _spread(seg.text, seg.start, seg.end)


def _joined(words: Sequence[Word]) -> list[tuple[str, float, float]]:
    """Return (word, start, end) of the words as the text reads them.

    Whisper gives the pieces of one written word as words of their own with no space before
    the second ("$20" ",000", "7" "%", "one" "-hour"); the text joins them. Joined here
    too, so they match the text and keep their times (else the whole segment's times would be
    thrown away as stale, and its words spread evenly over any pause inside it).
    """
    out: list[tuple[str, float, float]] = []
    for w in words:
        pieces = w.word.split()
        if not pieces:
            continue
        if out and not w.word[:1].isspace():
            text, start, _ = out[-1]
            out[-1] = (text + pieces[0], start, max(w.end, start))
            pieces = pieces[1:]
        out.extend((piece, w.start, w.end) for piece in pieces)
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


def _split(pieces: list[str], start: float, end: float,
           max_chars: int) -> Iterator[tuple[float, float, str, bool]]:
    total = sum(len(p) for p in pieces)
    t = start
    for piece in pieces:
        chunks = [piece[i:i + max_chars] for i in range(0, len(piece), max_chars)]
        for n, chunk in enumerate(chunks):
            d = (end - start) * len(chunk) / total
            yield t, t + d, chunk, n > 0
            t += d


class _Run:
    """Words between long pauses, with the widths and break costs the search asks for."""

    def __init__(self, toks: list[Token]) -> None:
        self.toks = toks
        self._chars = [0]
        self._spaces = [0]     # spaces before tokens [0, k)
        for k, tok in enumerate(toks):
            self._chars.append(self._chars[-1] + len(tok.text))
            self._spaces.append(self._spaces[-1] + (1 if k and not tok.glued else 0))
        self.breaks = [0.0] + [breaks.quality(a.text, b.text, b.glued)
                               for a, b in zip(toks, toks[1:])]
        # The run's words as one line, and where each starts in it: any stretch of the run
        # is then one slice (the search asks for the text of every cue it weighs).
        self._line = "".join(t.text if k == 0 or t.glued else " " + t.text
                             for k, t in enumerate(toks))
        self._at = [self._chars[k] + self._spaces[k + 1] for k in range(len(toks))]

    def width(self, i: int, j: int) -> int:
        """Return the columns toks[i:j] take on one line."""
        return self._chars[j] - self._chars[i] + self._spaces[j] - self._spaces[i + 1]

    def text(self, i: int, j: int) -> str:
        """Return toks[i:j] as one line."""
        return self._line[self._at[i]:self._at[i] + self.width(i, j)]

    def layout(self, i: int, j: int, max_chars: int, max_lines: int
               ) -> tuple[float, tuple[int, ...]] | None:
        """Return (cost, line starts) of the best setting of toks[i:j], or None if none fits."""
        if self.width(i, j) <= max_chars:
            return 0.0, (i,)
        # A line of one word, when the cue has more to share, is a break done badly.
        lone = breaks.LONE_WORD_LINE if j - i > 2 else 0.0
        memo: dict[tuple[int, int], tuple[float, tuple[int, ...]] | None] = {}

        def rest(k: int, lines: int) -> tuple[float, tuple[int, ...]] | None:
            # Cheapest setting of toks[k:j] in at most `lines` lines.
            if (k, lines) in memo:
                return memo[(k, lines)]
            found: tuple[float, tuple[int, ...]] | None = None
            if self.width(k, j) <= max_chars:
                found = (lone if j - k == 1 else 0.0, (k,))
            elif lines > 1:
                for m in range(k + 1, j):
                    w = self.width(k, m)
                    if w > max_chars:
                        break
                    after = rest(m, lines - 1)
                    if after is None:
                        continue
                    next_end = after[1][1] if len(after[1]) > 1 else j
                    # Balanced lines read more easily than a long line over a stub.
                    cost = (after[0] + self.breaks[m] + (lone if m - k == 1 else 0.0)
                            + breaks.IMBALANCE * abs(w - self.width(m, next_end)))
                    if found is None or cost < found[0]:
                        found = (cost, (k,) + after[1])
            memo[(k, lines)] = found
            return found

        return rest(i, max_lines)


def segment(transcript: Transcript, rules: CueRules, spell: Callable[[str], str] = str,
            tick: float = 0.001, load: Callable[[tuple[str, ...]], float] | None = None
            ) -> list[Cue]:
    """Return the cues showing `transcript` under `rules`.

    `spell` rewrites each word first; cue times fall on multiples of `tick` (the format's
    time resolution); `load` says how long a cue takes to send before it can be shown
    (SCC pop-on captions), so cues are chosen to leave that time after the one before.
    """
    toks = new_speakers.joined(tokens(transcript, rules.max_chars, spell), rules.max_chars)
    cues: list[Cue] = []
    trails: list[float] = []
    run: list[Token] = []
    for tok in [*toks, None]:
        if run and (tok is None or tok.start - run[-1].end > MAX_PAUSE or tok.new_speaker):
            for cue, (i, j) in _cues_of(tuple(run), rules, load):
                cues.append(cue)
                trails.append(timing.trail(run[i:j]))
            run = []
        if tok is not None:
            run.append(tok)
    return timing.display(cues, rules, tick, load, trails)


@rendered.remembering("run cues")
@lru_cache(maxsize=RUNS_KEPT)
def _cues_of(run: tuple[Token, ...], rules: CueRules,
             load: Callable[[tuple[str, ...]], float] | None
             ) -> tuple[tuple[Cue, tuple[int, int]], ...]:
    # A run's cues depend on its words and the rules alone, so a run a correction left as
    # it was keeps the cues it had: saving a revision searches only the runs edited.
    return tuple(_cues_of_run(_Run(list(run)), rules, load))


def _cues_of_run(run: _Run, rules: CueRules,
                 load: Callable[[tuple[str, ...]], float] | None = None
                 ) -> list[tuple[Cue, tuple[int, int]]]:
    """Return the cheapest cues for one run of speech (dynamic programming over cue ends),
    each with the run's words it shows (toks[i:j], as (i, j)): the trail judges a cue's
    last word, which times alone cannot find (a word of no length, or overlapping words)."""
    toks, n = run.toks, len(run.toks)
    inf = float("inf")
    empty: tuple[int, ...] = ()
    best: list[tuple[float, int, tuple[int, ...]]] = [(0.0, -1, empty)] + [(inf, -1, empty)] * n
    for i in range(n):
        previous = best[i][1]   # where the cue before this one starts, on the best path so far
        for j in range(i + 1, n + 1):
            if j - i > 1 and toks[j - 1].end - toks[i].start > rules.max_duration:
                break
            laid = run.layout(i, j, rules.max_chars, rules.max_lines)
            if laid is None:
                break
            cost = best[i][0] + CUE_COST + laid[0] + _cue_cost(run, i, j, rules)
            if load is not None and previous >= 0:
                # A caption still being sent when its words are spoken shows late.
                late = load(_lines(run, laid[1], j)) - (toks[i].start - toks[previous].start)
                cost += LATE * max(late, 0.0)
            if cost < best[j][0]:
                best[j] = (cost, i, laid[1])
    cues: list[tuple[Cue, tuple[int, int]]] = []
    j = n
    while j > 0:
        _, i, starts = best[j]
        cues.append((Cue(toks[i].start, toks[j - 1].end, _lines(run, starts, j)), (i, j)))
        j = i
    return cues[::-1]


def _lines(run: _Run, starts: tuple[int, ...], end: int) -> tuple[str, ...]:
    return tuple(run.text(a, b) for a, b in zip(starts, (*starts[1:], end)))


def _cue_cost(run: _Run, i: int, j: int, rules: CueRules) -> float:
    toks = run.toks
    cost = 0.0
    if j < len(toks):
        cost += breaks.cue_cost(run.breaks[j], toks[j].start - toks[j - 1].end,
                                toks[j].first_in_segment)
        available = toks[j].start - toks[i].start
    else:
        available = rules.max_duration
    # On screen long enough to read, and never less than the minimum a caption stays up.
    needed = min(max(run.width(i, j) / rules.max_cps, rules.min_duration), rules.max_duration)
    if needed > available:
        cost += CPS_OVERRUN * (needed - available)
    if j - i == 1:
        cost += LONE_WORD_CUE
    return cost
