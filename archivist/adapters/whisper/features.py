"""The log-Mel spectrogram Whisper hears, computed a block at a time as the decoder asks for it.

faster-whisper computes the spectrogram of the whole speech at once: with its FFT's working
copies, about 1.5 GB for three hours, on top of the sound itself. The decoder only ever looks
at 30 seconds from where it has got to, so `Spectrogram` stands in for that array: it has its
shape and answers `features[:, a:b]` by computing those frames from the sound on disk, with
the same FFT, the same filters and the same floor (8 below the loudest frame of the whole
recording, found in a first pass), so the decoder sees faster-whisper's numbers, but for the
last bit of some: the Mel filters' product (OpenBLAS's sgemm under numpy) rounds by the width
of the matrix it is given, a block here, the whole speech there, and by its threads. That bit
is enough for tiny.en to decode some windows differently (README, Benchmarks), as it is for
bare faster-whisper run with one BLAS thread instead of two.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np

_HOP = 160            # samples between frames (10 ms)
_REACH = 2            # frames either side computed and thrown away: an FFT window spans 2.5 hops
_BLOCK = 3000         # frames computed at once: the decoder's 30-second window
_KEPT_BLOCKS = 3      # a window spans at most two blocks; the next window starts in the last
_DYNAMIC_RANGE = 8.0  # Whisper floors the log-Mel at this much below its loudest value


class Samples(Protocol):
    samples: int

    def read(self, start: int, stop: int) -> np.ndarray: ...


class Spectrogram:
    """Whisper's input features for `sound`, as a read-only 2-D array of (mels, frames)."""

    def __init__(self, sound: Samples, extractor: Any,
                 between_blocks: Callable[[float], None] | None = None) -> None:
        self._sound = sound
        self._extractor = extractor
        # As faster-whisper: the sound is padded with one hop of zeros, and the last frame dropped.
        frames = sound.samples // _HOP + 1
        self.shape = (int(extractor.mel_filters.shape[0]), frames)
        self.ndim = 2
        self._blocks: OrderedDict[int, np.ndarray] = OrderedDict()
        self._floor = self._loudest(between_blocks) - _DYNAMIC_RANGE

    def __getitem__(self, key: tuple[slice, slice]) -> np.ndarray:
        import numpy as np

        rows, columns = key
        if rows != slice(None) or columns.step not in (None, 1):
            raise IndexError("Spectrogram answers [:, start:stop] only")
        start, stop, _ = columns.indices(self.shape[1])
        if stop <= start:
            return np.zeros((self.shape[0], 0), dtype=np.float32)
        parts = [self._block(b)[:, max(start - b * _BLOCK, 0):stop - b * _BLOCK]
                 for b in range(start // _BLOCK, (stop - 1) // _BLOCK + 1)]
        return np.concatenate(parts, axis=1) if len(parts) > 1 else parts[0]

    def _block(self, index: int) -> np.ndarray:
        import numpy as np

        if index not in self._blocks:
            raw = self._log_mel(index * _BLOCK, min((index + 1) * _BLOCK, self.shape[1]))
            self._blocks[index] = (np.maximum(raw, self._floor) + 4.0) / 4.0
            while len(self._blocks) > _KEPT_BLOCKS:
                self._blocks.popitem(last=False)
        return self._blocks[index]

    def _loudest(self, between_blocks: Callable[[float], None] | None) -> float:
        loudest = float("-inf")
        for first in range(0, self.shape[1], _BLOCK):
            last = min(first + _BLOCK, self.shape[1])
            loudest = max(loudest, float(self._log_mel(first, last).max()))
            if between_blocks is not None:
                between_blocks(last / self.shape[1])
        return loudest

    def _log_mel(self, first: int, last: int) -> np.ndarray:
        """log10 of the Mel power of frames [first, last), before the floor."""
        import numpy as np

        # Frame k is the FFT of the samples around k * hop. Read a few frames more either side
        # so that the edge frames (which the FFT pads by reflection) are thrown away, except
        # at the recording's own ends, where faster-whisper pads the same way.
        lo = max(0, (first - _REACH) * _HOP)
        hi = (last + _REACH) * _HOP
        wave = self._sound.read(lo, hi)
        if hi >= self._sound.samples:
            wave = np.pad(wave, (0, _HOP))   # faster-whisper's one hop of zeros at the end
        e = self._extractor
        window = np.hanning(e.n_fft + 1)[:-1].astype("float32")
        spectrum = e.stft(wave, e.n_fft, e.hop_length, window=window,
                          return_complex=True).astype("complex64")
        skip = first - lo // _HOP
        power = np.abs(spectrum[..., skip:skip + last - first]) ** 2
        mel = e.mel_filters @ power
        return np.log10(np.clip(mel, a_min=1e-10, a_max=None))
