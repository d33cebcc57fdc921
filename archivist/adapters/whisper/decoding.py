"""faster-whisper's own decoding loop over a recording's speech, with the punctuation repair."""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from archivist.adapters.whisper import audio, speech
from archivist.adapters.whisper.features import Spectrogram
from archivist.adapters.whisper.memory import return_freed_memory
from archivist.adapters.whisper.watch import PunctuationWatch, collapsed_runs, marked_like
from archivist.domain import punctuation
from archivist.domain.models import Segment, Word

log = logging.getLogger("archivist.whisper")
# Where Whisper falls back to sampling (a stretch it decodes badly), it draws from this seed,
# so one recording gives the same captions every time it is transcribed: each transcription's
# model has decoding threads of its own, seeded with it (FasterWhisperTranscriber.fresh).
SEED = 0
# Frames of the spectrogram (30 s) a multilingual model hears to tell the language.
_DETECT_FRAMES = 3000
# Seconds of speech between giving freed memory back to the system.
_TRIM_EVERY = 120.0


@dataclass(frozen=True, slots=True)
class Window:
    """The decoder's state where a 30 s window starts: enough to go on from there."""

    seek: float                 # seconds into the speech
    tokens: tuple[int, ...]     # its context: the tokens said before (since the last reset)


# Segments as they are decoded, each with where it starts in the speech.
_Decoding = Generator[tuple[float, Segment], None, None]


class Recognition:
    """faster-whisper's own decoding loop over one recording's speech, fed a spectrogram
    computed as it goes, with punctuation repair.

    This is what `WhisperModel.transcribe` does (VAD, then the speech end to end, each 30 s
    decoded with the text before it as context), so it hears what bare faster-whisper hears;
    only the sound and its spectrogram are read from disk a block at a time instead of being
    held whole. Where punctuation collapses (the model conditioned on its own run-on text), the
    stretch is decoded again, each 30 s window on its own, and the better kept; decoding then
    goes on as it was. At the end, what is kept is judged as the report judges it, and a
    collapsed stretch the watch did not raise is decoded again the same way.
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
        self._windows: dict[int, Window] = {}   # id(segment) -> the window it starts

    def run(self, repair: bool, at: float = 0.0, prompt: str | Sequence[int] | None = None,
            kept_so_far: Callable[[Sequence[Segment], Window], None] | None = None,
            before: Sequence[Segment] = ()) -> list[Segment]:
        """The recording's segments, in order, timed from its start.

        To go on from part-way (a checkpoint), give `at`, seconds into the speech, and `prompt`,
        the text (or tokens) said before it; only what follows is decoded and returned.
        `kept_so_far` is told the segments kept so far each time a 30 s window is done, with
        the decoder's state there (`Window`: where the next window starts, the tokens of its
        context): `run(at=window.seek, prompt=window.tokens)` goes on exactly as this run does.
        `before`, the segments an earlier attempt kept before `at`: the end's punctuation
        judgement reads them too, so a resumed job is judged as a whole one is (only what this
        run decoded can be decoded again).
        """
        if not self._said.samples:
            return []
        kept: list[tuple[float, Segment]] = []  # (where it starts in the speech, the segment)
        current = self._decoding(at, prompt)
        watch = PunctuationWatch()
        trimmed_at = at
        while (item := next(current, None)) is not None:
            window = self._windows.pop(id(item[1]), None)
            if window is not None and kept_so_far is not None and kept:
                kept_so_far([s for _, s in kept], window)   # the windows before this one
            kept.append(item)
            self._heard(item[1])
            if item[0] - trimmed_at > _TRIM_EVERY:
                return_freed_memory()
                trimmed_at = item[0]
            if repair:
                current = self._repaired(kept, current, watch)
        current.close()
        self._windows.clear()
        if repair:
            self._mended(kept, before)
        return [s for _, s in kept]

    def _mended(self, kept: list[tuple[float, Segment]], before: Sequence[Segment] = ()) -> None:
        """Decode again, last first, each stretch of `kept` the report would judge collapsed
        (watch.collapsed_runs), keeping the better try. The watch raises a collapse only once
        two runs of words have gone by after it: it never sees a recording's last stretch, nor
        one a stretch it retried drags down (on dev 2108 the last sixth held 0.26 of the
        script's marks; on 1003 a roll call and a vote run on in each of two sixths)."""
        # Indexes into `kept`; the segments `before` it (a resumed job's) count from -len(before).
        segments = [*before, *(s for _, s in kept)]
        words = [(i - len(before), w.word) for i, s in enumerate(segments) for w in s.words
                 if w.word.strip()]
        stretches: list[tuple[int, int]] = []   # segments: first, end
        for lo, hi in collapsed_runs([w for _, w in words]):
            first, end = max(0, words[lo][0]), words[hi - 1][0] + 1
            if end <= first:   # all in what an earlier attempt kept: not decoded again here
                continue
            if stretches and first < stretches[-1][1]:   # they share a segment
                first = stretches.pop()[0]
            stretches.append((first, end))
        for first, end in reversed(stretches):   # the last first: earlier indexes hold
            self._again(kept, first, end)

    def alone(self, at: float, until: float) -> list[Segment]:
        """The segments of the speech from `at` to `until` (seconds into it), decoded on
        their own: without the text before them, and hearing nothing after `until`."""
        found = []
        for _where, segment in self._decoding(at, None, alone=True, until=until):
            self._heard(segment)
            found.append(segment)
        self._windows.clear()
        return found

    def _repaired(self, kept: list[tuple[float, Segment]], current: _Decoding,
                  watch: PunctuationWatch) -> _Decoding:
        """Where punctuation collapsed, decode that stretch again and, if better punctuated,
        put the second try's marks and capitals on the first try's words there (`_again`);
        then go on with `current`, the first decoding, after the stretch.

        The first decoding goes on after the stretch: going on in the second try's context can
        skip speech further on (on corpus 2108, realistic voices in a reverberant room, it
        dropped 34 s of a quiet voice, 12 points of WER). A collapse that lasts is caught
        again, and repaired again, further on.
        """
        first = watch.collapse([s for _, s in kept])
        if first is not None and self._again(kept, first):
            watch.replaced()
        return current

    def _decoding(self, at: float, prompt: str | Sequence[int] | None,
                  alone: bool = False, until: float | None = None) -> _Decoding:
        """Segments decoded from `at` seconds into the speech (with `prompt` as the text, or
        the tokens, said before), each with where it starts in the speech. The first segment
        of each 30 s window is noted in `_windows` with the decoder's state before it.
        `alone`: each window decoded on its own, without the text before it. `until`: the
        speech ends there (seconds into it)."""
        clip = [at] if until is None else [at, until]
        options = replace(self._options, clip_timestamps=clip if at or until else "0",
                          initial_prompt=list(prompt) if isinstance(prompt, Sequence)
                          and not isinstance(prompt, str) else (
                              prompt if prompt else self._options.initial_prompt))
        if alone:
            options = replace(options, condition_on_previous_text=False, initial_prompt=None)
        # The decoder's context as faster-whisper keeps it (its `all_tokens` since the last
        # reset): the prompt, then every segment's tokens; emptied after a window decoded hot.
        context = (list(self._tokenizer.encode(" " + options.initial_prompt.strip()))
                   if isinstance(options.initial_prompt, str)
                   else list(options.initial_prompt or ()))
        seek, hot, starting = None, False, None
        for raw in self._model.generate_segments(self._features, self._tokenizer, options, False):
            if raw.seek != seek:   # a new window
                if hot:
                    context = []
                starting = Window(raw.seek * self._model.feature_extractor.time_per_frame,
                                  tuple(context))
            seek = raw.seek
            hot = (not options.condition_on_previous_text
                   or raw.temperature > options.prompt_reset_on_temperature)
            segment = self._segment(raw)
            if segment is not None and starting is not None:
                self._windows[id(segment)], starting = starting, None
            context.extend(raw.tokens)
            if segment is not None:
                yield float(raw.start), segment

    def _again(self, kept: list[tuple[float, Segment]], first: int, end: int | None = None
               ) -> bool:
        """Decode again segments `first` (where punctuation collapsed) to `end` (default: the
        end of what is kept), each 30 s window on its own: not conditioned on the model's
        run-on text, nor on any text of the recording (a primer of its last well-punctuated
        sentences kept tiny.en's second tries run on as often, and where a meeting says its
        script again, as on dev 1003, it holds what comes next and the model skips it). If the
        second try is better punctuated, its marks and capitals go onto the first try's words
        where the two say the same (watch.marked_like: the words stay the first decoding's,
        which heard them with the text before); if that is better punctuated, replace those
        segments in `kept` (True)."""
        end = len(kept) if end is None else end
        at, reached = kept[first][0], kept[end - 1][1].end
        fresh = self._decoding(at, None, alone=True)
        redone: list[tuple[float, Segment]] = []
        for item in fresh:
            self._heard(item[1])
            self._windows.pop(id(item[1]), None)   # windows of the first decoding go on
            trimmed = _until(item[1], reached)
            if trimmed is not None:
                redone.append((item[0], trimmed))
            if item[1].end >= reached:
                break
        fresh.close()
        before = [s for _, s in kept[first:end]]
        marked = marked_like(before, [w for _, s in redone for w in s.words])
        old = punctuation.density([w.word for s in before for w in s.words])
        new = punctuation.density([w.word for s in marked for w in s.words])
        kept_new = new.per_100 > old.per_100
        log.info("punctuation collapsed", extra={
            "at": round(kept[first][1].start, 1), "until": round(reached, 1),
            "words": old.words, "punctuation_before": round(old.per_100, 1),
            "punctuation_after": round(new.per_100, 1), "kept": kept_new})
        if kept_new:
            kept[first:end] = [(where, s) for (where, _), s in zip(kept[first:end], marked, strict=True)]
        return kept_new

    def _segment(self, raw: Any) -> Segment | None:
        """A decoded segment timed from the recording's start (each word by the stretch of
        speech its middle is in, as faster-whisper restores them, and kept inside it); None if
        it has no text."""
        text = raw.text.strip()
        if not text:
            return None
        said = self._said
        words = []
        for w in raw.words or ():
            span = said.span_of((w.start + w.end) / 2)
            # A word running past its stretch of speech would be timed into the silence the
            # VAD took out between stretches (faster-whisper's own restore does so): Whisper
            # never heard that silence, so the word ends (or starts) with its stretch.
            words.append(Word(said.recording_time(said.within(w.start, span), span),
                              said.recording_time(said.within(w.end, span), span),
                              w.word, float(w.probability)))
        start = words[0].start if words else said.recording_time(raw.start)
        end = words[-1].end if words else said.recording_time(raw.end)
        return Segment(start, end, text, tuple(words), avg_logprob=float(raw.avg_logprob),
                       no_speech_prob=float(raw.no_speech_prob),
                       compression_ratio=float(raw.compression_ratio))


def _until(segment: Segment, end: float) -> Segment | None:
    """`segment` without the words that start at or after `end` (the first decoding says
    those); None if none is left."""
    words = tuple(w for w in segment.words if w.start < end)
    if len(words) == len(segment.words):
        return segment
    if not words:
        return None
    return replace(segment, end=words[-1].end, words=words,
                   text="".join(w.word for w in words).strip())
