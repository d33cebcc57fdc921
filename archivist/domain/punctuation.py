"""Punctuation health: do sentence case and punctuation last to the end of a recording?

Whisper can lose them part-way through a long recording (run-on lowercase text) while the
words stay right, so word error rate does not see it. This measures marks and capitals per
100 words, part by part, so a drop shows against the recording's own opening.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MARKS = frozenset(".,?!;:")
# Below this share of the opening's density a part counts as collapsed.
COLLAPSED_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Density:
    """Punctuation marks and capitalised words per 100 words of some stretch of text."""

    words: int
    marks_per_100: float
    capitals_per_100: float

    @property
    def per_100(self) -> float:
        """Marks and capitals together: the figure compared between parts."""
        return self.marks_per_100 + self.capitals_per_100


@dataclass(frozen=True, slots=True)
class PunctuationHealth:
    """The density of each part of a recording (equal numbers of words), first to last."""

    parts: tuple[Density, ...]

    @property
    def worst_share(self) -> float:
        """The lowest part's density as a share of the first part's (1.0: steady)."""
        if len(self.parts) < 2 or self.parts[0].per_100 == 0:
            return 1.0
        first = self.parts[0].per_100
        return min(part.per_100 / first for part in self.parts[1:])

    @property
    def steady(self) -> bool:
        return self.worst_share >= COLLAPSED_SHARE


def density(words: Sequence[str]) -> Density:
    """Marks and capitals per 100 words; `words` as the model gives them (" Hello,")."""
    tokens = [w.strip() for w in words if w.strip()]
    if not tokens:
        return Density(0, 0.0, 0.0)
    marks = sum(1 for t in tokens for ch in t if ch in MARKS)
    # "I" is capitalised whatever the model's state; it says nothing about sentence case.
    capitals = sum(1 for t in tokens if t[0].isupper() and t not in ("I", "I'm", "I'll", "I've", "I'd"))
    scale = 100.0 / len(tokens)
    return Density(len(tokens), marks * scale, capitals * scale)


def health(words: Sequence[str], parts: int = 6) -> PunctuationHealth:
    """Density in each of `parts` equal runs of words (fewer parts for very short texts)."""
    tokens = [w for w in words if w.strip()]
    count = max(1, min(parts, len(tokens) // 20))
    size = len(tokens) / count if tokens else 0
    runs = [tokens[round(i * size):round((i + 1) * size)] for i in range(count)]
    return PunctuationHealth(tuple(density(run) for run in runs))
