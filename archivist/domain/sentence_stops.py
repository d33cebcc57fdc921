"""A sentence the model began with a capital but did not end: its stop put back.

A small model drops stops while it still writes the next sentence's capital after the speaker's
pause ("to order Will the clerk", "the report The estimated cost": tiny.en on dev 2108). The
capital and the pause together say a sentence ends there: where the word before has no mark,
the capital word is not "I", and the voice paused at least PAUSE seconds between the two
(NAME_PAUSE before a name the recording writes with a capital, punctuation.Names), the word
before gets a full stop. No word changes, and a capital with no pause before it ("our City
Attorney") is left as it is. The times are the voice's (after voicing.fit): Whisper's own run
into the pauses.

A motion's steps the model set off with commas are sentences too (votes.motion_steps):
"the resolution, second, any discussion" is "the resolution. Second. Any discussion" (dev 1001,
tiny.en). Only a step with a comma (or a sentence's end) on both sides: the model's own marks
say where it begins and ends, and the commas become stops; and only where another step or
a vote's answers follow it: "Seeing none, we will move on" is one sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from archivist.domain import punctuation, votes
from archivist.domain.marks import FUNCTION_WORDS, MARKS, plain
from archivist.domain.models import Word

# Between sentences a speaker pauses; before a name inside one, seldom. On dev 2108 (tiny.en)
# every name capitalised inside a sentence follows no pause at all, and the capitals after a
# dropped stop pauses of 0.36 s and more; those the recording also counts as names (the
# dropped stops put "My", "Thank", "We" inside sentences often) follow pauses of 0.58-10 s.
# A speaker also hesitates mid-sentence ("we met with ... Jennifer Lopez"): so never a stop
# after a word no sentence ends on (FUNCTION_WORDS), or before a capital that
# needs no sentence (an acronym, "OK", a weekday, a month; not "May", which starts
# questions). The pause stays at 0.3 s: on the dev transcripts (tiny.en and base.en, 1001-
# 1003, 2101, 2108, 2109) sentence ends after pauses of 0.32-0.49 s are common ("quorum.
# Please", "mayor. The"), and 0.5 s lost them (2108: sixth 2 0.93 -> 0.90 of the script).
PAUSE = 0.3
NAME_PAUSE = 0.5
_I = frozenset({"I", "I'm", "I'll", "I've", "I'd"})
_CAPITAL_ANYWHERE = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december"})
_CLOSING = "\"')]}\u201d\u2019"
_CUT = ("-", "\u2026", "...")
# The words that start a vote's answers after a step ("all in favor, aye", "any opposed, nay").
_ANSWER_RUN = votes.ANSWERS | {"opposed"}


def put_back(words: Sequence[Word], names: punctuation.Names) -> list[str]:
    """The text of each of `words` (" The"), with a stop after each word that ends a sentence
    the model left unended before its own capital."""
    out = [w.word for w in words]
    spoken = [i for i, w in enumerate(words) if w.word.strip()]
    for n, (before, i) in enumerate(zip(spoken, spoken[1:])):
        word, last = words[i].word.strip(), out[before].rstrip()
        pause = words[i].start - words[before].end
        if ((_may_end(last) or _thanks(out, spoken, n, word)) and _starts_sentence(word)
                and pause >= (NAME_PAUSE if word in names else PAUSE)):
            out[before] = last + "." + out[before][len(last):]
    return out


def _thanks(out: Sequence[str], spoken: Sequence[int], n: int, word: str) -> bool:
    """Whether the unmarked word at spoken[n] ends "thank you" and `word` after it no name
    ("Thank you My name is"; "Thank you Mayor Grant" stays one)."""
    last = out[spoken[n]].rstrip()
    return (n > 0 and plain(out[spoken[n - 1]]) == "thank" and plain(last) == "you"
            and last[-1:] not in MARKS and plain(word) in FUNCTION_WORDS)


def _may_end(last: str) -> bool:
    """Whether a sentence the model left unended may end on `last`: no mark of its own (inside
    closing quotes or brackets too: 'agree."'), not cut off ("con-"), no function word. (But
    "Thank you" is a sentence of its own: put_back ends it before a capital after a pause,
    "Thank you My name is", tiny.en on dev 2108 after a pause of 6 s.)"""
    bare = last.rstrip(_CLOSING)
    return (bare[-1:] not in MARKS and not bare.endswith(_CUT)
            and plain(bare) not in FUNCTION_WORDS)


def _starts_sentence(word: str) -> bool:
    """Whether the capital of `word` says a sentence starts: not "I", an acronym ("HVAC",
    "OK"), a weekday or a month, which are written with one anywhere."""
    letters = [ch for ch in word if ch.isalpha()]
    return (word[:1].isupper() and word not in _I
            and not (len(letters) > 1 and all(ch.isupper() for ch in letters))
            and plain(word) not in _CAPITAL_ANYWHERE)


def steps_ended(words: Sequence[str]) -> list[str]:
    """`words` (" second,") with each motion step the model set off with commas a sentence of
    its own: the commas around it stops, it and the word after it capitalised. Only where
    another step or the answers follow it ("second, all in favor", "all in favor, aye"), or
    a sentence ends with it: "seeing none, we will move on" and "all in favor, say aye" are
    one sentence each."""
    out = list(words)
    spoken = [i for i, w in enumerate(out) if w.strip()]
    plain_words = [plain(out[i]) for i in spoken]
    steps = votes.motion_steps(plain_words)
    starts = {start for start, _ in steps}
    for start, size in steps:
        first, last = spoken[start], spoken[start + size - 1]
        before = spoken[start - 1] if start > 0 else None
        after = spoken[start + size] if start + size < len(spoken) else None
        if not (_set_off(out, before) and _set_off(out, last)
                and not any(out[i].rstrip()[-1:] in MARKS
                            for i in spoken[start:start + size - 1])):
            continue
        if not (after is None or _ends_sentence(out[last]) or start + size in starts
                or plain_words[start + size] in _ANSWER_RUN):
            continue
        if before is not None:
            out[before] = _stopped(out[before])
        out[first] = _capital(out[first])
        out[last] = _stopped(out[last])
        if after is not None:
            out[after] = _capital(out[after])
    return out


def _ends_sentence(word: str) -> bool:
    return word.rstrip()[-1:] in ".?!"


def _set_off(words: Sequence[str], i: int | None) -> bool:
    """Whether the word at `i` ends with a comma or a sentence's end (or there is none)."""
    return i is None or words[i].rstrip()[-1:] in ",.?!"


def _stopped(word: str) -> str:
    """The word with its comma a full stop (an end mark kept), the space before it kept."""
    stripped = word.rstrip()
    if stripped[-1:] == ",":
        stripped = stripped[:-1]
    if stripped[-1:] not in ".?!":
        stripped += "."
    return stripped + word[len(word.rstrip()):]


def _capital(word: str) -> str:
    lead = len(word) - len(word.lstrip())
    return word[:lead] + word[lead:lead + 1].upper() + word[lead + 1:]


def questions_ended(words: Sequence[str]) -> list[str]:
    """`words` (" seeing") with the chair's question the model ran into what the chair saw
    ended with its question mark: "Is there any other business seeing none I will" is "Is there
    any other business? Seeing none, I will" (tiny.en, dev 2108). Only where the sentence opens
    as a question does (QUESTION_OPENERS: "is there", "any", "does anyone"), at most
    QUESTION_WORDS words before, and no mark stands between; the comma after what was seen only
    where the sentence goes on with no mark of the model's. ("Motion carries, hearing none, we
    are adjourned" and "we waited and seeing none we left" are no question.)"""
    out = list(words)
    spoken = [i for i, w in enumerate(out) if w.strip()]
    said = [plain(out[i]) for i in spoken]
    for n in range(1, len(said)):
        size = next((len(seen) for seen in _SEEN_NONE if tuple(said[n:n + len(seen)]) == seen), 0)
        if not size or not _asked_before(out, spoken, said, n):
            continue
        before, first, last = spoken[n - 1], spoken[n], spoken[n + size - 1]
        out[before] = _asked(out[before])
        out[first] = _capital(out[first])
        after = n + size
        if (after < len(said) and out[last].rstrip()[-1:] not in MARKS
                and not _starts_sentence(out[spoken[after]].strip())):
            out[last] = _commaed(out[last])
    return out


# What the chair sees after asking ("Any discussion? Seeing none, ..."), as one says it.
_SEEN_NONE = (("seeing", "none"), ("hearing", "none"), ("seeing", "no", "one"),
              ("hearing", "no", "one"), ("seeing", "nobody"), ("hearing", "nobody"))
# The first words of a chair's question: "Is there ...", "Are there ...", "Any ...", "Does
# anyone ...". At most QUESTION_WORDS words before what was seen.
QUESTION_OPENERS = frozenset({"is", "are", "any", "anyone", "anybody", "does", "do"})
QUESTION_WORDS = 10


def _asked_before(out: Sequence[str], spoken: Sequence[int], said: Sequence[str],
                  n: int) -> bool:
    """Whether the words before `n` are a question the model left unmarked: from a sentence's
    start (or the text's) that opens as a question, no mark among them."""
    for k in range(n - 1, max(-1, n - 1 - QUESTION_WORDS), -1):
        if out[spoken[k]].rstrip()[-1:] in MARKS:
            return False
        if k == 0 or out[spoken[k - 1]].rstrip()[-1:] in ".?!":
            return said[k] in QUESTION_OPENERS
    return False


def _asked(word: str) -> str:
    stripped = word.rstrip()
    return stripped + "?" + word[len(stripped):]


def _commaed(word: str) -> str:
    stripped = word.rstrip()
    return stripped + "," + word[len(stripped):]
