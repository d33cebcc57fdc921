"""The LiveRecognizer port on faster-whisper: a growing buffer of sound, decoded whole.

The model is the one the transcriber loads (`model`: a callable returning it, loaded once per
process). Speech is found as sound arrives, 512 samples at a time, by the Silero VAD that
faster-whisper ships, carrying its state, so asking "is there speech at the end?" costs
nothing. Decoding is greedy by default (live.beam_size: a live caption cannot wait for a wide beam), with the
city's vocabulary as hotwords and what was said before the buffer as the prompt (heard again
without it when it left speech unwritten, or looped). A decoded word with no speech under it
(the model going on with its prompt into silence, or looping) is dropped, and so is a phrase
said over again three times or more in a row (a loop: only its first saying is kept; one word,
five times). Two settings for bench/live_replay.py to try, off by default: a beam of its own
for the decode whose words are all sent as they stand (at a pause), and a long phrase said only
twice taken for a loop.
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from archivist.adapters.live.window import windowed
from archivist.domain.errors import TranscriptionError
from archivist.domain.live.agreement import plain
from archivist.domain.models import Word

SAMPLE_RATE = 16000
_FRAME = 512             # samples the VAD hears at a time
_CONTEXT = 64            # ... with this many before them
# Tokens a decode may write per second of sound (speech is under 4), and a few more: a model
# caught in a loop stops there instead of writing hundreds, which would cost seconds.
_TOKENS_PER_SECOND = 6
_TOKENS_MORE = 10
# A phrase of two to _LOOP_WORDS words said _LOOP_TIMES times in a row is a loop (people say
# "thank you, thank you", hardly ever three times); one word, only _LOOP_ONE_WORD times in a
# row (a voice vote heard in one buffer is "Aye. Aye. Aye.").
_LOOP_TIMES = 3
_LOOP_ONE_WORD = 5
_LOOP_WORDS = 8
# ... and a phrase said only twice is looked for up to this long (a model's stock sentence).
_TWICE_WORDS = 16
# Seconds either side of a decoded word in which the VAD must have heard speech (word times
# are good to a few tenths of a second).
_WORD_MARGIN = 0.3
# Seconds of silence the encoder hears after the buffer (live.window_seconds under 30): the
# model is used to sound ending before its window does.
_WINDOW_PAD = 1.0


class WhisperLiveRecognizer:
    """Hears sound as it comes; decodes the buffer (at most `max_seconds`) on request."""

    def __init__(self, model: Callable[[], Any], language: str = "en", beam_size: int = 1,
                 vocabulary: Sequence[str] = (), vad_threshold: float = 0.5,
                 max_seconds: float = 30.0, guard_loops: bool = True,
                 final_beam_size: int = 0, twice_words: int = 0,
                 window_seconds: float = 10.0) -> None:
        self._model = model
        # The least sound the encoder hears per decode: the buffer and a second of silence
        # after it, padded to this (FULL_SECONDS: Whisper's whole window, as offline). 10 s:
        # a third of the decoding time at 30 s's words on dev (README, Live captions).
        self._window_seconds = window_seconds
        self._guard_loops = guard_loops
        # The decode whose words are sent as they stand (at a pause, at the end): its beam
        # (0: `beam_size`); and the length from which a phrase said twice in a row is a loop.
        self._final_beam_size = final_beam_size or beam_size
        self._twice_words = twice_words
        self._language = language or None
        self._beam_size = beam_size
        terms = [str(t).strip() for t in vocabulary if str(t).strip()]
        self._hotwords = ", ".join(dict.fromkeys(terms)) or None
        self._threshold = vad_threshold
        self._limit = int(max_seconds * SAMPLE_RATE) + 5 * SAMPLE_RATE
        self._pcm = bytearray()             # the buffer: 16-bit samples
        self._start = 0.0                   # stream time of its first sample
        self._pending = bytearray()         # samples the VAD has not heard (under a frame)
        self._speech: deque[tuple[float, float]] = deque()   # (stream time, probability)
        self._vad: Any = None

    @property
    def window_seconds(self) -> float:
        return self._window_seconds

    @property
    def start(self) -> float:
        return self._start

    @property
    def end(self) -> float:
        return self._start + len(self._pcm) / (2 * SAMPLE_RATE)

    def hear(self, pcm: bytes) -> None:
        at = self.end
        self._pcm += pcm
        if len(self._pcm) > 2 * self._limit:   # never more than the limit, whatever the caller
            self.forget(self.end - self._limit / SAMPLE_RATE)
        self._pending += pcm
        self._listen(at - (len(self._pending) - len(pcm)) / (2 * SAMPLE_RATE))

    def speech(self, last_seconds: float) -> bool:
        since = self.end - last_seconds
        return any(p >= self._threshold for t, p in self._speech if t >= since)

    def pause_within(self, seconds: float, since: float) -> tuple[float, float] | None:
        pauses = self.pauses_within(seconds, since)
        return pauses[-1] if pauses else None

    def pauses_within(self, seconds: float, since: float) -> list[tuple[float, float]]:
        frame = _FRAME / SAMPLE_RATE
        heard = [t for t, p in self._speech if p >= self._threshold and t - frame >= self._start]
        return [(before, after - frame) for before, after in zip(heard, heard[1:])
                if before >= since and after - frame - before >= seconds]

    def decode(self, prompt: str, final: bool = False) -> list[Word]:
        beam = self._final_beam_size if final else self._beam_size
        words = self._decode(prompt, beam)
        looped = self._guard_loops and self._looped(words) is not None
        if (not words or looped) and prompt.strip() and self.speech(self.end - self.start):
            # The prompt can lead the model to write nothing over speech (or a loop of dots),
            # or to loop: heard again without it.
            words = self._decode("", beam)
        if self._guard_loops and (cut := self._looped(words)) is not None:
            words = words[:cut]
        return words

    def _looped(self, words: Sequence[Word]) -> int | None:
        return looped_from(words, self._twice_words)

    def _decode(self, prompt: str, beam: int) -> list[Word]:
        import numpy as np

        if not self._pcm:
            return []
        samples = np.frombuffer(bytes(self._pcm), dtype=np.int16).astype(np.float32) / 32768.0
        try:
            heard = max(self._window_seconds, len(samples) / SAMPLE_RATE + _WINDOW_PAD)
            segments, _info = windowed(self._model(), heard).transcribe(
                samples, language=self._language, beam_size=beam,
                word_timestamps=True, vad_filter=False, condition_on_previous_text=False,
                temperature=0.0, initial_prompt=prompt.strip() or None, hotwords=self._hotwords,
                max_new_tokens=int(len(samples) / SAMPLE_RATE * _TOKENS_PER_SECOND) + _TOKENS_MORE)
            words: list[Word] = []
            # faster-whisper skips a stretch it reads as silence (no-speech probability over
            # 0.6 with a low log-probability); skipping on the probability alone lost whole
            # buffers of fast speech.
            for segment in segments:
                words.extend(Word(self._start + float(w.start), self._start + float(w.end),
                                  w.word.strip(), float(w.probability))
                             for w in segment.words or () if w.word.strip())
        except TranscriptionError:
            raise
        except Exception as exc:
            raise TranscriptionError(f"live recognition failed: {exc}") from exc
        return self._spoken(words)

    def _spoken(self, words: list[Word]) -> list[Word]:
        """The words with speech heard under them (within `_WORD_MARGIN`)."""
        heard = [t for t, p in self._speech if p >= self._threshold]
        if not heard:
            return []
        frame = _FRAME / SAMPLE_RATE
        return [w for w in words
                if (i := bisect.bisect_left(heard, w.start - _WORD_MARGIN)) < len(heard)
                and heard[i] - frame <= w.end + _WORD_MARGIN]

    def sound(self, start: float, end: float) -> bytes:
        first = max(0, int((start - self._start) * SAMPLE_RATE))
        last = max(first, int((end - self._start) * SAMPLE_RATE))
        return bytes(self._pcm[2 * first:2 * last])

    def forget(self, until: float) -> None:
        drop = int((until - self._start) * SAMPLE_RATE) * 2
        if drop <= 0:
            return
        drop = min(drop, len(self._pcm))
        del self._pcm[:drop]
        self._start += drop / (2 * SAMPLE_RATE)
        while self._speech and self._speech[0][0] < self._start - 1.0:
            self._speech.popleft()

    def restart(self, at: float) -> None:
        self._pcm.clear()
        self._pending.clear()
        self._speech.clear()
        self._start = at
        self._vad = None

    def _listen(self, at: float) -> None:
        """Run the VAD over the whole frames not heard yet; `at` is the stream time of the
        first of them."""
        frames = len(self._pending) // (2 * _FRAME)
        if not frames:
            return
        import numpy as np

        if self._vad is None:
            from faster_whisper.vad import get_vad_model

            session = get_vad_model().session
            zeros = np.zeros((1, 1, 128), dtype=np.float32)
            self._vad = [session, zeros, zeros.copy(), np.zeros(_CONTEXT, dtype=np.float32)]
        session, h, c, before = self._vad
        take = frames * _FRAME * 2
        block = np.frombuffer(bytes(self._pending[:take]), dtype=np.int16).astype(np.float32)
        del self._pending[:take]
        block = (block / 32768.0).reshape(frames, _FRAME)
        context = np.vstack([before[None, :], block[:-1, -_CONTEXT:]])
        heard, h, c = session.run(None, {"input": np.hstack([context, block]), "h": h, "c": c})
        self._vad = [session, h, c, block[-1, -_CONTEXT:].copy()]
        for i, p in enumerate(np.asarray(heard).reshape(-1)):
            self._speech.append((at + (i + 1) * _FRAME / SAMPLE_RATE, float(p)))


def looped_from(words: Sequence[Word], twice_words: int = 0) -> int | None:
    """Where a loop's second saying begins in `words` (a phrase said over and over: see
    _LOOP_TIMES; with `twice_words`, a phrase of that many words or more said twice), or None
    when there is none."""
    said = [plain(w.word) for w in words]
    for i in range(len(said)):
        for n in range(1, (_TWICE_WORDS if twice_words else _LOOP_WORDS) + 1):
            phrase = said[i:i + n]
            if len(phrase) < n or not any(phrase):
                break
            times = (_LOOP_ONE_WORD if n == 1 else 2 if twice_words and n >= twice_words
                     else _LOOP_TIMES if n <= _LOOP_WORDS else 0)
            if not times:
                continue
            if all(said[i + k * n:i + (k + 1) * n] == phrase for k in range(1, times)):
                return i + n
    return None
