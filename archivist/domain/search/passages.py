"""Finding what was said: a transcript cut into caption-sized passages, a query read the way
staff type it, and the second a match is spoken.

The database does the matching and ranking (domain/ports.py: TranscriptSearch); this module
decides what is indexed and how a hit becomes a moment in the recording.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from types import ModuleType

from archivist.domain.models import Query, Transcript
from archivist.domain.speakers import starts_speaker, whispered
from archivist.domain.spelling import BRITISH, TABLE

# A passage is a line of the transcript page and what the index finds: a sentence, or about
# two captions' worth where a sentence runs on, so a hit lands within a few seconds of its words.
PASSAGE_CHARS = 80       # a passage growing past this is cut at its best break
PASSAGE_MIN_CHARS = 16   # one shorter than this runs on past a sentence end or a pause
PASSAGE_PAUSE = 1.5      # seconds of silence that end a passage long enough to stand alone
LONG_PAUSE = 5.0         # seconds of silence that end any passage
# Letters, digits and apostrophes: \w less the underscore, which both engines' tokenizers
# read as a space (FTS5 matched a term of only "_" with nothing; PostgreSQL dropped it).
_WORD = re.compile(r"(?:[^\W_]|')+", re.UNICODE)
_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_LETTERS = re.compile(r"[^\W\d_]+")   # a run of letters, as domain/spelling.py spells them
_Said = tuple[str, float, float]   # a word as written, its start and end
# A phrase's spellings searched at most (each of its words British or American).
SPELLINGS = 8


@dataclass(frozen=True, slots=True)
class Passage:
    """A few seconds of a transcript as the index keeps it, with each word's start."""

    start: float
    end: float
    text: str
    words: tuple[tuple[float, str], ...]   # (start second, word as spoken)


def parse_query(text: str) -> Query:
    """Read a query: `budget "water main"` is the word budget and the phrase water main.

    Punctuation is dropped, so nothing typed can become search-engine syntax.
    """
    terms: list[tuple[str, ...]] = []
    for phrase, word in _TERM.findall(text[:500]):
        words = tuple(normalize(w) for w in _WORD.findall(phrase or word))
        words = tuple(w for w in words if w)
        if words and words not in terms:
            terms.append(words)
    return Query(tuple(terms[:12]))


def spellings(term: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """A query's term (a word, or a phrase) in each spelling it may have been kept in: as
    typed, then all American, all British, then mixed, at most SPELLINGS. Captions are
    respelled American now (domain/spelling.py), transcripts kept before say "favour": a
    search for "favor" finds both, as one for "favour" does."""
    american = tuple(_respelled(w, TABLE) for w in term)
    british = tuple(_respelled(w, BRITISH) for w in term)
    mixed = itertools.product(*(dict.fromkeys((w, _respelled(w, TABLE), _respelled(w, BRITISH)))
                                for w in term))
    found: dict[tuple[str, ...], None] = {}
    for form in itertools.chain((term, american, british), mixed):
        found[form] = None
        if len(found) == SPELLINGS:   # a phrase of n such words has 2ⁿ: never all of them
            break
    return tuple(found)


def _respelled(word: str, table: dict[str, str]) -> str:
    """`word` with its letters spelt by `table` ("neighbour's" is "neighbor's": a word searched
    may hold an apostrophe, the table's never do)."""
    return _LETTERS.sub(lambda found: table.get(found.group(), found.group()), word)


def normalize(word: str) -> str:
    """A word as compared: lower case, accents and surrounding quotes removed."""
    decomposed = unicodedata.normalize("NFKD", word.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip("'")


def passages(transcript: Transcript) -> list[Passage]:
    """Cut a transcript into passages of sentence or caption length, its words written as the
    captions write them ("3,000", "out-of-the": Whisper's pieces joined), never one-word
    fragments split off at a pause ("in" / "favor.")."""
    # The caption rules are loaded when a transcript is cut, not when the web app starts
    # (the caption package brings every writer with it: tests/unit/test_imports.py).
    from archivist.domain.captions import breaks
    from archivist.domain.captions.segmentation import said_words

    found: list[Passage] = []
    run: list[_Said] = []
    width = 0   # _width(run), kept as the run grows
    for segment in transcript.segments:
        whispers = whispered(segment.words)
        for said in said_words(segment):
            # A new speaker starts a new passage (not a `>>` Whisper wrote itself: its text).
            if run and (starts_speaker(*said, whispers) or _ends_before(run, width, said, breaks)):
                found.append(_passage(run))
                run = []
            width = width + 1 + len(said[0]) if run else len(said[0])
            run.append(said)
            while len(run) > 1 and width > PASSAGE_CHARS:
                cut = _best_cut(run)
                found.append(_passage(run[:cut]))
                run = run[cut:]
                width = _width(run)
    if run:
        found.append(_passage(run))
    return found


def _width(run: list[_Said]) -> int:
    return sum(len(text) for text, _, _ in run) + len(run) - 1


def _ends_before(run: list[_Said], width: int, said: _Said, breaks: ModuleType) -> bool:
    """True when the passage `run` (`width` characters) ends before the word `said`
    (`breaks`: captions.breaks, imported once a transcript)."""
    pause = said[1] - run[-1][2]
    if pause >= LONG_PAUSE:
        return True
    sentence_end = breaks.quality(run[-1][0], said[0]) == breaks.SENTENCE_END
    return width >= PASSAGE_MIN_CHARS and (sentence_end or pause >= PASSAGE_PAUSE)


def _best_cut(run: list[_Said]) -> int:
    """Where to cut a run grown too long: the best break, the nearer its end the better."""
    from archivist.domain.captions import breaks

    def cost(k: int) -> float:
        short = PASSAGE_CHARS - _width(run[:k])
        return breaks.quality(run[k - 1][0], run[k][0]) + 0.1 * max(short, 0)
    return min(range(1, len(run)), key=lambda k: (cost(k), -k))


def _passage(run: list[_Said]) -> Passage:
    return Passage(run[0][1], run[-1][2], " ".join(text for text, _, _ in run),
                   tuple((round(start, 2), text) for text, start, _ in run))


def spoken_at(words: tuple[tuple[float, str], ...], query: Query, fallback: float) -> float:
    """The second the query's first matching term begins among a passage's words.

    The database matched on stems ("budgets" finds "budget"), so a word matches a term when
    either begins with the other's stem; a phrase must match word after word; a term in
    either spelling (spellings).
    """
    # A word as written may be several as searched: "out-of-the" is out, of, the.
    spoken = [(start, piece) for start, w in words for piece in _WORD.findall(normalize(w))]
    best: float | None = None
    for term in (each for typed in query.terms for each in spellings(typed)):
        for i in range(len(spoken) - len(term) + 1):
            if all(_same(spoken[i + k][1], t) for k, t in enumerate(term)):
                best = spoken[i][0] if best is None else min(best, spoken[i][0])
                break
    return fallback if best is None else best


def _same(said: str, wanted: str) -> bool:
    if not said or not wanted:
        return False
    stem = min(len(said), len(wanted), max(3, len(wanted) - 2))
    return said[:stem] == wanted[:stem]
