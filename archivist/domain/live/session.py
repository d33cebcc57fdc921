"""A live session: sound in, agreed words out to the encoder, the web and the record.

One loop in one thread: read what the source has, hear it, and at most once per
`chunk_seconds` of new sound decode the buffer (only when it ends in speech), send what two
decodes agree on (or, for a word said `settle_seconds` before the buffer's end that decodes
still disagree on, the latest reading: it had the most sound after it), and cut the buffer.
When the speaker pauses (no speech for `pause_seconds`), the words said since are final: the
buffer is decoded once more at once (unless the last decode already heard the pause), all of
it is sent, the buffer is let go and a new row starts (so the last words of a sentence do not
wait for the next one). A source that sends nothing for `source_timeout` is down: what is
tentative is sent, the source is opened again once its opening has given up (an opening still
listening or probing is kept: killed, it would lose the stream's first seconds), with a growing
delay between openings that fail at once, and when it comes back the gap is noted. Until the
first sound the session is waiting for the source (opened again the same way), which is no gap:
stream time starts at the first sound.
"""

from __future__ import annotations

import bisect
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from archivist.domain.live.agreement import LocalAgreement, cut_point
from archivist.domain.live.ports import CaptionEncoder, LiveRecognizer, LiveRecord, LiveSource
from archivist.domain.live.rollup import RollUp
from archivist.domain.metrics import Metrics, NoMetrics
from archivist.domain.models import Word

# Seconds between status updates.
_STATUS_EVERY = 1.0
# Seconds at the end of the buffer whose words may still be being said.
_STILL_SAID = 1.0
# Sound arrives as 16 kHz mono 16-bit samples (the LiveSource port).
_BYTES_PER_SECOND = 32000
# Seconds of silence kept at the start of the buffer after a pause (the model hears speech
# begin rather than starting mid-word).
_KEPT_SILENCE = 0.5
# Seconds of silence after the words kept as context past which they are let go too (what is
# said after a long pause has little to do with them, and the model would hear the silence).
_CONTEXT_PAUSE = 3.0
# Seconds before a kept word's start where its sound is cut (word times are good to a tenth).
_WORD_EDGE = 0.1
# Seconds of no speech a decode must have heard after the last word for its reading of that
# word to be final (a word cut off at the buffer's end is often misheard).
_HEARD_PAST = 0.3
# Latencies kept for the status figures.
_LATENCIES = 200


@dataclass(frozen=True, slots=True)
class LiveSettings:
    """How a session listens (live: in config.yml)."""

    chunk_seconds: float = 1.0     # decode at most once per this much new sound
    trim_after: float = 10.0       # from this length, cut the buffer at a sentence sent
    max_seconds: float = 30.0      # the buffer never holds more
    pause_seconds: float = 0.6     # no speech this long: decode, send it all, new row
    settle_seconds: float = 2.5    # a word said this long before the buffer's end is sent
    # Words sent before the buffer given to the model as what was said before it (never words
    # the buffer itself holds: the model would take them as said already, and skip them).
    prompt_words: int = 40
    # At a pause, the sound of the last words sent (up to this many seconds of them) is kept
    # for the next decode to hear before what is said next (a short reply is not heard alone);
    # their words are not sent again. 0: only the last half second of the pause is kept.
    context_seconds: float = 0.0
    # The sound kept through a pause heard only by the decode at the next pause (the final
    # reading of what was said since, a short reply heard after what it answers), not by the
    # decodes while it is said (they hear what was said since, the kept words as the prompt).
    context_at_pause: bool = False
    # A pause heard only once the speaker went on (it came while a decode ran) ends the row
    # and makes the words before it final too, as a pause heard at once does.
    late_pauses: bool = False
    source_timeout: float = 3.0    # no sound this long: the source is down
    retry_max: float = 2.0         # longest wait between attempts to reopen the source


@dataclass(slots=True)
class _Figures:
    words: int = 0
    gaps: int = 0
    latencies: deque[float] = field(default_factory=lambda: deque(maxlen=_LATENCIES))


class LiveSession:
    """Runs one city's live captions until asked to stop (to the encoder if there is one, and
    always to the record, which the web shows)."""

    def __init__(self, city: str, source_name: str, source: LiveSource,
                 recognizer: LiveRecognizer, encoder: CaptionEncoder | None, record: LiveRecord,
                 rollup: RollUp, settings: LiveSettings | None = None,
                 metrics: Metrics | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        self._city = city
        self._source_name = source_name
        self._source = source
        self._recognizer = recognizer
        self._encoder = encoder
        self._record = record
        self._rollup = rollup
        self._settings = settings or LiveSettings()
        self._metrics = metrics or NoMetrics()
        self._clock = clock
        self._wall = wall
        self._agreement = LocalAgreement()
        self._sent_in_buffer: list[Word] = []     # words sent from the sound still held
        self._said: deque[Word] = deque(maxlen=self._settings.prompt_words)   # the last words sent
        self._arrivals: deque[tuple[float, float]] = deque()   # (stream time, clock) of sound
        self._figures = _Figures()
        self._decoded_at = 0.0
        self._said_from = 0.0        # stream time the sound after the kept context begins
        self._whole_decoded = False  # the last decode heard the kept context too
        self._unsettled = False      # speech heard since the last pause: not all sent yet
        self._paused_at = 0.0        # stream time the last pause ended (or was heard)
        self._last_sound = 0.0
        self._heard = False          # any sound yet: before it, the session waits for the source
        self._down_since: float | None = None       # clock time the source went quiet
        self._down_at = 0.0                         # stream time it went quiet
        self._quiet_from = 0.0                      # clock time of its last sound
        self._opened_at = 0.0                       # stream time the source's sound (re)began
        self._next_try = 0.0
        self._delay = 0.0
        self._status_at = 0.0
        self._began = 0.0

    def run(self, stopping: Callable[[], bool]) -> None:
        """Caption until `stopping()` or the record asks; always ends the session cleanly."""
        self._began = self._last_sound = self._clock()
        self._record.began(self._source_name)
        self._metrics.live_source(self._city, True)
        try:
            while not (stopping() or self._record.stop_requested() or self._source.ended):
                self._turn()
            self._finish()
            self._record.rows(self._rollup.close())
        finally:   # stopped at once (a second Ctrl-C, an error): what was sent is kept
            self._report(final=True)
            self._record.ended()

    def _finish(self) -> None:
        """Send the rest: the buffer decoded once more, as it stands (its last words had no
        second decode to agree with), unless the last decode already heard the speech end."""
        recognizer = self._recognizer
        unheard = recognizer.end - max(recognizer.start, self._decoded_at - _HEARD_PAST)
        heard_end = recognizer.end - self._decoded_at <= 0.1 or unheard <= 0 \
            or not recognizer.speech(unheard)
        if not heard_end or self._context_unheard():
            self._send(self._agreement.offer(self._decode(whole=True)))
        self._send(self._agreement.flush())

    def _context_unheard(self) -> bool:
        """Is there kept context that no decode of the speech said since has heard?"""
        recognizer = self._recognizer
        return (self._settings.context_at_pause and not self._whole_decoded
                and self._said_from > recognizer.start + _WORD_EDGE
                and recognizer.speech(recognizer.end - self._said_from))

    def _decode(self, whole: bool = False) -> list[Word]:
        """The buffer decoded: whole, or (with `context_at_pause`) from where the sound after
        the kept context begins, the context's words then being part of the prompt."""
        recognizer = self._recognizer
        since = recognizer.start
        if self._settings.context_at_pause and not whole:
            since = max(since, self._said_from)
        self._decoded_at = recognizer.end
        self._whole_decoded = since <= recognizer.start
        if self._whole_decoded:
            return recognizer.decode(self._prompt(since))
        return recognizer.decode(self._prompt(since), since)

    def _turn(self) -> None:
        pcm = self._source.read(wait=0.2)
        now = self._clock()
        if pcm:
            if self._down_since is not None and self._heard:
                self._source_back(now)
            elif self._down_since is not None:
                self._source_came()
            self._heard = True
            self._recognizer.hear(pcm)
            self._arrivals.append((self._recognizer.end, now))
            self._last_sound = now
            if self._recognizer.speech(len(pcm) / _BYTES_PER_SECOND + 0.1):
                self._unsettled = True
        elif self._down_since is None and now - self._last_sound > self._settings.source_timeout:
            self._source_lost(now)
        elif self._down_since is not None and now >= self._next_try and self._source.restart():
            # Paced for an input that fails at once (refused, not found); an opening that
            # waited out its timeout is followed at once, so a stream is not missed between.
            self._delay = min(self._settings.retry_max, max(0.25, self._delay * 2))
            self._next_try = now + self._delay
        if self._unsettled and not self._recognizer.speech(self._settings.pause_seconds):
            self._paused()
        elif self._unsettled and self._settings.late_pauses and (
                pause := self._recognizer.pause_within(self._settings.pause_seconds,
                                                       self._paused_at)):
            self._paused_late(*pause)
        elif self._recognizer.end - self._decoded_at >= self._settings.chunk_seconds:
            self._step()
        if now - self._status_at >= _STATUS_EVERY:
            self._report()

    def _step(self) -> None:
        recognizer, settings = self._recognizer, self._settings
        if not recognizer.speech(settings.pause_seconds):
            self._decoded_at = recognizer.end
            self._let_go(recognizer.end)
            return
        self._send(self._agreement.offer(self._decode()))
        # Decodes that keep changing their minds (or come too seldom, on a starved CPU) cannot
        # hold a word back for long, nor the buffer past its limit: the latest reading is sent
        # (with seconds of sound after it, it is the best one), all but what may still be said.
        full = recognizer.end - recognizer.start >= settings.max_seconds
        self._send(self._agreement.flush(
            until=recognizer.end - (_STILL_SAID if full else settings.settle_seconds)))
        cut = cut_point(self._sent_in_buffer, recognizer.start, recognizer.end,
                        settings.trim_after, settings.max_seconds)
        if cut is not None:
            if cut > self._agreement.sent_until:
                self._agreement.forget()   # nothing it held agreed: let it go
            self._forget(cut)

    def _paused(self) -> None:
        """The speaker paused: every word said since the last pause is final. Decode the
        buffer once more, send all of it, start a new row and let the sound go."""
        self._unsettled = False
        self._finish()
        self._rollup.pause()
        self._record.rows(self._rollup.finished())
        self._paused_at = self._recognizer.end
        self._let_go(self._paused_at)

    def _paused_late(self, before: float, after: float) -> None:
        """A pause heard only once the speaker had gone on: the words said before it are final
        as well. Decoded with the pause heard (unless the last decode heard it), they are sent,
        a new row starts and the sound before the pause goes (but for the context kept); the
        words after it wait for agreement as usual."""
        if self._decoded_at < before + _HEARD_PAST or self._context_unheard():
            self._send(self._agreement.offer(self._decode(whole=True)))
        self._send(self._agreement.flush(until=(before + after) / 2))
        self._rollup.pause()
        self._record.rows(self._rollup.finished())
        self._paused_at = after
        self._let_go(after)

    def _let_go(self, pause_end: float) -> None:
        """Let the sound before a pause ending at `pause_end` go, but for the context kept."""
        self._forget(self._kept_from(pause_end))
        self._said_from = max(self._recognizer.start, pause_end - _KEPT_SILENCE)
        self._whole_decoded = False

    def _kept_from(self, pause_end: float) -> float:
        """Where the sound kept through a pause ending at `pause_end` begins: at the first of
        the last words sent that fit in `context_seconds` (whole words, their sound heard again
        as context), or only the pause's last half second when none do or it lasts longer."""
        recognizer, seconds = self._recognizer, self._settings.context_seconds
        silence = max(recognizer.start, pause_end - _KEPT_SILENCE)
        sent_until = self._agreement.sent_until
        if not seconds or pause_end - sent_until > _CONTEXT_PAUSE:
            return silence
        kept = [w for w in self._sent_in_buffer if w.start >= sent_until - seconds]
        if not kept:
            return silence
        return max(recognizer.start, min(silence, kept[0].start - _WORD_EDGE))

    def _prompt(self, start: float) -> str:
        """The words sent before stream time `start` (the last `prompt_words`)."""
        return " ".join(w.word.strip() for w in self._said if w.end <= start + 0.05)

    def _forget(self, until: float) -> None:
        self._recognizer.forget(until)
        self._sent_in_buffer = [w for w in self._sent_in_buffer if w.end > until]
        while len(self._arrivals) > 1 and self._arrivals[1][0] <= until - 5.0:
            self._arrivals.popleft()

    def _send(self, words: list[Word]) -> None:
        if not words:
            return
        now, wall = self._clock(), self._wall()
        sent = []
        for piece in self._rollup.add(words):
            if self._encoder is not None:
                self._encoder.send(piece.text)
            latency = max(0.0, now - self._heard_at(piece.word.end))
            sent.append((piece.word, wall, latency))
            self._figures.latencies.append(latency)
            self._metrics.live_word_sent(self._city, latency)
        self._figures.words += len(sent)
        self._sent_in_buffer.extend(words)
        self._said.extend(words)
        self._record.sent(sent)
        self._record.rows(self._rollup.finished())

    def _heard_at(self, stream_time: float) -> float:
        """Clock time the sound at `stream_time` arrived."""
        arrivals = self._arrivals
        if not arrivals:
            return self._clock()
        i = bisect.bisect_left(arrivals, stream_time, key=lambda a: a[0])
        return arrivals[min(i, len(arrivals) - 1)][1]

    def _source_lost(self, now: float) -> None:
        self._down_since, self._down_at = now, self._recognizer.end
        self._quiet_from = self._last_sound
        self._delay, self._next_try = 0.0, now
        self._finish()
        self._rollup.pause()
        self._record.rows(self._rollup.finished())
        self._metrics.live_source(self._city, False)
        if not self._heard:   # started before its stream: a wait, not the source failing
            self._metrics.live_waiting(self._city, True)

    def _source_came(self) -> None:
        """The first sound after waiting for it: nothing was lost, stream time starts here."""
        self._down_since = None
        self._metrics.live_source(self._city, True)
        self._metrics.live_waiting(self._city, False)

    def _source_back(self, now: float) -> None:
        assert self._down_since is not None
        # The stream's clock keeps running through the gap, so captions stay on wall time.
        gap_start = self._down_at
        gap_end = gap_start + (now - self._quiet_from)
        self._recognizer.restart(gap_end)
        self._agreement.forget()
        self._sent_in_buffer = []
        self._arrivals.clear()
        self._decoded_at = gap_end
        self._said_from, self._whole_decoded = gap_end, False
        self._down_since = None
        self._opened_at = gap_end
        self._figures.gaps += 1
        self._record.gap(gap_start, gap_end, self._wall())
        self._metrics.live_source(self._city, True)
        self._report()   # the source's timestamp of this sound, before rows said after it

    def _report(self, final: bool = False) -> None:
        self._status_at = self._clock()
        figures = self._figures
        ordered = sorted(figures.latencies)
        encoder_up = self._encoder.up if self._encoder is not None else None
        if encoder_up is not None:
            self._metrics.live_encoder(self._city, encoder_up)
        self._record.status({
            "city": self._city,
            "state": "ended" if final else "running",
            "source": self._source_name,
            "source_up": self._down_since is None and self._heard,   # not before its first sound
            "waiting": not self._heard,   # for the source's first sound: not a fault of it
            # The source's own clock (MPEG-TS) at the stream time its sound last began, for
            # the HLS subtitles; only while that opening sends (a new one may be probing).
            "source_timestamp": getattr(self._source, "first_timestamp", None)
            if self._heard and self._down_since is None else None,
            "source_opened_at": round(self._opened_at, 3),
            # Why nothing comes or nothing goes (a host that does not resolve, a refused
            # connection), for `live status` and /status; a stand-in that cannot tell says none.
            "source_problem": getattr(self._source, "problem", None) if self._down_since is not None else None,
            "encoder_up": encoder_up,
            "encoder_problem": getattr(self._encoder, "problem", None) if encoder_up is False else None,
            "words_sent": figures.words,
            "gaps": figures.gaps,
            "stream_seconds": round(self._recognizer.end, 1),
            "latency_p50": round(ordered[len(ordered) // 2], 2) if ordered else None,
            "latency_p95": round(ordered[int(len(ordered) * 0.95)], 2) if ordered else None,
            "updated": self._wall(),
        })
