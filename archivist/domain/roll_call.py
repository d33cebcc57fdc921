"""A roll call the model wrote run on, written out: each answer a sentence of its own.

A small model may write a whole roll call as one run-on line ("council member her air present
council member menseth present ..."), and write it so again when the stretch is decoded alone.
Its shape says where the sentences are: a title and a name, then one of a few answers. Written
out, the name before an answer ends a sentence ("Council member Herrera."), the answer is one
("Present."), and the word after it starts the next; a name the recording writes with a capital
elsewhere gets its capital here too. No word changes: only capitals and end marks are added, and
only around the answers the model left bare inside a roll call (answers close together, a name
before each and the next name after it, no sentence ended among them, at least
votes.ROLL_CALL_ANSWERS of them): prose that says "present" or "here", and a roll call the
model wrote out itself ("Lopez, present, Ramirez, present?"), are left as they are.

A roll-call vote after the chair's call ("The clerk will call the roll.") is written out the
same way, its answers a vote's own words however spelt (votes.votes: "her air I mensith
yes lopez no" is "Her air. I. Mensith. Yes. Lopez. No."), where the model left every answer of it bare.
"""

from __future__ import annotations

from collections.abc import Sequence

from archivist.domain import punctuation, votes
from archivist.domain.marks import MARKS, plain

# Answers at most this many words apart belong to one roll call: a title and a name between
# ("council member van der berg present" is five).
_GAP = 6
_END = ".?!"
_END_MARKS = frozenset(_END)
# The words that say whose name follows in a roll call ("council member", "commissioner ...").
_TITLES = frozenset({
    "council", "member", "councilmember", "councilman", "councilwoman", "councilor",
    "councillor", "commissioner", "commission", "trustee", "director", "mayor", "supervisor",
    "alderman", "alderwoman", "alderperson", "chair", "chairman", "chairwoman", "chairperson",
    "vice", "board", "selectman", "selectwoman", "delegate", "senator", "representative",
})
# Words that make an answer the end of a sentence, not a name's ("the mayor is here"); no
# more than these: a small model hears names as other words ("council member cast you").
_NOT_NAMES = frozenset({"is", "are", "was", "were", "be", "been"})
# The last word of a vote's call ("call the roll").
_CALLED = frozenset(call[-1] for call in votes.CALLS)


def written_out(words: Sequence[str], names: punctuation.Names) -> list[str]:
    """`words` (as the model gives them, " present") with each roll call in them written out;
    every other word as it was. `names`: the words the recording writes with a capital."""
    out = list(words)
    roll_calls = _roll_calls(out)
    taken = {k for group in roll_calls for k in group}
    for group in roll_calls:
        _write_out(out, group, names)
    for group in _votes(out):
        if taken & set(group):
            continue
        call = next(i for i in range(group[0] - 1, -1, -1)
                    if plain(out[i]) in _CALLED)
        first = _after(out, call)
        if first is not None and plain(out[first]) in votes.GOES_ON and not _marked(out[call]):
            # "call the roll on item seven ... smith aye": the call's sentence goes on, and
            # ends before the first name.
            _end_before_name(out, call, group[0])
        else:
            # The call is a sentence of its own, and the first name starts the next.
            if not _marked(out[call]):
                out[call] = _ended(out[call])
            if first is not None:
                out[first] = _capital(out[first])
            if first is not None and _asks(out, first, group[0]):
                # "Please answer yes or no on the motion. Smith": the request is one too.
                _end_before_name(out, call, group[0])
        _write_out(out, group, names)
    return out


def _write_out(out: list[str], group: list[int], names: punctuation.Names) -> None:
    """Each answer of `group` a sentence of its own, the name before it ended, in place."""
    for k in group:
        if _marked(out[k]) and not _ended_sentence(out[k]):   # the model's own reading
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


def _asks(words: Sequence[str], start: int, end: int) -> bool:
    """Whether the chair asks for one of two ("answer yes or no") between `start` and `end`."""
    said = [plain(w) for w in words[start:end] if w.strip()]
    return any(votes.asked(said, n) for n in range(len(said)))


def _end_before_name(out: list[str], call: int, answer: int) -> None:
    """A full stop before the name the answer at `answer` follows, in place: the name is the
    word before the answer, or a title and the words after it ("council member van der
    berg"), or "her" and the word after it ("her air"), never reaching back to the call. Left
    as it is where the word before the name carries the sentence on to it ("for the")."""
    name = _before(out, answer)
    if name is None or name <= call:
        return
    i: int | None = name
    for _ in range(_GAP - 1):
        i = _before(out, i) if i is not None else None
        if i is None or i <= call or _is_answer(out[i]):
            break
        if _is_title(out[i]):
            name = i
            while (j := _before(out, name)) is not None and j > call and _is_title(out[j]):
                name = j
            break
    before = _before(out, name)
    if before is not None and before > call and plain(out[before]) == "her":
        name, before = before, _before(out, before)   # a name may start on it: "her air"
    if before is None or before <= call or plain(out[before]) in votes.GOES_ON:
        return
    if not _marked(out[before]):
        out[before] = _ended(out[before])
    out[name] = _capital(out[name])


def _roll_calls(words: Sequence[str]) -> list[list[int]]:
    """The indexes of the answers of each roll call in `words`, one list a roll call: answers
    close together, all of them bare and in a roll call's shape, no sentence ended among them;
    an answer no name follows is its roll call's last."""
    groups: list[list[int]] = []
    spoken = [i for i, w in enumerate(words) if w.strip()]
    position = {i: n for n, i in enumerate(spoken)}   # word index -> count of spoken words
    for i in spoken:
        if not _is_answer(words[i]):
            continue
        if (groups and position[i] - position[groups[-1][-1]] <= _GAP
                and not _last_answer(words, groups[-1][-1])):
            groups[-1].append(i)
        else:
            groups.append([i])
    return [g for g in groups
            if len(g) >= votes.ROLL_CALL_ANSWERS and _shaped(words, g)]


def _last_answer(words: Sequence[str], k: int) -> bool:
    """Whether the answer at `k` ends its roll call: no name starts on the word after it ("thank
    you, we are all here": the chair's talk; votes.NO_NAME_STARTS)."""
    after = _after(words, k)
    return after is not None and plain(words[after]) in votes.NO_NAME_STARTS


def _votes(words: Sequence[str]) -> list[list[int]]:
    """The indexes of the answers of each roll-call vote in `words` the model left bare (the
    answers as it heard them: votes.votes)."""
    spoken = [i for i, w in enumerate(words) if w.strip()]
    called = [[spoken[k] for k in vote] for vote in votes.votes([words[i] for i in spoken])]
    return [g for g in called if _bare(words, g)]


def _bare(words: Sequence[str], group: list[int]) -> bool:
    """Whether the model left the answers bare: none of them marked but the last, which may end
    the run-on sentence, and no sentence ended between the first and the last but at a name
    before an answer (a second try's stops: "Her air. I Mensith. I blend this. I")."""
    before_answers = {_before(words, k) for k in group}
    return (not any(_marked(words[k]) for k in group[:-1])
            and not any(_END_MARKS & set(words[i]) for i in range(group[0], group[-1])
                        if i not in before_answers))


def _shaped(words: Sequence[str], group: list[int]) -> bool:
    """Whether `group` reads as a roll call the model left bare: no answer punctuated, no
    sentence ended between the first answer and the last, a name before each answer (or an
    answer beside it, "aye aye aye"), and the word after each but the last starting the next
    name. Prose that says "present" or "here" three times fails at least one of these."""
    if not _bare(words, group):
        return False
    for n, k in enumerate(group):
        before, after = _before(words, k), _after(words, k)
        in_a_vote = any(j is not None and _is_answer(words[j]) for j in (before, after))
        if not in_a_vote and not _named_before(words, k):
            return False
        if n < len(group) - 1 and not in_a_vote and not _starts_name(words, after):
            return False
    return True


def _named_before(words: Sequence[str], k: int) -> bool:
    """Whether a name stands directly before the answer at `k`: a word written with a capital,
    or a title and up to a few name words ("council member van der berg")."""
    before = _before(words, k)
    if before is None:
        return False
    if _capitalised(words[before]) or _is_title(words[before]):
        return True
    i: int | None = before
    for _ in range(_GAP - 1):
        if i is None or _is_answer(words[i]) or plain(words[i]) in _NOT_NAMES:
            return False
        i = _before(words, i)
        if i is not None and _is_title(words[i]):
            return True
    return False


def _starts_name(words: Sequence[str], i: int | None) -> bool:
    return i is not None and (_capitalised(words[i]) or _is_title(words[i]))


def _capitalised(word: str) -> bool:
    return word.strip()[:1].isupper()


def _is_title(word: str) -> bool:
    return plain(word) in _TITLES


def _is_answer(word: str) -> bool:
    return plain(word) in votes.ANSWERS


def _before(words: Sequence[str], k: int) -> int | None:
    return next((i for i in range(k - 1, -1, -1) if words[i].strip()), None)


def _after(words: Sequence[str], k: int) -> int | None:
    return next((i for i in range(k + 1, len(words)) if words[i].strip()), None)


def _marked(word: str) -> bool:
    """Whether the word already ends with a mark (the model's own stays as it is)."""
    return word.rstrip()[-1:] in MARKS


def _ended_sentence(word: str) -> bool:
    return word.rstrip()[-1:] in _END


def _ended(word: str) -> str:
    """The word with a full stop after it (if it ends no sentence yet), the space before it
    kept."""
    stripped = word.rstrip()
    if stripped[-1:] in _END:
        return word
    return stripped + "." + word[len(stripped):]


def _capital(word: str) -> str:
    """The word with its first letter a capital, the space before it kept."""
    lead = len(word) - len(word.lstrip())
    return word[:lead] + word[lead:lead + 1].upper() + word[lead + 1:]
