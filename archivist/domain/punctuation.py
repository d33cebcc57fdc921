"""Punctuation health: do sentence case and punctuation last to the end of a recording?

Whisper can lose them part-way through a long recording (run-on lowercase text) while the
words stay right, so word error rate does not see it. This measures marks and capitals per
100 words, part by part, and judges each part against what its own words would carry written
out: every sentence a capital and an end mark, a roll call's answers sentences of their own, and
a capital for each name the recording writes with one elsewhere. (Not against the opening: a
roll call opens most meetings and is all names and one-word answers, far denser than what
follows.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MARKS = frozenset(".,?!;:")
# Below this share of what its words would carry, a sixth counts as collapsed: the issue's "under
# 0.6 of the script's own density", as the dev-half scripts' sixths (2101-2108) carry a median
# 1.14 of what is expected of them (0.6 x 1.14).
COLLAPSED_SHARE = 0.68
# Written out, meeting speech has a sentence about every this many words (a capital and an end
# mark each). The corpus's dev-half scripts have 5.9 to 7.6 words a sentence; a transcript runs
# some together, so a little more is allowed (the dev scripts' sixths then hold 0.87 to 1.81 of
# what they are expected to carry).
SENTENCE_WORDS = 8
# A word counts as a name once the recording has written it with a capital inside a sentence
# this many times ("Council Member Anderson", "Maple Street"), and in at least this share of
# the times it writes it inside a sentence: a model that once or twice writes "The" after a
# comma has not named it (on dev 1003, repaired, "the" counted as a name raised what each sixth
# was expected to carry by a quarter: a false alarm).
NAMED_AFTER = 2
NAMED_SHARE = 1 / 3
_I = ("I", "I'm", "I'll", "I've", "I'd")
# A roll call's answers: each is a sentence of its own, and ends the name before it ("Council
# member Herrera. Present."), however the model wrote them ("council member her air present").
# Counted where one of them comes this many times in a stretch: a roll call is a list, and
# "present" is also a verb.
ANSWERS = frozenset({"present", "here", "aye", "ayes", "nay", "nays", "abstain"})
ROLL_CALL_ANSWERS = 3


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
    """The density of each part of a recording (equal numbers of words), first to last, and
    what each part's words would carry written out."""

    parts: tuple[Density, ...]
    expected: tuple[float, ...] = field(default=())

    @property
    def shares(self) -> tuple[float, ...]:
        """Each part's density as a share of what its words would carry (1.0 or more: whole)."""
        return tuple(p.per_100 / e if e > 0 else 1.0 for p, e in zip(self.parts, self.expected))

    @property
    def worst_share(self) -> float:
        """The lowest part's share (1.0 when there is nothing to judge)."""
        return min(self.shares, default=1.0) if len(self.parts) >= 2 else 1.0

    @property
    def steady(self) -> bool:
        return self.worst_share >= COLLAPSED_SHARE


class Names:
    """The words a recording writes with a capital inside a sentence (names, titles, places),
    gathered as its words come."""

    def __init__(self) -> None:
        self._seen: Counter[str] = Counter()     # written with a capital inside a sentence
        self._inside: Counter[str] = Counter()   # written inside a sentence at all
        self._after_end = True   # the next word starts a sentence

    def add(self, words: Iterable[str]) -> None:
        for word in words:
            token = word.strip()
            if not token:
                continue
            if not self._after_end and token not in _I:
                self._inside[plain(token)] += 1
                if token[0].isupper():
                    self._seen[plain(token)] += 1
            self._after_end = token[-1] in ".?!"

    def __contains__(self, word: str) -> bool:
        key = plain(word)
        seen = self._seen[key]
        return seen >= NAMED_AFTER and seen >= self._inside[key] * NAMED_SHARE


def expected(words: Sequence[str], names: Names) -> float:
    """Marks and capitals per 100 words these words would carry written out: a capital and an
    end mark a sentence (of about SENTENCE_WORDS words, or a roll call's answer and the name
    before it), and a capital for each name."""
    tokens = [w.strip() for w in words if w.strip()]
    if not tokens:
        return 0.0
    named = sum(1 for t in tokens if t in names)
    plain_words = [plain(t) for t in tokens]
    answers = Counter(p for p in plain_words if p in ANSWERS)
    roll_call = {a for a, n in answers.items() if n >= ROLL_CALL_ANSWERS}
    sentences, prose = 0.0, 0
    for k, word in enumerate(plain_words):
        if word in roll_call:
            # Its own capital and mark; and the name before it ends there (unless that was an
            # answer too: a model repeating "Present." says no names).
            sentences += 1 + (k > 0 and plain_words[k - 1] not in roll_call)
        else:
            prose += 1
    sentences += prose / SENTENCE_WORDS
    return 2 * 100.0 * sentences / len(tokens) + named * 100.0 / len(tokens)


def plain(word: str) -> str:
    """A word without case or marks ("Anderson?" and "anderson" are one)."""
    return "".join(ch for ch in word.lower() if ch.isalnum())


def density(words: Sequence[str]) -> Density:
    """Marks and capitals per 100 words; `words` as the model gives them (" Hello,")."""
    tokens = [w.strip() for w in words if w.strip()]
    if not tokens:
        return Density(0, 0.0, 0.0)
    marks = sum(1 for t in tokens for ch in t if ch in MARKS)
    # "I" is capitalised whatever the model's state; it says nothing about sentence case.
    capitals = sum(1 for t in tokens if t[0].isupper() and t not in _I)
    scale = 100.0 / len(tokens)
    return Density(len(tokens), marks * scale, capitals * scale)


def health(words: Sequence[str], parts: int = 6) -> PunctuationHealth:
    """Density in each of `parts` equal runs of words (fewer parts for very short texts), and
    what each run's words would carry written out (names: those of the whole recording)."""
    tokens = [w for w in words if w.strip()]
    count = max(1, min(parts, len(tokens) // 20))
    size = len(tokens) / count if tokens else 0
    runs = [tokens[round(i * size):round((i + 1) * size)] for i in range(count)]
    names = Names()
    names.add(tokens)
    return PunctuationHealth(tuple(density(run) for run in runs),
                             tuple(expected(run, names) for run in runs))
