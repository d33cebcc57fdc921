"""A word as a model writes it: its marks, its plain form, and the words no sentence ends on."""

from __future__ import annotations

MARKS = frozenset(".,?!;:")
ENDS = frozenset(".?!")
# Words that end no sentence and name nobody ("we met with", "is on", "fund the", "move that
# we"): no stop goes after one of them, and a motion's "second" does not follow one.
FUNCTION_WORDS = frozenset({
    "the", "a", "an", "of", "on", "in", "at", "with", "to", "for", "and", "or", "but", "is",
    "are", "was", "were", "be", "by", "from", "as", "that", "this", "our", "my", "your",
    "their", "his", "her", "its", "we", "i", "you", "they"})


def plain(word: str) -> str:
    """A word without case or marks ("Anderson?" and "anderson" are one)."""
    return "".join(ch for ch in word.lower() if ch.isalnum())
