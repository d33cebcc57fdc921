"""Where a long recording is cut into windows (adapters/windows.py)."""

from __future__ import annotations

import numpy as np

from archivist.adapters.audio import SAMPLE_RATE
from archivist.adapters.windows import windows


class Tone:
    """A loud recording with quiet pauses at the given seconds (each 0.8 s long)."""

    def __init__(self, seconds: float, pauses: list[float]) -> None:
        rng = np.random.default_rng(1)
        self.data = (rng.standard_normal(int(seconds * SAMPLE_RATE)) * 0.3).astype(np.float32)
        for at in pauses:
            self.data[int(at * SAMPLE_RATE):int((at + 0.8) * SAMPLE_RATE)] *= 0.01
        self.samples = len(self.data)

    def read(self, start: int, stop: int) -> np.ndarray:
        return self.data[max(0, start):stop]


def test_each_cut_falls_in_the_pause_before_the_windows_end() -> None:
    sound = Tone(100.0, pauses=[12.0, 27.0, 33.0, 55.0, 81.0])
    cuts = [end / SAMPLE_RATE for _, end in windows(sound, length=30.0, search=10.0)]
    # 20-30 s: the pause at 27; then 27+20..57: the one at 55; then 75..85: the one at 81.
    assert len(cuts) == 4
    for cut, pause in zip(cuts, [27.0, 55.0, 81.0], strict=False):
        assert pause + 0.2 < cut < pause + 0.6  # well inside the pause
    assert cuts[-1] == 100.0


def test_windows_cover_the_recording_end_to_end_without_a_sliver_at_the_end() -> None:
    sound = Tone(36.0, pauses=[])
    assert list(windows(sound, length=30.0, search=10.0)) == [(0, sound.samples)]
    sound = Tone(95.0, pauses=[])
    spans = list(windows(sound, length=30.0, search=10.0))
    assert spans[0][0] == 0 and spans[-1][1] == sound.samples
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
