"""A roll call the model wrote run on, written out: each answer a sentence of its own.

A small model may write a whole roll call as one run-on line ("council member her air present
council member menseth present ..."), and write it so again when the stretch is decoded alone.
Its shape says where the sentences are: a title and a name, then one of a few answers. Written
out, the name before an answer ends a sentence ("Council member Herrera."), the answer is one
("Present."), and the word after it starts the next; a name the recording writes with a capital
elsewhere gets its capital here too. No word changes: only capitals and end marks are added, and
only around the answers the model left bare inside a roll call (answers close together, at least
punctuation.ROLL_CALL_ANSWERS of them): prose that says "present" or "here", and a roll call the
model wrote out itself ("Lopez, present, Ramirez, present?"), are left as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

from archivist.domain import punctuation

# Answers at most this many words apart belong to one roll call: a title and a name between
# ("council member van der berg present" is five).
_GAP = 6
_END = ".?!"


def written_out(words: Sequence[str], names: punctuation.Names) -> list[str]:
    """`words` (as the model gives them, " present") with each roll call in them written out;
    every other word as it was. `names`: the words the recording writes with a capital."""
    out = list(words)
    for group in _roll_calls(out):
        for k in group:
            if _marked(out[k]):   # the model wrote this answer out itself
                continue
            for i in range(max(0, k - _GAP), k):
                if out[i].strip() and out[i] in names:
                    out[i] = _capital(out[i])
            before = _before(out, k)
            if before is not None and not _marked(out[before]) and not _is_answer(out[before]):
                out[before] = _ended(out[before])
            if before is None or _ended_sentence(out[before]):
                out[k] = _capital(out[k])
            out[k] = _ended(out[k])
            after = _after(out, k)
            if after is not None:
                out[after] = _capital(out[after])
    return out


def _roll_calls(words: Sequence[str]) -> list[list[int]]:
    """The indexes of the answers of each roll call in `words`, one list a roll call."""
    groups: list[list[int]] = []
    spoken = [i for i, w in enumerate(words) if w.strip()]
    position = {i: n for n, i in enumerate(spoken)}   # word index -> count of spoken words
    for i in spoken:
        if not _is_answer(words[i]):
            continue
        if groups and position[i] - position[groups[-1][-1]] <= _GAP:
            groups[-1].append(i)
        else:
            groups.append([i])
    return [g for g in groups if len(g) >= punctuation.ROLL_CALL_ANSWERS]


def _is_answer(word: str) -> bool:
    return punctuation.plain(word) in punctuation.ANSWERS


def _before(words: Sequence[str], k: int) -> int | None:
    return next((i for i in range(k - 1, -1, -1) if words[i].strip()), None)


def _after(words: Sequence[str], k: int) -> int | None:
    return next((i for i in range(k + 1, len(words)) if words[i].strip()), None)


def _marked(word: str) -> bool:
    """Whether the word already ends with a mark (the model's own stays as it is)."""
    return word.rstrip()[-1:] in punctuation.MARKS


def _ended_sentence(word: str) -> bool:
    return word.rstrip()[-1:] in _END


def _ended(word: str) -> str:
    """The word with a full stop after it, the space before it kept."""
    stripped = word.rstrip()
    return stripped + "." + word[len(stripped):]


def _capital(word: str) -> str:
    """The word with its first letter a capital, the space before it kept."""
    lead = len(word) - len(word.lstrip())
    return word[:lead] + word[lead:lead + 1].upper() + word[lead + 1:]
