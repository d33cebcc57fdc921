"""The punctuation watch: says when marks and capitals have collapsed in what the model has
written so far, and lends a second try's capitals and marks to the first try's words (or a
roll call's own shape its marks)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Any

from archivist.domain import proper_names, punctuation, roll_call, sentence_stops
from archivist.domain.models import Segment, Word

# Punctuation is judged over runs of this many words, once this many runs are heard; a collapse
# is this many runs in a row below the floor.
_RUN_WORDS = 60
_HISTORY_RUNS = 3
_COLLAPSE_RUNS = 2
# A run of 60 words swings more than a sixth of a recording: a run counts as collapsed below
# this share of what its words would carry (the report judges sixths at COLLAPSED_SHARE).
_RUN_FLOOR = 0.5


class PunctuationWatch:
    """Says when punctuation has collapsed: each of the latest _COLLAPSE_RUNS runs of
    _RUN_WORDS words has fewer marks and capitals than _RUN_FLOOR of what its words would carry
    written out (punctuation.expected: the report's own judgement, on shorter stretches).

    Only a collapse that lasts counts: in noise the model writes the odd stretch of lowercase
    and comes back by itself, and decoding such a stretch again changes what follows for no
    gain. Nor is anything judged before _HISTORY_RUNS runs: the names the recording writes with
    capitals are learnt from its words first. (The opening, and whatever the watch does not
    see, the report's own judgement finds at the end: `collapsed_runs`.)
    """

    def __init__(self) -> None:
        self._names = punctuation.Names()  # learnt from every word heard, kept across retries
        self._words: list[Word] = []   # the words of the segments seen so far
        self._segments = 0             # how many segments those are
        self._checked = 0              # words seen at the last check
        self._quiet_until = 0          # no new try before this many words

    def replaced(self) -> None:
        """The latest words were decoded again: measure them afresh."""
        self._words.clear()
        self._segments = 0
        self._checked = 0

    def collapse(self, segments: Sequence[Segment]) -> int | None:
        """The index of the segment where a collapsed stretch begins, or None. `segments` is
        all heard so far: the same list, grown, from one call to the next (or replaced())."""
        for segment in segments[self._segments:]:  # only the new ones: hours of words add up
            self._words.extend(segment.words)
            self._names.add(w.word for w in segment.words)
        self._segments = len(segments)
        words = self._words
        if len(words) - self._checked < _RUN_WORDS // 4:
            return None
        self._checked = len(words)
        if len(words) < _RUN_WORDS * _HISTORY_RUNS or len(words) < self._quiet_until:
            return None
        latest = words[-_RUN_WORDS * _COLLAPSE_RUNS:]
        for k in range(_COLLAPSE_RUNS):
            run = [w.word for w in latest[k * _RUN_WORDS:(k + 1) * _RUN_WORDS]]
            floor = punctuation.expected(run, self._names) * _RUN_FLOOR
            if punctuation.density(run).per_100 >= floor:
                return None
        # Try once for this stretch; the next try only after as many words again.
        self._quiet_until = len(words) + len(latest)
        begins = latest[0].start
        return next(i for i, s in enumerate(segments) if s.end > begins)


def collapsed_runs(words: Sequence[str]) -> list[tuple[int, int]]:
    """The stretches of `words` (start, end indexes) the report would judge collapsed: in each
    sixth below punctuation.COLLAPSED_SHARE of what its words would carry, the runs of
    _RUN_WORDS words below that share too (with sentences as long as the recording's own), those
    side by side joined. (Only those runs: on
    dev 1003 a sixth falls short by a roll call written run on, and a second try at the whole
    sixth changes well-heard words too.)"""
    judged = punctuation.health(words)
    names = punctuation.Names()
    names.add(words)
    size = len(words) / len(judged.parts) if words else 0
    found: list[tuple[int, int]] = []
    for k, share in enumerate(judged.shares):
        if share >= punctuation.COLLAPSED_SHARE:
            continue
        last = round((k + 1) * size)
        for start in range(round(k * size), last, _RUN_WORDS):
            end = min(last, start + _RUN_WORDS)
            run = words[start:end]
            if punctuation.density(run).per_100 >= punctuation.COLLAPSED_SHARE * (
                    punctuation.expected(run, names, judged.sentence_words)):
                continue
            if found and found[-1][1] == start:
                start = found.pop()[0]
            found.append((start, end))
    return found


def marked_like(old: Sequence[Segment], new: Sequence[Word]) -> list[Segment]:
    """`old`'s segments, each word written as `new` writes it (its capital, its marks) where
    the two tries say the same words in the same order; elsewhere as `old` has it. The words,
    their times and how sure the model is of them stay `old`'s: a second try decoded without
    the text before it is better punctuated but hears some words worse (on dev 1003 with
    `base`, "a motion" -> "emotion", "quorum" -> "warim": 1.0 WER point over bare)."""
    written = [w.word for s in old for w in s.words]
    matcher = SequenceMatcher(None, [_plain(w) for w in written], [_plain(w.word) for w in new],
                              autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            i, j = block.a + k, block.b + k
            if written[i].strip():
                written[i] = _lent(written[i], new[j].word)
    return _rewritten(old, written)


def _lent(first: str, second: str) -> str:
    """The word `first` (" short", "-term") written as `second` writes it: its capital, its
    marks. How it joins the word before stays the first try's: its space, or for a piece glued
    on (no space: "-term", "'s") the marks it is glued on with; a second try that writes the
    piece apart (" term") or glues on a word written apart ("-term" for " term") would make
    "shortterm" or "short -term". A mark that opens a word (a quote, a bracket) is lent
    either way: ' hello' written '"Hello' is ' "Hello'."""
    lead = first[:len(first) - len(first.lstrip())]
    if lead:
        written = second.strip()
        return lead + (written if second[:1].isspace() else written.lstrip(_JOINS) or written)
    body = first.strip()
    joint = body[:len(body) - len(body.lstrip(_MARKS))]
    return lead + joint + second.strip().lstrip(_MARKS)


def roll_calls_written_out(segments: Sequence[Segment]) -> list[Segment]:
    """`segments` with each roll call the model wrote run on written out (roll_call.written_out:
    capitals and end marks only; names, those the recording writes with a capital). A second
    try does not mend one: tiny.en writes dev 2108's opening roll call run on alone too."""
    words = [w.word for s in segments for w in s.words]
    names = punctuation.Names()
    names.add(words)
    return _rewritten(segments, roll_call.written_out(words, names))


def stops_put_back(segments: Sequence[Segment]) -> list[Segment]:
    """`segments` with the stop put back where the model began a sentence with a capital after
    a pause but did not end the one before, each motion step it set off with commas a
    sentence, and the chair's question it ran into "seeing none" ended (sentence_stops: marks
    and capitals only); then the names that stand as names (after a title, after "my name is",
    a street's) with their capitals (proper_names: after the stops, so that a name's new
    capital after a pause is not read as a sentence's start)."""
    words = [w for s in segments for w in s.words]
    names = punctuation.Names()
    names.add(w.word for w in words)
    return _rewritten(segments, proper_names.capitalised(sentence_stops.questions_ended(
        sentence_stops.steps_ended(sentence_stops.put_back(words, names)))))


def vocabulary_cased(segments: Sequence[Segment], vocabulary: Sequence[str],
                     everyday: Callable[[str], bool] = lambda word: True) -> list[Segment]:
    """`segments` with the station's vocabulary (whisper.vocabulary, the city's) written as the
    station typed it (proper_names.as_typed: case and a name's own marks only; a one-word term
    that is an everyday word, `everyday`, only where it stands as a name)."""
    if not vocabulary:
        return list(segments)
    words = [w.word for s in segments for w in s.words]
    return _rewritten(segments, proper_names.as_typed(words, vocabulary, everyday))


def everyday_words(model: Any) -> Callable[[str], bool]:
    """Whether a word (plain, lowercase) is an everyday word: one the model's tokenizer has
    as a single token after a space (" grant", " park"), as common words are; a rare name
    ("oyelaran") takes several. Without a tokenizer every word counts as everyday."""
    tokenizer = getattr(model, "hf_tokenizer", None)

    def everyday(word: str) -> bool:
        return tokenizer is None or len(
            tokenizer.encode(" " + word, add_special_tokens=False).ids) == 1

    return everyday


def _rewritten(old: Sequence[Segment], written: Sequence[str]) -> list[Segment]:
    """`old`'s segments with their words written as `written` has them, in order."""
    out, k = [], 0
    for segment in old:
        count = len(segment.words)
        if count:
            marked = tuple(replace(w, word=text) for w, text in
                           zip(segment.words, written[k:k + count], strict=True))
            segment = replace(segment, words=marked,
                              text="".join(w.word for w in marked).strip())
        out.append(segment)
        k += count
    return out


def _plain(word: str) -> str:
    """The word without its capitals and the marks around it; inner apostrophes and hyphens
    stay, so "its" and "it's", "well" and "we'll" are different words, not a mark apart."""
    return word.lower().strip().strip(_MARKS)


_MARKS = ".,?!;:\"'()[]…-—“”‘’"
_JOINS = "-—"   # the marks a piece is glued on to the word before with
