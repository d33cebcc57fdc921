"""Music where no one speaks: found in the stretches the VAD left out, by how the sound looks.

Each half second of a stretch with no speech is judged on the spooled sound: loud enough to be
more than room silence, tonal (most of its energy in narrow spectral peaks: notes, not the
broad hiss of noise or air handling), and not mains hum (tonal too, but its peaks sit on the
multiples of 50 or 60 Hz; a chord's notes mostly do not). A run of such half seconds lasting
`min_seconds` or more is music, unless it is one steady tone: the same strongest peak at the
same level throughout is a line-up tone (bars and tone), a test signal or feedback, which a
caption must not call music. The thresholds were chosen on the corpus's dev half
(bench/sound_tags.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from archivist.adapters.whisper import audio, speech
from archivist.domain.models import Sound

if TYPE_CHECKING:
    import numpy as np

BLOCK = audio.SAMPLE_RATE // 2     # judged half a second at a time
_FRAME = 4096                      # FFT frame (3.9 Hz a bin at 16 kHz)
_HOP = 1024
_BAND = (100.0, 4000.0)            # Hz: where notes (and their first harmonics) are
_BASELINE_BINS = 31                # width of the running median a peak must stand above
_PEAK = 10.0                       # a peak: this many times its neighbourhood's median power
_MAINS_HZ = 4.0                    # a peak this close to a multiple of 50/60 Hz may be hum
_STEADY_HZ = 8.0                   # a tone: its strongest peak moves no more than this
_STEADY_DB = 1.0                   # and its level no more than this, over the whole run


@dataclass(frozen=True, slots=True)
class Thresholds:
    """What a half second must show to count as music (chosen on the dev half)."""

    level_db: float = -50.0        # dBFS: quieter is silence
    tonal: float = 0.3             # share of the band's energy in peaks off the mains multiples


@dataclass(frozen=True, slots=True)
class Look:
    """How one half second looks: loudness, the share of its energy in tonal peaks that are
    not mains hum, and where its strongest such peak is (Hz; 0 without one)."""

    level_db: float
    tonal: float
    peak_hz: float = 0.0

    def musical(self, limits: Thresholds) -> bool:
        return self.level_db >= limits.level_db and self.tonal >= limits.tonal


def look(samples: np.ndarray) -> Look:
    """Loudness and tonality (off the mains multiples) of a block of 16 kHz samples."""
    import numpy as np

    power = float(np.mean(samples.astype(np.float64) ** 2)) if samples.size else 0.0
    level = 10 * np.log10(power) if power > 1e-12 else -120.0
    if samples.size < _FRAME:
        return Look(level, 0.0)
    window = np.hanning(_FRAME)
    starts = range(0, samples.size - _FRAME + 1, _HOP)
    spectra = np.array([np.abs(np.fft.rfft(samples[s:s + _FRAME] * window)) ** 2 for s in starts])
    freqs = np.fft.rfftfreq(_FRAME, 1 / audio.SAMPLE_RATE)
    band = (freqs >= _BAND[0]) & (freqs <= _BAND[1])
    mean = spectra.mean(axis=0)
    half = _BASELINE_BINS // 2
    padded = np.pad(mean, half, mode="edge")
    baseline = np.median(np.lib.stride_tricks.sliding_window_view(padded, _BASELINE_BINS), axis=1)
    peaks = band & (mean > _PEAK * np.maximum(baseline, 1e-20))
    total = float(mean[band].sum())
    if total <= 0 or not peaks.any():
        return Look(level, 0.0)
    # Mains hum (50 or 60 Hz, whichever this recording has more of) is not music.
    hum = max((peaks & (np.abs((freqs + hz / 2) % hz - hz / 2) <= _MAINS_HZ) for hz in (50.0, 60.0)),
              key=lambda near: float(mean[near].sum()))
    notes = peaks & ~hum
    strongest = float(freqs[notes][np.argmax(mean[notes])]) if notes.any() else 0.0
    return Look(level, float(mean[notes].sum()) / total, strongest)


def gaps(spans: Sequence[speech.Span], samples: int) -> list[speech.Span]:
    """The stretches of the recording outside the speech spans."""
    out, at = [], 0
    for span in spans:
        if span.start > at:
            out.append(speech.Span(at, span.start))
        at = max(at, span.end)
    if at < samples:
        out.append(speech.Span(at, samples))
    return out


def music(sound: audio.Sound, spans: Sequence[speech.Span], min_seconds: float,
          limits: Thresholds = Thresholds()) -> list[Sound]:
    """The stretches of music of `min_seconds` or more where the VAD found no speech."""
    least = int(min_seconds * audio.SAMPLE_RATE)
    found: list[Sound] = []
    for gap in gaps(spans, sound.samples):
        if gap.end - gap.start < least:
            continue
        starts = range(gap.start, gap.end - BLOCK + 1, BLOCK)
        looks = [look(sound.read(at, at + BLOCK)) for at in starts]
        musical = [seen.musical(limits) for seen in looks]
        # One half second missed between two heard is a quiet moment of the same music.
        for k in range(1, len(musical) - 1):
            musical[k] = musical[k] or (musical[k - 1] and musical[k + 1])
        run_start: int | None = None
        for k, (at, heard) in enumerate(zip(starts, musical)):
            if heard and run_start is None:
                run_start, first = at, k
            if not heard and run_start is not None:
                _keep(found, run_start, at, least, looks[first:k])
                run_start = None
        if run_start is not None:
            _keep(found, run_start, gap.end, least, looks[first:])   # the last part-block too
    return found


def steady_tone(looks: Sequence[Look]) -> bool:
    """One tone held at one level (line-up tone, a test signal, feedback), not music."""
    heard = [seen for seen in looks if seen.peak_hz > 0]
    if len(heard) < len(looks) or not heard:
        return False
    pitches, levels = [seen.peak_hz for seen in heard], [seen.level_db for seen in heard]
    return max(pitches) - min(pitches) <= _STEADY_HZ and max(levels) - min(levels) <= _STEADY_DB


def _keep(found: list[Sound], start: int, end: int, least: int, looks: Sequence[Look]) -> None:
    if end - start >= least and not steady_tone(looks):
        found.append(Sound(start / audio.SAMPLE_RATE, end / audio.SAMPLE_RATE, "music"))
