"""faster-whisper's batched pipeline, fed a recording's speech a piece at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from archivist.adapters.whisper import audio, speech
from archivist.adapters.whisper.memory import return_freed_memory
from archivist.domain.models import Segment, Word


def transcribe(model: Any, sound: audio.Sound, spans: Sequence[speech.Span], piece_seconds: float,
             options: dict[str, Any], heard: Callable[[Segment], None]) -> list[Segment]:
    """The batched pipeline (no context carried between its 30-second chunks, so nothing is
    lost by feeding it) a piece of about `piece_seconds` at a time, cut in a silence."""
    segments: list[Segment] = []
    for first, end in _pieces(spans, int(piece_seconds * audio.SAMPLE_RATE)):
        offset = first / audio.SAMPLE_RATE
        raw_segments, _info = model.transcribe(sound.read(first, end), **options)
        for raw in raw_segments:
            words = tuple(Word(float(w.start) + offset, float(w.end) + offset, w.word,
                               float(w.probability)) for w in raw.words or ())
            segment = Segment(float(raw.start) + offset, float(raw.end) + offset, raw.text.strip(),
                              words, avg_logprob=float(raw.avg_logprob),
                              no_speech_prob=float(raw.no_speech_prob),
                              compression_ratio=float(raw.compression_ratio))
            if segment.text:
                segments.append(segment)
                heard(segment)
        return_freed_memory()
    return segments


def _pieces(spans: Sequence[speech.Span], size: int) -> Iterator[tuple[int, int]]:
    """(first, end) samples of pieces of whole speech stretches, each about `size` long."""
    piece: list[speech.Span] = []
    for span in spans:
        if piece and span.end - piece[0].start > size:
            yield piece[0].start, piece[-1].end
            piece = []
        piece.append(span)
    if piece:
        yield piece[0].start, piece[-1].end
