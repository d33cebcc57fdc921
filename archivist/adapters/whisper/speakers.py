"""Speaker changes heard in the sound: at each pause, does the voice after it differ?

Each pause between words of PAUSE seconds or more may end a speaker's turn (domain/speakers.py).
The voice of a turn is summed up by the cepstra (MFCC: the spectral envelope, which follows
the shape and size of the vocal tract more than the words said) of its last REACH seconds of
words before the pause, and of its first REACH seconds after it: only frames within LEVEL_DB
of the stretch's loudest, so room noise between words does not count. The two stretches differ
by Hotelling's T² (the distance between their mean cepstra, in units of their pooled spread,
times n1 n2 / (n1 + n2)); a change is marked where it reaches `threshold`. While this was
chosen on the dev corpus, the BIC test on full covariances (Chen & Gopalakrishnan 1998) found
fewer changes at the same precision (recall 0.75 against 0.84 at precision 0.9, at the truth's
pauses), and so did stretches of 5-10 s, which reach into the voice before; pitch alone told
few voices apart (many espeak voices share 100-110 Hz). Figures: bench/speaker_changes.py.

No model is downloaded and nothing is learned: numpy only, a few milliseconds a pause.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from archivist.adapters.whisper import audio
from archivist.domain.models import Segment, Word
from archivist.domain.speakers import marked, spans, turns

if TYPE_CHECKING:
    import numpy as np

PAUSE = 0.6          # seconds between words where a turn may end (chosen on dev)
REACH = 3.0          # seconds of words either side that stand for each voice
LEVEL_DB = 30.0      # frames this far below the stretch's loudest are the room, not the voice
MIN_FRAMES = 30      # fewer voiced frames than this (0.3 s) on a side: nothing is judged
THRESHOLD = 350.0    # T² at and above which the voices differ (chosen on dev: precision 0.95)

_WINDOW, _HOP, _FFT = 400, 160, 512    # 25-ms frames every 10 ms
_BANDS, _CEPSTRA = 40, 19              # mel bands 100-7600 Hz; cepstra 1-19 (not 0, the level)


def mark(segments: Sequence[Segment], sound: audio.Sound, threshold: float = THRESHOLD,
         pause: float = PAUSE) -> list[Segment]:
    """`segments` with `>>` before the first word of each turn heard in another voice."""
    words = [w for seg in segments for w in seg.words]
    found = turns(words, pause)
    firsts = {after[0] for before, after, score in _scores(words, found, sound)
              if score >= threshold}
    return marked(segments, firsts)


def scores(words: Sequence[Word], sound: audio.Sound, pause: float = PAUSE,
           after: float = REACH) -> list[tuple[float, float]]:
    """(time of the pause, T²) at each pause where a turn may end (for the benchmarks);
    `after`: seconds of the new turn's words heard (a live session hears only its first)."""
    return [(words[turn[0]].start, score)
            for before, turn, score in _scores(words, turns(words, pause), sound, after)]


def _scores(words: Sequence[Word], found: list[range], sound: audio.Sound,
            after: float = REACH) -> list[tuple[range, range, float]]:
    out = []
    for before, turn in zip(found, found[1:]):
        left = _cepstra(sound, spans([words[k] for k in before], REACH, from_end=True))
        right = _cepstra(sound, spans([words[k] for k in turn], after, from_end=False))
        out.append((before, turn, hotelling(left, right)))
    return out


def _cepstra(sound: audio.Sound, within: list[tuple[float, float]]) -> np.ndarray:
    """The voiced frames' cepstra over the spans `within` (frames x _CEPSTRA)."""
    return voice(sound.read(int(a * audio.SAMPLE_RATE), int(b * audio.SAMPLE_RATE))
                 for a, b in within)


def voice(pieces: Iterable[np.ndarray]) -> np.ndarray:
    """The voice in these stretches of 16 kHz samples: the cepstra of their voiced frames
    (those within LEVEL_DB of the loudest), frames x _CEPSTRA."""
    import numpy as np

    parts = [p for p in (cepstra(samples) for samples in pieces) if len(p)]
    frames = np.concatenate(parts) if parts else np.zeros((0, _CEPSTRA + 1))
    if not len(frames):
        return np.zeros((0, _CEPSTRA))
    level = frames[:, 0]
    return frames[level >= level.max() - LEVEL_DB, 1:]


def cepstra(samples: np.ndarray) -> np.ndarray:
    """Per 10-ms frame of 16 kHz `samples`: its level in dB, then mel cepstra 1-19."""
    import numpy as np

    count = (len(samples) - _WINDOW) // _HOP + 1
    if count <= 0:
        return np.zeros((0, _CEPSTRA + 1))
    at = np.arange(_WINDOW)[None, :] + _HOP * np.arange(count)[:, None]
    power = np.abs(np.fft.rfft(samples[at] * np.hamming(_WINDOW), _FFT)) ** 2
    level = 10 * np.log10(np.maximum(power.sum(axis=1), 1e-10))
    bands, dct = _filters()
    ceps = np.log(np.maximum(power @ bands.T, 1e-10)) @ dct.T
    return np.column_stack([level, ceps])


@lru_cache(maxsize=1)
def _filters() -> tuple[np.ndarray, np.ndarray]:
    """Triangular mel filters over the FFT bins, and the DCT-II rows for cepstra 1-19."""
    import numpy as np

    def mel(hz: np.ndarray) -> np.ndarray:
        return 2595 * np.log10(1 + hz / 700)

    edges_mel = np.linspace(mel(np.array(100.0)), mel(np.array(7600.0)), _BANDS + 2)
    edges = np.floor((_FFT + 1) * 700 * (10 ** (edges_mel / 2595) - 1) / audio.SAMPLE_RATE)
    bins = np.arange(_FFT // 2 + 1)
    bands = np.zeros((_BANDS, bins.size))
    for i in range(_BANDS):
        a, b, c = edges[i:i + 3]
        rising = (bins >= a) & (bins < b)
        falling = (bins >= b) & (bins < c)
        bands[i, rising] = (bins[rising] - a) / max(b - a, 1)
        bands[i, falling] = (c - bins[falling]) / max(c - b, 1)
    k = np.arange(1, _CEPSTRA + 1)[:, None]
    dct = np.cos(np.pi / _BANDS * (np.arange(_BANDS)[None, :] + 0.5) * k)
    return bands, dct


def hotelling(left: np.ndarray, right: np.ndarray) -> float:
    """Hotelling's T² between two sets of frames (0 when either has too few to judge)."""
    import numpy as np

    a, b = len(left), len(right)
    if a < MIN_FRAMES or b < MIN_FRAMES:
        return 0.0
    pooled = ((a - 1) * np.cov(left, rowvar=False) + (b - 1) * np.cov(right, rowvar=False)) \
        / (a + b - 2)
    apart = left.mean(axis=0) - right.mean(axis=0)
    spread = pooled + 1e-6 * np.eye(len(apart))
    return float(a * b / (a + b) * apart @ np.linalg.solve(spread, apart))


class LiveVoices:
    """The live session's Voices (domain/live/ports.py) on this detector: the same
    statistics, on the sound of the words a live session sent and is about to send."""

    reach = REACH

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self._threshold = threshold

    def voice(self, sound: Sequence[bytes]) -> np.ndarray:
        import numpy as np

        return voice(np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
                     for pcm in sound)

    def differ(self, before: np.ndarray, after: np.ndarray) -> bool:
        return hotelling(before, after) >= self._threshold
