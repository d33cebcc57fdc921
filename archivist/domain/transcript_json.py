"""The word-level JSON transcript: what `transcribe` writes and `render` reads back.

Shape: {"version": 1, "duration", "language", "model", "notes": [...],
        "segments": [{"start", "end", "text", "words": [{"start", "end", "word", "probability"}]}],
        "sounds": [{"start", "end", "kind"}]}  (sounds: music where no one speaks; may be absent)
A person may edit the text and times; `from_dict` checks what it needs and says where it is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from math import copysign
from typing import Any

from archivist.domain import rendered
from archivist.domain.errors import TranscriptFormatError
from archivist.domain.models import Segment, Sound, Transcript, Word

VERSION = 1


def to_dict(transcript: Transcript) -> dict[str, Any]:
    return {**_head(transcript), "segments": [_segment(s) for s in transcript.segments],
            "sounds": _sound_list(transcript)}


def _head(transcript: Transcript) -> dict[str, Any]:
    return {"version": VERSION, "duration": round(transcript.duration, 3),
            "language": transcript.language, "model": transcript.model,
            "notes": list(transcript.notes)}


def _segment(s: Segment) -> dict[str, Any]:
    return {
        "start": _rounded(s.start, 3),
        "end": _rounded(s.end, 3),
        "text": s.text.strip(),
        "avg_logprob": _rounded(s.avg_logprob, 4),
        "no_speech_prob": _rounded(s.no_speech_prob, 4),
        "compression_ratio": _rounded(s.compression_ratio, 3),
        "words": [
            {"start": _rounded(w.start, 3), "end": _rounded(w.end, 3), "word": w.word,
             "probability": _rounded(w.probability, 4)}
            for w in s.words
        ],
    }


def _rounded(value: float, places: int) -> float:
    """`value` rounded to `places`, always a float and never -0.0: what reading the JSON back
    makes of it (an integer read back is a float, -0.0 a plain 0.0), so the stored text is
    the same whichever way it is read."""
    return round(float(value), places) + 0.0


def _sound_list(transcript: Transcript) -> list[dict[str, Any]]:
    return [{"start": round(s.start, 3), "end": round(s.end, 3), "kind": s.kind}
            for s in transcript.sounds]


_SEGMENTS = '\n "segments": [],\n'   # where the segments go in the document without them


def dumps(transcript: Transcript) -> str:
    """The transcript as `json.dumps(to_dict(transcript), ensure_ascii=False, indent=1)`
    writes it, each segment written once: a correction rewrites a few lines of a long
    meeting, and the rest are as they were (json's indented writer is slow)."""
    text = _json({**_head(transcript), "segments": [], "sounds": _sound_list(transcript)})
    if not transcript.segments:
        return text + "\n"
    before, _, after = text.partition(_SEGMENTS)
    body = ",\n".join(_segment_json(s) for s in transcript.segments)
    return f'{before}\n "segments": [\n{body}\n ],\n{after}\n'


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def _segment_json(segment: Segment) -> str:
    """A segment as it sits in the document (two levels in)."""
    if isinstance(segment.words, tuple) and all(map(_plain, _numbers(segment))):
        return _remembered(segment)
    return _indented(segment)


@rendered.remembering("line json")
@lru_cache(maxsize=20_000)   # a 3-hour meeting has 2,500 segments; a few revisions are kept
def _remembered(segment: Segment) -> str:
    # Only for segments whose numbers are all plain floats: an int or -0.0 equals a float
    # (the same key) but is written differently.
    return _indented(segment)


def _indented(segment: Segment) -> str:
    return "  " + _json(_segment(segment)).replace("\n", "\n  ")


def _numbers(s: Segment) -> Iterator[Any]:
    yield from (s.start, s.end, s.avg_logprob, s.no_speech_prob, s.compression_ratio)
    for w in s.words:
        yield from (w.start, w.end, w.probability)


def _plain(x: Any) -> bool:
    return type(x) is float and (x > 0.0 or x < 0.0 or copysign(1.0, x) > 0.0)


def read(text: str) -> dict[str, Any]:
    """`to_dict(loads(text))`, without building every word for what `dumps` wrote.

    Its numbers are rounded already and every key is there, so only what `from_dict` would
    fill in at the top is checked; any other shape takes the long way, with the same result.
    """
    try:
        data: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptFormatError(f"not JSON: {exc}") from None
    if not _as_dumped(data):
        return to_dict(from_dict(data))
    data["language"] = str(data["language"] or "en")
    data["model"] = str(data["model"] or "")
    data["notes"] = [str(n) for n in data["notes"] or ()]
    return data


_TOP = frozenset(("version", "duration", "language", "model", "notes", "segments", "sounds"))
_SEGMENT = frozenset(("start", "end", "text", "avg_logprob", "no_speech_prob",
                      "compression_ratio", "words"))
_WORD = frozenset(("start", "end", "word", "probability"))


def _as_dumped(data: Any) -> bool:
    """True for the JSON `dumps` writes: every key, and numbers where numbers go."""
    if not isinstance(data, dict) or data.keys() != _TOP or data["version"] != VERSION:
        return False
    if type(data["duration"]) is not float or not isinstance(data["segments"], list) \
            or not isinstance(data["sounds"], list):
        return False
    for segment in data["segments"]:
        if not isinstance(segment, dict) or segment.keys() != _SEGMENT \
                or not isinstance(segment["text"], str) or not isinstance(segment["words"], list) \
                or segment["text"] != segment["text"].strip():
            return False
        for word in segment["words"]:
            if not isinstance(word, dict) or word.keys() != _WORD \
                    or type(word["start"]) is not float or type(word["end"]) is not float \
                    or type(word["probability"]) is not float or word["end"] < word["start"]:
                return False
        if type(segment["start"]) is not float or type(segment["end"]) is not float:
            return False
    return all(isinstance(s, dict) and s.keys() == {"start", "end", "kind"}
               and type(s["start"]) is float and type(s["end"]) is float
               and isinstance(s["kind"], str) and s["kind"] and s["end"] >= s["start"]
               for s in data["sounds"])


def loads(text: str) -> Transcript:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptFormatError(f"not JSON: {exc}") from None
    return from_dict(data)


def _given(raw: dict[str, Any], key: str, default: float) -> float:
    """A decoder's figure as stored (`default` where it is missing or null): a stored 0.0
    stays 0.0, as reading the document directly keeps it."""
    value = raw.get(key)
    return default if value is None else float(value) + 0.0


def _number(obj: dict[str, Any], key: str, where: str) -> float:
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TranscriptFormatError(f"{where}.{key}: expected a number of seconds, got {value!r}")
    return float(value)


def from_dict(data: Any) -> Transcript:
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise TranscriptFormatError("expected an object with a 'segments' list")
    segments = []
    for i, raw in enumerate(data["segments"]):
        where = f"segments[{i}]"
        if not isinstance(raw, dict):
            raise TranscriptFormatError(f"{where}: expected an object")
        words = []
        for j, rw in enumerate(raw.get("words") or []):
            wwhere = f"{where}.words[{j}]"
            if not isinstance(rw, dict) or not isinstance(rw.get("word"), str):
                raise TranscriptFormatError(f"{wwhere}: expected an object with a 'word' string")
            start, end = _number(rw, "start", wwhere), _number(rw, "end", wwhere)
            if end < start:
                raise TranscriptFormatError(f"{wwhere}: ends ({end}) before it starts ({start})")
            prob = rw.get("probability", 1.0)
            words.append(Word(start, end, rw["word"], float(prob) if isinstance(prob, (int, float)) else 1.0))
        text = raw.get("text")
        if text is None:
            text = "".join(w.word for w in words)
        if not isinstance(text, str):
            raise TranscriptFormatError(f"{where}.text: expected a string")
        start = _number(raw, "start", where) if "start" in raw else (words[0].start if words else 0.0)
        end = _number(raw, "end", where) if "end" in raw else (words[-1].end if words else start)
        segments.append(Segment(
            start, end, text, tuple(words),
            avg_logprob=_given(raw, "avg_logprob", 0.0),
            no_speech_prob=_given(raw, "no_speech_prob", 0.0),
            compression_ratio=_given(raw, "compression_ratio", 1.0),
        ))
    duration = data.get("duration")
    if not isinstance(duration, (int, float)) or isinstance(duration, bool):
        duration = max((s.end for s in segments), default=0.0)
    return Transcript(
        segments=tuple(segments),
        duration=float(duration),
        language=str(data.get("language") or "en"),
        model=str(data.get("model") or ""),
        notes=tuple(str(n) for n in data.get("notes") or ()),
        sounds=_sounds(data.get("sounds")),
    )


def _sounds(raw: Any) -> tuple[Sound, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise TranscriptFormatError("sounds: expected a list of {start, end, kind}")
    sounds = []
    for i, item in enumerate(raw):
        where = f"sounds[{i}]"
        if not isinstance(item, dict):
            raise TranscriptFormatError(f"{where}: expected an object")
        start, end = _number(item, "start", where), _number(item, "end", where)
        if end < start:
            raise TranscriptFormatError(f"{where}: ends ({end}) before it starts ({start})")
        sounds.append(Sound(start, end, str(item.get("kind") or "music")))
    return tuple(sounds)
