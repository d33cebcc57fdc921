"""Finding what was said: a transcript cut into caption-sized passages, a query read the way
staff type it, and the second a match is spoken.

The database does the matching and ranking (domain/ports.py: TranscriptSearch); this module
decides what is indexed and how a hit becomes a moment in the recording.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from archivist.domain.models import Query, Transcript, Word

# A passage ends after this many words, at a pause this long, or at the end of a segment:
# about one caption's worth, so a hit lands within a few seconds of the words.
PASSAGE_WORDS = 16
PASSAGE_PAUSE = 1.5
_WORD = re.compile(r"[\w']+", re.UNICODE)
_TERM = re.compile(r'"([^"]*)"?|(\S+)')


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


def normalize(word: str) -> str:
    """A word as compared: lower case, accents and surrounding quotes removed."""
    decomposed = unicodedata.normalize("NFKD", word.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip("'")


def passages(transcript: Transcript) -> list[Passage]:
    """Cut a transcript into caption-sized passages, never across a segment."""
    found: list[Passage] = []
    for segment in transcript.segments:
        words = [w for w in segment.words if w.word.strip()]
        if not words and segment.text.strip():
            # A transcript without word times: the segment is one passage.
            found.append(Passage(segment.start, segment.end, segment.text.strip(),
                                 ((segment.start, segment.text.strip()),)))
            continue
        run: list[Word] = []
        for word in words:
            if run and (len(run) >= PASSAGE_WORDS or word.start - run[-1].end > PASSAGE_PAUSE):
                found.append(_passage(run))
                run = []
            run.append(word)
        if run:
            found.append(_passage(run))
    return found


def _passage(words: list[Word]) -> Passage:
    text = " ".join(w.word.strip() for w in words)
    return Passage(words[0].start, words[-1].end, text,
                   tuple((round(w.start, 2), w.word.strip()) for w in words))


def spoken_at(words: tuple[tuple[float, str], ...], query: Query, fallback: float) -> float:
    """The second the query's first matching term begins among a passage's words.

    The database matched on stems ("budgets" finds "budget"), so a word matches a term when
    either begins with the other's stem; a phrase must match word after word.
    """
    spoken = [(start, "".join(_WORD.findall(normalize(w)))) for start, w in words]
    best: float | None = None
    for term in query.terms:
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
