"""The word-level JSON transcript: what `transcribe` writes and `render` reads back.

Shape: {"version": 1, "duration", "language", "model", "notes": [...],
        "segments": [{"start", "end", "text", "words": [{"start", "end", "word", "probability"}]}],
        "sounds": [{"start", "end", "kind"}]}  (sounds: music where no one speaks; may be absent)
A person may edit the text and times; `from_dict` checks what it needs and says where it is wrong.
"""

from __future__ import annotations

import json
from typing import Any

from archivist.domain.errors import TranscriptFormatError
from archivist.domain.models import Segment, Sound, Transcript, Word

VERSION = 1


def to_dict(transcript: Transcript) -> dict[str, Any]:
    return {
        "version": VERSION,
        "duration": round(transcript.duration, 3),
        "language": transcript.language,
        "model": transcript.model,
        "notes": list(transcript.notes),
        "segments": [
            {
                "start": round(s.start, 3),
                "end": round(s.end, 3),
                "text": s.text.strip(),
                "avg_logprob": round(s.avg_logprob, 4),
                "no_speech_prob": round(s.no_speech_prob, 4),
                "compression_ratio": round(s.compression_ratio, 3),
                "words": [
                    {"start": round(w.start, 3), "end": round(w.end, 3), "word": w.word,
                     "probability": round(w.probability, 4)}
                    for w in s.words
                ],
            }
            for s in transcript.segments
        ],
        "sounds": [{"start": round(s.start, 3), "end": round(s.end, 3), "kind": s.kind}
                   for s in transcript.sounds],
    }


def dumps(transcript: Transcript) -> str:
    return json.dumps(to_dict(transcript), ensure_ascii=False, indent=1) + "\n"


def loads(text: str) -> Transcript:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptFormatError(f"not JSON: {exc}") from None
    return from_dict(data)


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
            avg_logprob=float(raw.get("avg_logprob", 0.0) or 0.0),
            no_speech_prob=float(raw.get("no_speech_prob", 0.0) or 0.0),
            compression_ratio=float(raw.get("compression_ratio", 1.0) or 1.0),
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
