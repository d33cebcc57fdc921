"""What a live session tells the model was said before its buffer: the prompt.

The last `prompt_words` words sent, and before them (with `prompt_names`) the names among the
words sent: capitalised words not opening a sentence, the last `prompt_names` of them, each
once. Only words said before the buffer's start: the model would take words the buffer holds
as said already, and skip them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from archivist.domain.models import Word
from archivist.domain.proper_names import ABBREVIATED

# Marks around a name as the model writes it ("Whitaker," "Moreno.").
_AROUND_NAMES = ".,?!;:\"'"


class Prompt:
    """The words sent, as far as the prompt remembers them, and the names among them."""

    def __init__(self, words: int, names: int) -> None:
        self._names_kept = names
        self._said: deque[Word] = deque(maxlen=words)   # the last words sent
        self._names: dict[str, Word] = {}    # names among the words sent, the latest last
        self._opens_sentence = True          # the next word sent begins a sentence

    def before(self, start: float) -> str:
        """The words sent before stream time `start` (the last `prompt_words`), after the names
        sent before it (the last `prompt_names`)."""
        names = [name for name, w in self._names.items() if w.end <= start + 0.05]
        words = " ".join(w.word.strip() for w in self._said if w.end <= start + 0.05)
        return " ".join(filter(None, (", ".join(names[-self._names_kept:])
                                      if self._names_kept else "", words)))

    def sent(self, words: Sequence[Word]) -> None:
        """`words` were just sent."""
        self._said.extend(words)
        if self._names_kept:
            self._heard_names(words)

    def _heard_names(self, words: Sequence[Word]) -> None:
        """Keep the names among `words` just sent: capitalised, not opening a sentence, not
        "I" ("I'm", "I'll") nor a title's abbreviation ("Mr.", whose stop ends no sentence)."""
        for w in words:
            written = w.word.strip()
            said = written.strip(_AROUND_NAMES)
            title = f"{said.lower()}." in ABBREVIATED     # "Mr." or "Mr"
            if said[:1].isupper() and not self._opens_sentence and not title \
                    and said.replace("\u2019", "'").split("'")[0] != "I":
                self._names.pop(said, None)
                self._names[said] = w
                if len(self._names) > self._names_kept:
                    del self._names[next(iter(self._names))]
            self._opens_sentence = not title and written.endswith((".", "?", "!"))
