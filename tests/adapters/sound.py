"""Made sound for the adapter tests: samples as the Sound the Whisper adapter reads."""

from __future__ import annotations

import tempfile

import numpy as np

from archivist.adapters.whisper import audio


def as_sound(samples: np.ndarray) -> audio.Sound:
    """`samples` (floats, -1 to 1, 16 kHz mono) as a Sound, clipped as a recorder would."""
    spooled = tempfile.TemporaryFile()  # noqa: SIM115 - the Sound owns and closes it
    spooled.write((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return audio.Sound(spooled)
