"""Hallucination and noise guards: remove what Whisper wrote where nobody spoke.

Whisper invents text over silence, music and noise ("Thank you.", "Thanks for watching!"),
writes sound tags ("[Music]", "♪") and can loop a phrase many times. `clean` drops
segments the transcriber itself doubted, sound tags and known stock phrases said without
conviction, collapses loops to one saying, and notes for staff what it removed and where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from archivist.domain.models import Segment, Transcript, Word

# Whisper's own rule for silence (faster-whisper defaults), and its repetition threshold.
NO_SPEECH = 0.6
LOW_LOGPROB = -1.0
HIGH_COMPRESSION = 2.4
LOW_WORD_PROB = 0.3       # mean word probability of text nobody said
MAX_PHRASE = 8            # longest looped phrase looked for, in words
MIN_REPEATS = 3           # a phrase said this many times running is a loop (single words: 4)
FEW_WORDS = 3             # fewer words than this in a long recording is "almost no speech"
ALONE = 2.0               # seconds of nothing said either side that leave a stock phrase alone

# Stock phrases from Whisper's training captions: credits are always invented; video sign-offs
# are never said in a meeting; the ones a chair does say ("Thank you.") need Whisper's own doubt.
_CREDITS = re.compile(r"amara\.org|subtitles? (by|created)|captions? by|transcri(bed|ption) by|"
                      r"translated by|www\.|\.com\b", re.I)
_SIGN_OFF = re.compile(r"^(thanks? (you )?(so much )?for watching|please subscribe|like and subscribe|"
                       r"see you (next time|in the next video)|"
                       r"i hope you (enjoyed|liked) (this|the) video)[.!]?$", re.I)
_SAID_IN_MEETINGS = re.compile(r"^(thank you|bye|you)[.!]?$", re.I)
_TAG = re.compile(r"\[[^\]]*\]|\([^)]*\)|[♪♫♬♩*]+")


@dataclass(slots=True)
class _Report:
    doubted: list[float]
    tags: list[str]
    stock: list[float]
    loops: list[tuple[float, float, int, str]]   # (from, to, times, what)


def _stamp(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


def _mean_probability(seg: Segment) -> float:
    return sum(w.probability for w in seg.words) / len(seg.words) if seg.words else 1.0


def _doubted(seg: Segment) -> bool:
    """Tell whether the transcriber's own figures say nobody spoke this.

    Each rule needs a low average log-probability as well: the voice-activity filter has
    already let only speech through, and on real speech said fast or in noise the word
    probabilities and no-speech figure alone are often poor (measured on the development
    corpus: 4 of the 5 segments the looser rules dropped were real speech).
    """
    if seg.avg_logprob > LOW_LOGPROB:
        return False
    return (seg.no_speech_prob >= NO_SPEECH or _mean_probability(seg) < LOW_WORD_PROB
            or seg.compression_ratio > HIGH_COMPRESSION)


def _stock(seg: Segment, text: str, alone: bool) -> bool:
    """Is this a captioning credit, or a stock phrase said alone that nobody said?

    Whisper invents "Thank you." over a silence or a recess; a chair says it between two
    speakers, often with middling figures (noise, a fast voice). On the corpus every
    "Thank you." dropped on looser figures (no-speech 0.2, log-probability -0.7) was real:
    seen real ones reach no-speech 0.39 and log-probability -0.74. So one is dropped only
    when it is alone (nothing said within ALONE seconds either side) and Whisper's own
    figures doubt it; a video's sign-off said alone is dropped on any doubt.
    """
    if _CREDITS.search(text):
        return True
    said = text.strip()
    if not alone:
        return False
    if _SIGN_OFF.match(said):
        return seg.no_speech_prob >= 0.2 or seg.avg_logprob <= -0.7 or _mean_probability(seg) < 0.6
    return bool(_SAID_IN_MEETINGS.match(said)) and (
        seg.no_speech_prob >= NO_SPEECH or seg.avg_logprob <= LOW_LOGPROB
        or _mean_probability(seg) < LOW_WORD_PROB)


def stock(text: str) -> bool:
    """Is `text` a phrase Whisper invents over noise: a credit, a video's sign-off, or a bare
    "Thank you." (said in meetings too, so `clean` weighs it; alone it proves nothing)?"""
    said = text.strip()
    return bool(_CREDITS.search(said) or _SIGN_OFF.match(said) or _SAID_IN_MEETINGS.match(said))


def looped(words: list[str]) -> bool:
    """Do `words` say a phrase over and over (what `clean` would collapse)?"""
    return bool(_collapse([(k, w, 0.0) for k, w in enumerate(words)], _Report([], [], [], [])))


def said_once(segments: list[Segment]
              ) -> tuple[list[Segment], list[str], list[tuple[float, float]]]:
    """`segments` with each looped phrase said once (as `clean` would leave them), a note for
    each loop collapsed (as `clean` writes it) and the stretch each loop filled (its first
    saying's start to its last saying's). The transcriber collapses loops after it has decoded
    the skipped speech again once, and decodes again what the loops filled: that stretch is
    speech the model did not hear (tiny.en's "Present." said over a roll call and what follows it)."""
    report = _Report([], [], [], [])
    said = _without_loops(segments, report)
    return said, _loop_notes(report.loops), [(a, b) for a, b, _n, _w in report.loops]


def _untagged_words(words: tuple[Word, ...], tags: list[str]) -> tuple[Word, ...]:
    """Return `words` without sound tags ("[Music]", "(applause)", "♪"), noting those removed."""
    kept: list[Word] = []
    depth = 0
    tag = ""
    for w in words:
        text = w.word.strip()
        opens = text.count("[") + text.count("(")
        if depth or opens:
            tag += (" " if tag else "") + text
            depth += opens - text.count("]") - text.count(")")
            if depth <= 0:
                depth = 0
                tags.append(tag)
                tag = ""
            continue
        if text and not _TAG.sub("", text).strip():
            tags.append(text)
            continue
        kept.append(w)
    if tag:
        tags.append(tag)
    return tuple(kept)


def _said(words: tuple[Word, ...]) -> str:
    """The words as Whisper spaces them: a word's own leading space says where one word ends.

    Joining stripped words with spaces would split what the model gave as several pieces of one
    word ("$51", ",000", ",000" read "$51 ,000 ,000")."""
    return "".join(w.word for w in words).strip()


def _spoken(seg: Segment, report: _Report) -> Segment | None:
    """Return `seg` without sound tags, or None if nothing said is left in it."""
    text = seg.text.strip()
    if seg.words:
        words = _untagged_words(seg.words, report.tags)
        if not words:
            return None
        if words != seg.words:
            seg = replace(seg, words=words, text=_said(words),
                          start=words[0].start, end=words[-1].end)
        return seg
    found = _TAG.findall(text)
    if not found:
        return seg if text else None
    report.tags.extend(t.strip() for t in found)
    rest = " ".join(_TAG.sub(" ", text).split())
    return replace(seg, text=rest) if rest else None


def _key(word: str) -> str:
    return "".join(c for c in word.lower() if c.isalnum())


def _collapse(items: list[tuple[int, str, float]], report: _Report) -> set[int]:
    """Return the indexes of `items` (index, word, start) that repeat a looped phrase."""
    keys = [_key(word) for _, word, _ in items]
    dropped: set[int] = set()
    i, n = 0, len(items)
    while i < n:
        step = 1
        for size in range(1, MAX_PHRASE + 1):
            need = MIN_REPEATS + (1 if size == 1 else 0)
            if i + size * need > n:
                break
            if keys[i + size] != keys[i]:
                continue   # the words after are not this phrase again: no loop of this size
            phrase = keys[i:i + size]
            if not any(phrase):
                continue
            repeats = 1
            while keys[i + repeats * size:i + (repeats + 1) * size] == phrase:
                repeats += 1
            if repeats >= need:
                said = " ".join(word.strip() for _, word, _ in items[i:i + size])
                report.loops.append((items[i][2], items[i + size * repeats - 1][2], repeats, said))
                dropped.update(items[k][0] for k in range(i + size, i + size * repeats))
                step = size * repeats
                break
        i += step
    return dropped


def clean(transcript: Transcript) -> Transcript:
    """Return `transcript` with suspect material removed and notes saying what and where."""
    report = _Report([], [], [], [])
    spoken: list[Segment] = []
    for seg in transcript.segments:
        if _doubted(seg) and (seg.text.strip() or seg.words):
            report.doubted.append(seg.start)
            continue
        said = _spoken(seg, report)
        if said is not None:
            spoken.append(said)
    kept: list[Segment] = []
    for k, seg in enumerate(spoken):
        before = spoken[k - 1].end if k else float("-inf")
        after = spoken[k + 1].start if k + 1 < len(spoken) else float("inf")
        alone = seg.start - before > ALONE and after - seg.end > ALONE
        if _stock(seg, seg.text, alone):
            report.stock.append(seg.start)
            continue
        kept.append(seg)
    segments = _without_loops(kept, report)
    notes = list(transcript.notes)
    for note in _notes(report, segments, transcript):
        if note not in notes:
            notes.append(note)
    return replace(transcript, segments=tuple(segments), notes=tuple(notes))


def _without_loops(segments: list[Segment], report: _Report) -> list[Segment]:
    """Return `segments` with each looped phrase said once."""
    # Loops cross segment boundaries ("Thank you." as ten segments), so look at all words.
    items: list[tuple[int, str, float]] = []
    spans: list[tuple[int, int]] = []
    for seg in segments:
        first = len(items)
        if seg.words:
            items.extend((first + k, w.word, w.start) for k, w in enumerate(seg.words))
        else:   # no word times: each word's taken as said in its share of the segment
            said = seg.text.split()
            share = (seg.end - seg.start) / max(len(said), 1)
            items.extend((first + k, word, seg.start + k * share) for k, word in enumerate(said))
        spans.append((first, len(items)))
    dropped = _collapse(items, report)
    if not dropped:
        return segments
    out: list[Segment] = []
    for seg, (a, b) in zip(segments, spans):
        keep = [k - a for k in range(a, b) if k not in dropped]
        if len(keep) == b - a:
            out.append(seg)
        elif not keep:
            continue
        elif seg.words:
            words = tuple(seg.words[k] for k in keep)
            out.append(replace(seg, words=words, text=_said(words),
                               start=words[0].start, end=words[-1].end))
        else:   # it ends where the words kept would, so the stretch the loop filled is a gap
            said = seg.text.split()
            out.append(replace(seg, text=" ".join(said[k] for k in keep),
                               end=seg.start + (seg.end - seg.start) * len(keep) / len(said)))
    return out


def _at(times: list[float]) -> str:
    shown = ", ".join(_stamp(t) for t in times[:5])
    return shown + (f" and {len(times) - 5} more" if len(times) > 5 else "")


def _notes(report: _Report, segments: list[Segment], original: Transcript) -> list[str]:
    notes: list[str] = []
    if report.doubted:
        notes.append(f"dropped {len(report.doubted)} low-confidence passage(s) "
                     f"with no clear speech "
                     f"at {_at(report.doubted)}")
    if report.tags:
        examples = ", ".join(sorted(set(report.tags))[:3])
        notes.append(f"removed {len(report.tags)} sound tag(s) such as {examples}")
    if report.stock:
        notes.append(f"dropped {len(report.stock)} stock phrase(s) Whisper invents over silence "
                     f"at {_at(report.stock)}")
    notes.extend(_loop_notes(report.loops))
    words = sum(len(s.words) or len(s.text.split()) for s in segments)
    if words == 0:
        notes.append("no speech found")
    elif words < FEW_WORDS and original.duration >= 60:
        notes.append(f"almost no speech found ({words} word(s) in {_stamp(original.duration)})")
    return notes


def _loop_notes(loops: list[tuple[float, float, int, str]]) -> list[str]:
    notes = [f"collapsed a phrase repeated {repeats} times at {_stamp(start)}–{_stamp(end)}: "
             f"\"{said}\"" for start, end, repeats, said in loops[:10]]
    if len(loops) > 10:
        notes.append(f"collapsed {len(loops) - 10} more repeated phrases")
    return notes
