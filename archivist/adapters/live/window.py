"""A loaded Whisper model whose encoder hears only the sound it is given, not a whole window.

Whisper's encoder takes 30 s of spectrogram at a time; faster-whisper pads shorter sound with
silence to fill it. A live decode's buffer holds a few seconds, so most of its time went on
encoding silence: on 2 cores tiny.en encodes 30 s in about 0.45 s, 10 s in 0.05 s (attention
grows with the square of the length). CTranslate2's encoder takes fewer frames (its positions
are cut to fit) and the decoder attends to what there is; the words come out nearly as from
the whole window (bench/live_replay.py compares them: README, Live captions).
"""

from __future__ import annotations

import functools
import math
from typing import Any

FULL_SECONDS = 30.0          # Whisper's window
_FRAMES_PER_SECOND = 100     # spectrogram frames
# Windows come in steps of this many seconds: the encoder keeps buffers for each length of
# input it meets (CTranslate2 and oneDNN), so lengths to the frame, one per buffer, grew a
# live session's memory without end (60 minutes: RSS 292 -> 466 MB); in steps, at most 15.
STEP_SECONDS = 2.0


def windowed(model: Any, seconds: float) -> Any:
    """`model` as a view whose encoder hears the first `seconds` of each window (rounded up
    to a step; its padding cut off): for decoding sound shorter than Whisper's 30 s. The view shares the loaded
    model (nothing is copied but a few references). A model that is not faster-whisper's (a
    test's stand-in), or a whole window asked for, is `model` itself."""
    model = one_at_a_time(model)
    seconds = math.ceil(max(seconds, 1.0) / STEP_SECONDS) * STEP_SECONDS
    if seconds >= FULL_SECONDS or not isinstance(model, _whisper_model()):
        return model
    view = _view_class()()
    view.__dict__.update(model.__dict__)
    view.frames = round(seconds * _FRAMES_PER_SECOND)   # even: the encoder halves them
    return view


def one_at_a_time(model: Any) -> Any:
    """The model itself where it comes as a batching pipeline (whisper.batch_size > 0): a
    live decode is one buffer, so nothing is batched, and the pipeline would encode a whole
    window (and refuse a buffer of 30 s or more without its VAD)."""
    from faster_whisper import BatchedInferencePipeline

    return model.model if isinstance(model, BatchedInferencePipeline) else model


def _whisper_model() -> type:
    from faster_whisper import WhisperModel

    return WhisperModel


@functools.cache
def _view_class() -> type:
    """Made on first use: faster-whisper is imported only when a model is."""
    base: Any = _whisper_model()

    class ShortWindow(base):
        """A loaded model (its parts shared), encoding only the first `frames` frames."""

        frames: int

        def __init__(self) -> None:   # the parts are the loaded model's (windowed)
            pass

        def encode(self, features: Any) -> Any:
            return base.encode(self, features[..., :self.frames])

    return ShortWindow
