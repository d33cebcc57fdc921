"""Chapters from a transcript: where each agenda item, hearing, comment period and vote begins.

Deterministic rules over what chairs actually say ("the next item is…", "I'll open the public
hearing", "will the clerk call the roll"). Each chapter keeps the sentence that started it and
the rule that fired, so staff can see why it is there. No model, no guessing beyond the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from archivist.domain.models import Transcript
from archivist.domain.publishing.vod import Chapter

TITLE_MAX = 60
# Consecutive chapters of one kind closer than this are one moment ("Is there a motion?" …
# "All in favor"), so only the first is kept.
MERGE_WITHIN = 60


@dataclass(frozen=True, slots=True)
class ChapterMark:
    """A chapter found in a transcript, with the evidence for it."""

    offset: int          # whole seconds from the start
    title: str
    kind: str            # call_to_order, roll_call, item, hearing_open, ..., adjournment
    rule: str            # which rule fired, in words
    said: str            # the sentence that fired it

    @property
    def chapter(self) -> Chapter:
        return Chapter(offset=self.offset, title=self.title, body=self.said)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: float
    text: str


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    title: Callable[[re.Match[str]], str]
    explains: str


def _fixed(title: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: title


def _topic(match: re.Match[str]) -> str:
    return short_title(match["what"])


def _motion(match: re.Match[str]) -> str:
    what = match.groupdict().get("what")
    return short_title(f"Motion to {what}") if what else "Motion"


def _r(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


# Order matters: the first rule that matches a sentence names it.
RULES: tuple[_Rule, ...] = (
    _Rule("call_to_order", _r(r"\bcall (?:this|the|our) [\w\s]*?(?:meeting|session|hearing)"
                              r"[\w\s]*? to order|\b(?:is|now) called to order\b"),
          _fixed("Call to order"), 'the chair calls the meeting to order'),
    _Rule("roll_call", _r(r"\b(?:call|take) (?:the )?roll\b|\broll call\b"),
          _fixed("Roll call"), 'the roll is called'),
    _Rule("pledge", _r(r"\bpledge of allegiance\b"), _fixed("Pledge of Allegiance"),
          'the Pledge of Allegiance'),
    _Rule("hearing_open", _r(r"\b(?:open|opening|reopen)\b[\w\s]*?\bpublic hearing\b"
                             r"|\bpublic hearing is (?:now )?open"),
          _fixed("Public hearing opened"), 'the public hearing is opened'),
    _Rule("hearing_close", _r(r"\b(?:close|closing)\b[\w\s]*?\bpublic hearing\b"
                              r"|\bpublic hearing is (?:now )?closed"),
          _fixed("Public hearing closed"), 'the public hearing is closed'),
    _Rule("public_comment", _r(r"\b(?:move (?:on )?to|open|opening|now|begin|time for|turn to|"
                               r"go to|come to)\b[\w\s]*?\b(?:public comments?|citizen comments?|"
                               r"public forum|open forum)\b|^(?:public|citizen) comments?\b"),
          _fixed("Public comment"), 'public comment begins'),
    _Rule("adjournment", _r(r"\bmotion to adjourn\b|\b(?:is|are|stand|stands) (?:now )?adjourned\b"
                            r"|\bwe(?:'re| are) adjourned\b"),
          _fixed("Adjournment"), 'the meeting is adjourned'),
    _Rule("item", _r(r"\b(?:the )?(?:first|next|last|final|following) (?:agenda )?item"
                     r"(?: on (?:the|our|tonight's) agenda)?(?: tonight)? is (?P<what>.+)"),
          _topic, 'the chair announces an agenda item'),
    _Rule("item", _r(r"^(?:agenda )?item (?:number )?\w+\s*(?:is|[,:.-])\s*(?P<what>.+)"),
          _topic, 'the chair reads an item number'),
    _Rule("item", _r(r"^(?:next|now),? we (?:will|shall|'ll) (?:hear|consider|discuss|take up|"
                     r"move to|turn to|have) (?P<what>.+)"),
          _topic, 'the chair moves to the next business'),
    _Rule("item", _r(r"\blet(?:'s| us) (?:turn|move)(?: on)? to (?P<what>.+)"),
          _topic, 'the chair moves to the next business'),
    _Rule("motion", _r(r"\b(?:is there a|I(?:'d| would)? (?:like to )?(?:make a )?)?motion to "
                       r"(?P<what>(?!adjourn)[^?.!]+)"),
          _motion, 'a motion is made'),
    _Rule("motion", _r(r"\bis there a motion\b|\bI (?:so )?move\b|\bmoved and seconded\b"),
          _motion, 'a motion is made'),
    _Rule("vote", _r(r"\ball (?:those )?in favor\b|\broll call vote\b|\bmotion (?:carries|passes|"
                     r"fails)\b|\bresolution is adopted\b"),
          _fixed("Vote"), 'a vote is taken'),
)
# What a vote may conclude: it is no chapter of its own right after one of these.
_VOTED_ON = frozenset({"motion", "adjournment", "vote"})


def find_chapters(transcript: Transcript, merge_within: int = MERGE_WITHIN) -> list[ChapterMark]:
    """The chapters a transcript's words mark, in time order, near-duplicates merged."""
    return merge(marks(sentences(transcript)), merge_within)


def marks(said: Iterable[Sentence]) -> Iterator[ChapterMark]:
    """A mark for every sentence that one of the rules recognises."""
    for sentence in said:
        for rule in RULES:
            match = rule.pattern.search(sentence.text)
            if match:
                yield ChapterMark(int(sentence.start), rule.title(match), rule.kind, rule.explains,
                                  sentence.text[:200])
                break


def merge(found: Iterable[ChapterMark], within: int = MERGE_WITHIN) -> list[ChapterMark]:
    """Fold each chapter that continues the one just kept (same moment, within `within` s)."""
    kept: list[ChapterMark] = []
    for mark in sorted(found, key=lambda m: m.offset):
        last = kept[-1] if kept else None
        if last is None or (mark.offset - last.offset >= within and mark.offset != last.offset):
            kept.append(mark)
        elif _continues(mark, last):
            if last.title == "Motion" and mark.kind == "motion" and mark.title != "Motion":
                # "Is there a motion?" then "Motion to approve the resolution": keep the time
                # of the first and the words of the second.
                kept[-1] = replace(last, title=mark.title)
        elif mark.offset != last.offset:
            kept.append(mark)
    return kept


def _continues(mark: ChapterMark, last: ChapterMark) -> bool:
    """Whether `mark` is part of the moment `last` began rather than a new one."""
    if mark.kind == "vote":  # a vote closes the motion (or the motion to adjourn) before it
        return last.kind in _VOTED_ON
    if mark.kind == "item":
        return last.kind == "item" and _fold(mark.title) == _fold(last.title)
    return mark.kind == last.kind


def sentences(transcript: Transcript) -> list[Sentence]:
    """The transcript split into sentences, each timed by its first word."""
    out: list[Sentence] = []
    words: list[str] = []
    start: float | None = None
    for segment in transcript.segments:
        timed = [(w.start, w.word.strip()) for w in segment.words if w.word.strip()]
        if not timed:  # no word times: place sentences by their share of the segment's text
            timed = _spread(segment.start, segment.end, segment.text)
        for at, word in timed:
            if start is None:
                start = at
            words.append(word)
            if word.endswith((".", "?", "!")):
                out.append(Sentence(start, " ".join(words)))
                words, start = [], None
    if words and start is not None:
        out.append(Sentence(start, " ".join(words)))
    return out


def short_title(text: str, limit: int = TITLE_MAX) -> str:
    """A chapter title from a phrase: its topic, without the lead-in, within `limit` characters."""
    text = " ".join(text.split()).rstrip(" .?!,;:")
    # "a presentation from the director about the Maple Avenue project" → the project
    about = re.search(r"\b(?:about|regarding|concerning|on the subject of)\s+(.+)", text,
                      re.IGNORECASE)
    if about and len(about.group(1)) >= 12:
        text = about.group(1)
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)
    if len(text) > limit:
        cut = text[: limit - 1].rsplit(" ", 1)[0]
        text = cut.rstrip(" ,;:") + "…"
    return text[:1].upper() + text[1:]


def _spread(start: float, end: float, text: str) -> list[tuple[float, str]]:
    tokens = text.split()
    step = (end - start) / max(1, len(tokens))
    return [(start + i * step, token) for i, token in enumerate(tokens)]


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))
