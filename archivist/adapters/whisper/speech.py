"""Where a recording has speech (Silero VAD, as faster-whisper runs it), read from disk a block
at a time, and the speech alone as one stretch of sound.

faster-whisper's own VAD holds the whole recording in memory (and a padded copy of it): 1.4 GB
for three hours. Here the same model sees the same samples in the same batches, carrying its
state across them, so the speech found is faster-whisper's to the sample, while memory holds
one batch (5 MB of sound) at a time.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from archivist.adapters.whisper.audio import SAMPLE_RATE

if TYPE_CHECKING:
    import numpy as np

# The VAD model hears 512 samples at a time, with the 64 before them for context, and is run on
# 10,000 of those at once (faster-whisper's batch; the model's state carries from one to the next).
_HEARD = 512
_CONTEXT = 64
_BATCH = 10_000


class Samples(Protocol):
    samples: int

    def read(self, start: int, stop: int) -> np.ndarray: ...


@dataclass(frozen=True)
class Span:
    """Samples [start, end) of the recording."""

    start: int
    end: int


def speech_spans(sound: Samples, options: Any,
                 between_batches: Callable[[float], None] | None = None) -> list[Span]:
    """The stretches of `sound` with speech, padded as faster-whisper pads them.

    `options` is faster-whisper's VadOptions. `between_batches(fraction)` is called after each
    batch (progress, and a chance to cancel).
    """
    probabilities = _probabilities(sound, between_batches)
    return _padded(_stretches(probabilities, sound.samples, options), sound.samples, options)


def _probabilities(sound: Samples, between_batches: Callable[[float], None] | None) -> list[float]:
    """The VAD model's speech probability for each 512 samples (the last zero-padded)."""
    import numpy as np
    from faster_whisper.vad import get_vad_model

    session = get_vad_model().session
    # faster-whisper pads to a whole number of 512s, by a whole 512 when it is one already.
    padded = sound.samples + _HEARD - sound.samples % _HEARD
    state = np.zeros((1, 1, 128), dtype=np.float32), np.zeros((1, 1, 128), dtype=np.float32)
    before = np.zeros(_CONTEXT, dtype=np.float32)  # the first 512 have silence before them
    out: list[float] = []
    step = _BATCH * _HEARD
    for first in range(0, padded, step):
        block = sound.read(first, first + step)
        rows = min(step, padded - first) // _HEARD
        block = np.pad(block, (0, rows * _HEARD - len(block))).reshape(rows, _HEARD)
        context = np.vstack([before[None, :], block[:-1, -_CONTEXT:]])
        before = block[-1, -_CONTEXT:].copy()
        heard, h, c = session.run(None, {"input": np.hstack([context, block]),
                                         "h": state[0], "c": state[1]})
        state = h, c
        out.extend(float(p) for p in np.asarray(heard).reshape(-1))
        if between_batches is not None:
            between_batches(min(1.0, (first + step) / padded))
    return out


def _stretches(probabilities: Sequence[float], length: int, options: Any) -> list[Span]:
    """Speech as the VAD's hysteresis finds it: on at `threshold`, off after
    `min_silence_duration_ms` under the lower threshold; over-long stretches split at their
    last pause of 98 ms or more (else where they reach the limit)."""
    on = options.threshold
    off = options.neg_threshold if options.neg_threshold is not None else max(on - 0.15, 0.01)
    shortest = SAMPLE_RATE * options.min_speech_duration_ms / 1000
    pad = SAMPLE_RATE * options.speech_pad_ms / 1000
    longest = SAMPLE_RATE * options.max_speech_duration_s - _HEARD - 2 * pad
    pause = SAMPLE_RATE * options.min_silence_duration_ms / 1000
    short_pause = SAMPLE_RATE * 98 / 1000

    found: list[Span] = []
    speaking = False
    begin = 0
    quiet_since = 0        # where the current run under `off` began (0: none)
    last_pause_end = 0     # the end of speech before the last pause long enough to split at
    resumed_at = 0         # where speech resumed after that pause
    for i, p in enumerate(probabilities):
        at = _HEARD * i
        if p >= on and quiet_since:
            quiet_since = 0
            if resumed_at < last_pause_end:
                resumed_at = at
        if p >= on and not speaking:
            speaking, begin = True, at
            continue
        if speaking and at - begin > longest:
            if last_pause_end:
                found.append(Span(begin, last_pause_end))
                if resumed_at < last_pause_end:
                    speaking = False
                else:
                    begin = resumed_at
                last_pause_end = resumed_at = quiet_since = 0
            else:
                found.append(Span(begin, at))
                last_pause_end = resumed_at = quiet_since = 0
                speaking = False
                continue
        if p < off and speaking:
            if not quiet_since:
                quiet_since = at
            if at - quiet_since > short_pause:
                last_pause_end = quiet_since
            if at - quiet_since < pause:
                continue
            if quiet_since - begin > shortest:
                found.append(Span(begin, quiet_since))
            speaking = False
            last_pause_end = resumed_at = quiet_since = 0
            continue
    if speaking and length - begin > shortest:
        found.append(Span(begin, length))
    return found


def _padded(found: list[Span], length: int, options: Any) -> list[Span]:
    """Each stretch widened by `speech_pad_ms` (half the gap each where two would meet)."""
    pad = SAMPLE_RATE * options.speech_pad_ms / 1000
    starts = [s.start for s in found]
    ends = [s.end for s in found]
    for i in range(len(found)):
        if i == 0:
            starts[0] = int(max(0, starts[0] - pad))
        if i < len(found) - 1:
            gap = starts[i + 1] - ends[i]
            if gap < 2 * pad:
                ends[i] += int(gap // 2)
                starts[i + 1] = int(max(0, starts[i + 1] - gap // 2))
            else:
                ends[i] = int(min(length, ends[i] + pad))
                starts[i + 1] = int(max(0, starts[i + 1] - pad))
        else:
            ends[i] = int(min(length, ends[i] + pad))
    return [Span(s, e) for s, e in zip(starts, ends)]


class SpeechOnly:
    """The speech of a recording, its stretches end to end, read from the recording on demand.

    This is what faster-whisper transcribes after its VAD (it concatenates them in memory);
    `recording_time` takes a time in it back to the recording's.
    """

    def __init__(self, sound: Samples, spans: Sequence[Span]) -> None:
        self._sound = sound
        self._spans = list(spans)
        self._starts: list[int] = []  # where each span begins in the speech
        total = 0
        for span in self._spans:
            self._starts.append(total)
            total += span.end - span.start
        self.samples = total
        # For recording_time: each span's end in the speech, and the silence before it, as
        # faster-whisper's SpeechTimestampsMap keeps them (so times round the same way).
        self._ends = [b + s.end - s.start for b, s in zip(self._starts, self._spans)]
        self._silence_before = [(s.start - b) / SAMPLE_RATE for b, s in zip(self._starts, self._spans)]

    def read(self, start: int, stop: int) -> np.ndarray:
        """Samples [start, stop) of the speech."""
        import numpy as np

        start, stop = max(0, start), min(self.samples, stop)
        parts = []
        k = max(0, bisect.bisect_right(self._starts, start) - 1)
        while start < stop and k < len(self._spans):
            offset = start - self._starts[k]
            span = self._spans[k]
            take = min(stop - start, span.end - span.start - offset)
            parts.append(self._sound.read(span.start + offset, span.start + offset + take))
            start += take
            k += 1
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)

    def voiced(self) -> list[tuple[float, float]]:
        """The stretches of speech, (start, end) in seconds of the recording."""
        return [(span.start / SAMPLE_RATE, span.end / SAMPLE_RATE) for span in self._spans]

    def speech_time(self, seconds: float) -> float:
        """A time in the recording as a time in the speech (between stretches: where the
        next begins; after the last: the speech's end)."""
        sample = int(seconds * SAMPLE_RATE)
        k = bisect.bisect_right([span.end for span in self._spans], sample)
        if k == len(self._spans):
            return self.samples / SAMPLE_RATE
        return (self._starts[k] + max(0, sample - self._spans[k].start)) / SAMPLE_RATE

    def span_of(self, seconds: float) -> int:
        """Which span a time in the speech falls in (its end belongs to it)."""
        sample = int(seconds * SAMPLE_RATE)
        return min(bisect.bisect(self._ends, sample), len(self._ends) - 1)

    def within(self, seconds: float, span: int) -> float:
        """A time in the speech, kept inside span `span` (its start to its end)."""
        return min(max(seconds, self._starts[span] / SAMPLE_RATE), self._ends[span] / SAMPLE_RATE)

    def recording_time(self, seconds: float, span: int | None = None) -> float:
        """A time in the speech as a time in the recording (rounded to 10 ms, as faster-whisper does)."""
        k = self.span_of(seconds) if span is None else span
        return round(self._silence_before[k] + float(seconds), 2)  # a plain float, never numpy's
