"""Word error rate: the fewest words substituted, deleted and inserted to turn the machine's
words into the reference's, per word of the reference.

The edit distance is computed with Myers' bit-vector algorithm (Hyyrö's form for the whole
sequence): one pass over the machine's words, each a few operations on integers as wide as
the reference, so a three-hour meeting (30,000 words each side) takes well under a second
where the textbook table would take minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from archivist.domain.accuracy.words import normalise


@dataclass(frozen=True, slots=True)
class WordErrors:
    """How many of the reference's words the machine got wrong (substituted, dropped, or
    added beside them)."""

    errors: int
    words: int          # words in the reference

    @property
    def rate(self) -> float:
        """Errors per reference word (0.0 for an empty reference with no machine words)."""
        if self.words == 0:
            return 0.0 if self.errors == 0 else 1.0
        return self.errors / self.words


def word_errors(reference: str, hypothesis: str) -> WordErrors:
    """The word errors of `hypothesis` against `reference`, both normalised (words.py)."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    return WordErrors(edit_distance(ref, hyp), len(ref))


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """The Levenshtein distance between two word sequences (unit costs)."""
    m = len(reference)
    if m == 0:
        return len(hypothesis)
    peq: dict[str, int] = {}
    for i, word in enumerate(reference):
        peq[word] = peq.get(word, 0) | (1 << i)
    full = (1 << m) - 1
    top = 1 << (m - 1)
    pv, mv, score = full, 0, m
    for word in hypothesis:
        eq = peq.get(word, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & full) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        # The first row of the table counts up by one per machine word: shift a 1 in.
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
    return score
