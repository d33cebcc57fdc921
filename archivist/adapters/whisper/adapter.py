"""The Transcriber port on faster-whisper; the model loads on first use, and its CTranslate2
part again at the start of each transcription (`fresh`), so what it samples starts from the seed.

Memory stays flat in the recording's length: the sound is decoded once to a temporary file,
the VAD and the spectrogram read it back a block at a time (adapters/whisper/speech.py,
adapters/whisper/features.py), and faster-whisper's own decoding loop runs over that
(adapters/whisper/decoding.py; the batched pipeline in adapters/whisper/batched.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archivist.adapters.whisper import (
    audio,
    batched,
    decoding,
    models,
    recovery,
    sounds,
    speakers,
    speech,
    voicing,
)
from archivist.adapters.whisper.decoding import Recognition
from archivist.adapters.whisper.resume import resumed
from archivist.adapters.whisper.watch import (
    everyday_words,
    roll_calls_written_out,
    stops_put_back,
    vocabulary_cased,
)
from archivist.domain.captions import guards, unheard
from archivist.domain.errors import Cancelled, MediaError, TranscriptionError
from archivist.domain.models import Segment, Transcript
from archivist.domain.ports import CancelCheck, Progress, Resumable

log = logging.getLogger("archivist.whisper")
# Shares of a job's progress bar: decoding the sound, finding speech and the spectrogram's
# loudest point; the rest is recognition.
_DECODE_SHARE = 0.05
_LISTEN_SHARE = 0.05
# A gap between words where someone speaks this long (seconds) is decoded again on its own;
# less is a breath, a cough or a word's ring.
_RECOVER_SECONDS = 0.5


class FasterWhisperTranscriber:
    """Transcriber backed by faster-whisper (CTranslate2), with VAD and word timestamps."""

    def __init__(self, model: str, device: str = "cpu", compute_type: str = "int8",
                 cpu_threads: int = 0, beam_size: int = 5, batch_size: int = 0,
                 language: str = "en", vad: bool = True, vad_min_silence_ms: int = 500,
                 vad_speech_pad_ms: int = 400, window_seconds: float = 180.0,
                 punctuation_repair: bool = True, recover_skipped: bool = True,
                 vocabulary: Sequence[str] = (), allow_download: bool = False,
                 retry: Callable[[Callable[[], Any]], Any] | None = None,
                 data_dir: str = "~/.local/share/archivist", models_loaded: int = 2,
                 music_min_seconds: float = 4.0, speaker_changes: bool = False,
                 speaker_change_threshold: float = speakers.THRESHOLD) -> None:
        self._model_setting = model
        self._device = device
        self._compute_type = compute_type
        self._cpu_threads = cpu_threads
        self._beam_size = beam_size
        self._batch_size = batch_size
        self._language = language or None
        self._vad = vad
        self._repair = bool(punctuation_repair)
        self._recover = bool(recover_skipped)
        self._vad_parameters = {"min_silence_duration_ms": int(vad_min_silence_ms),
                                "speech_pad_ms": int(vad_speech_pad_ms)}
        self._piece = float(window_seconds)   # batched inference only: seconds of sound a piece
        self._vocabulary = tuple(str(term) for term in vocabulary or ())
        self._allow_download = allow_download
        # Loading reads the model from disk, often a network mount: stale handles retry.
        self._retry = retry or (lambda fn: fn())
        self._data_dir = data_dir
        self._music_seconds = float(music_min_seconds)
        self._speaker_threshold = float(speaker_change_threshold) if speaker_changes else None
        # Cities may each name their own model: the most recently used stay loaded, at most this many.
        self._most = max(1, int(models_loaded))
        # setting: (faster-whisper's model, name, where it loads from, has it been handed out)
        self._loaded: OrderedDict[str, _Loaded] = OrderedDict()
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

    def model(self, setting: str = "") -> Any:
        """The loaded faster-whisper model (or batched pipeline) a setting names (empty:
        whisper.model), loading it the first time; the least recently used goes past the bound."""
        from faster_whisper import BatchedInferencePipeline

        with self._lock:
            loaded = self._entry(setting or self._model_setting)
            loaded.drawn = True   # whoever holds it may sample with it
            return (BatchedInferencePipeline(loaded.whisper) if self._batch_size > 0
                    else loaded.whisper)

    def load(self, setting: str = "") -> None:
        """Load the model a setting names (empty: whisper.model) now, handing nothing out: the
        next transcription starts on it without loading it anew."""
        with self._lock:
            self._entry(setting or self._model_setting)

    def fresh(self, setting: str = "") -> tuple[Any, str]:
        """The faster-whisper model a setting names (empty: whisper.model) for one transcription,
        with its name: CTranslate2's part loaded anew unless nothing has used it since it
        loaded, and the seed set to decoding.SEED.

        CTranslate2 draws a decoding thread's samples (Whisper's temperature fallback) from a
        generator of that thread, seeded from the process's seed once, at the thread's first
        draw: `set_random_seed` moves no thread that has sampled before. A model's decoding
        threads are its own, so a model loaded anew samples from SEED, and a transcription
        (its first decoding, the punctuation repair's second tries, the recovery's pieces)
        samples the same whatever the process transcribed before. The one before is dropped
        first: memory holds one copy (a transcription still running on it keeps its own)."""
        import copy

        import ctranslate2

        setting = setting or self._model_setting
        with self._lock:
            loaded = self._entry(setting)
            if loaded.drawn:
                loaded.whisper.model = None   # freed here: no two copies while the next loads
                try:
                    loaded.whisper.model = self._decoder(loaded.setting, loaded.source)
                except TranscriptionError:
                    self._loaded.pop(loaded.setting, None)   # a model without its decoder is not kept
                    raise
            loaded.drawn = True
            ctranslate2.set_random_seed(decoding.SEED)   # read at each new thread's first draw
            # Its own copy: the next transcription's load (another thread's) swaps not this one's.
            return copy.copy(loaded.whisper), loaded.name

    def _entry(self, setting: str) -> _Loaded:
        """The loaded model a setting names, loaded if it is not (the lock held)."""
        station = setting == self._model_setting
        # `auto` keyed by the model it picks: a city naming that model shares the one loaded.
        setting = models.resolved(setting, self._data_dir)
        if setting not in self._loaded:
            while len(self._loaded) >= self._most:
                self._loaded.popitem(last=False)
            self._loaded[setting] = self._load(setting)
        self._loaded.move_to_end(setting)
        if station:
            self._name = self._loaded[setting].name
        return self._loaded[setting]

    def _load(self, setting: str) -> _Loaded:
        from faster_whisper import WhisperModel

        found = models.locate(setting, self._data_dir, self._allow_download)
        started = time.monotonic()
        try:
            model = self._retry(lambda: WhisperModel(
                found.source, device=self._device, compute_type=self._compute_type,
                cpu_threads=self._cpu_threads, local_files_only=True))
        except Exception as exc:
            raise _unloadable(setting, exc) from exc
        log.info("model loaded", extra={"model": found.name, "device": self._device,
                                        "seconds": round(time.monotonic() - started, 2)})
        return _Loaded(model, found.name, found.source, setting)

    def _decoder(self, setting: str, source: str) -> Any:
        """CTranslate2's part of a model, loaded anew (as WhisperModel loads it)."""
        import ctranslate2

        started = time.monotonic()
        try:
            decoder = self._retry(lambda: ctranslate2.models.Whisper(
                source, device=self._device, compute_type=self._compute_type,
                intra_threads=self._cpu_threads))
        except Exception as exc:
            raise _unloadable(setting, exc) from exc
        log.info("model loaded anew", extra={"model": setting, "device": self._device,
                                             "seconds": round(time.monotonic() - started, 2)})
        return decoder

    def transcribe(self, media: Path, on_progress: Progress, cancelled: CancelCheck,
                   vocabulary: Sequence[str] = (), checkpoint: Resumable | None = None,
                   model: str = "") -> Transcript:
        def stage(first: float, share: float) -> Callable[[float], None]:
            def step(fraction: float) -> None:
                on_progress(first + share * fraction, 0.0)
                if cancelled():
                    raise Cancelled(f"{media}: cancelled")
            return step

        hotwords = _hotwords([*self._vocabulary, *vocabulary])
        with audio.spool(Path(media), stage(0.0, _DECODE_SHARE)) as sound:
            duration = sound.seconds
            loaded, name = self.fresh(model)
            furthest = 0.0
            looped: list[str] = []   # notes of the loops collapsed for the recovery

            def stopped() -> None:
                if cancelled():
                    raise Cancelled(f"{media}: cancelled")

            def heard(segment: Segment) -> None:
                nonlocal furthest
                furthest = max(furthest, segment.end)  # a stretch decoded again: no step back
                share = _DECODE_SHARE + _LISTEN_SHARE
                on_progress(share + (1 - share) * min(1.0, furthest / duration), furthest)
                stopped()

            try:
                from faster_whisper.vad import VadOptions

                listen = stage(_DECODE_SHARE, _LISTEN_SHARE / 2)
                spans = (speech.speech_spans(sound, VadOptions(**self._vad_parameters), listen)
                         if self._vad else [speech.Span(0, sound.samples)])
                if self._batch_size > 0:
                    from faster_whisper import BatchedInferencePipeline

                    segments = batched.transcribe(BatchedInferencePipeline(loaded), sound, spans, self._piece,
                                        {**self.options(), "hotwords": hotwords}, heard)
                else:
                    said = speech.SpeechOnly(sound, spans)
                    recognition = Recognition(
                        loaded, said, {**self.options(), "hotwords": hotwords}, heard,
                        stage(_DECODE_SHARE + _LISTEN_SHARE / 2, _LISTEN_SHARE / 2))
                    segments = resumed(recognition, self._repair, checkpoint)
                    if self._vad and self._recover:   # speech the decoding skipped, heard again
                        segments = recovery.recovered(recognition, said, sound, segments,
                                                       _RECOVER_SECONDS, stopped)
                        # A loop's repeats fill speech the model did not hear: said once (after
                        # the pass above, whose words found between the repeats stay), the
                        # stretch they filled is decoded again like any other gap.
                        segments, looped, filled = guards.said_once(segments)
                        if filled:
                            segments = recovery.recovered(recognition, said, sound, segments,
                                                           _RECOVER_SECONDS, stopped, filled)
                    if self._repair:   # here, so a resumed job's earlier part is written out too
                        segments = roll_calls_written_out(segments)
                # Whisper's word times run into the pauses around words: fit them to the voice.
                segments = voicing.fit(segments, sound)
                if self._repair:   # at the voice's own pauses, now the times are fitted
                    segments = stops_put_back(segments)
                # The names the station gave as hints, written as it typed them.
                segments = vocabulary_cased(segments, [*self._vocabulary, *vocabulary],
                                            everyday_words(loaded))
                # A new voice after a pause: `>>` before its first word.
                if self._speaker_threshold is not None:
                    segments = speakers.mark(segments, sound, self._speaker_threshold)
                # Music where the VAD heard no one: a stretch long enough gets a caption tag.
                music = (sounds.music(sound, spans, self._music_seconds)
                         if self._vad and self._music_seconds > 0 else [])
            except (Cancelled, MediaError):
                raise
            except Exception as exc:
                raise TranscriptionError(f"{media}: recognition failed: {exc}") from exc
        on_progress(1.0, duration)
        # Speech the voice detector heard and the model wrote nothing for is said, not hidden.
        voiced = [(span.start / audio.SAMPLE_RATE, span.end / audio.SAMPLE_RATE) for span in spans]
        return Transcript(segments=tuple(segments), duration=duration,
                          language=self._language or "", model=name, sounds=tuple(music),
                          notes=(*looped, *(unheard.notes(voiced, segments) if self._vad else ())))


@dataclass(slots=True)
class _Loaded:
    """A model kept loaded: faster-whisper's, its name for people, where it loads from, and
    whether anything may have sampled with it since CTranslate2's part loaded."""

    whisper: Any
    name: str
    source: str
    setting: str   # the model setting it is kept by (`auto` made the model it picked)
    drawn: bool = False


def _unloadable(setting: str, exc: Exception) -> TranscriptionError:
    return TranscriptionError(
        f"cannot load Whisper model {setting!r}: {exc}. Set whisper.model to "
        "'bundled', 'base', a model folder, or a name already on this machine")


def _hotwords(vocabulary: Sequence[str]) -> str | None:
    """Names and terms for the model to expect, once each, in the order given."""
    unique = dict.fromkeys(term.strip() for term in vocabulary if term.strip())
    return ", ".join(unique) or None
