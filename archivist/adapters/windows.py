"""Where to cut a long recording into windows: at the quietest moment near each window's end.

Transcribing a window at a time keeps memory flat in the recording's length. A cut falls in
the middle of the quietest 0.6 s of the window's last stretch: a pause between sentences when
there is one, between words at least, so no word is split between two windows and the
model's word times (good to a few tenths of a second) place each word on its side of the cut.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from archivist.adapters.audio import SAMPLE_RATE

# Loudness is measured in 10 ms frames and smoothed over 0.6 s: the pause after a sentence is
# that long; a stop consonant's closure is far shorter.
_FRAME = SAMPLE_RATE // 100
_SMOOTHING = 60


class Samples(Protocol):
    samples: int

    def read(self, start: int, stop: int) -> object: ...


def windows(sound: Samples, length: float, search: float) -> Iterator[tuple[int, int]]:
    """(first sample, end sample) of each window: about `length` seconds each, every cut in
    the quietest moment of the `search` seconds before the window's nominal end.

    A last window up to a quarter longer than `length` is not cut: no sliver at the end.
    """
    size, span = int(length * SAMPLE_RATE), int(min(search, length / 2) * SAMPLE_RATE)
    start = 0
    while start < sound.samples:
        if sound.samples - start <= size * 1.25:
            yield start, sound.samples
            return
        end = start + size
        cut = quietest(sound.read(end - span, end)) + end - span
        yield start, cut
        start = cut


def quietest(samples: object) -> int:
    """The index of the middle of the quietest 0.6 s of `samples`."""
    import numpy as np

    data = np.asarray(samples, dtype=np.float32)
    frames = len(data) // _FRAME
    if frames <= _SMOOTHING:
        return len(data) // 2
    energy = np.square(data[:frames * _FRAME]).reshape(frames, _FRAME).mean(axis=1)
    smoothed = np.convolve(energy, np.ones(_SMOOTHING) / _SMOOTHING, mode="valid")
    # The latest of equally quiet moments: a window as long as allowed.
    best = len(smoothed) - 1 - int(np.argmin(smoothed[::-1]))
    return (best + _SMOOTHING // 2) * _FRAME + _FRAME // 2
