"""A live session: sound in, agreed words out to the encoder, the web and the record.

One loop in one thread: read what the source has, hear it, and at most once per
`chunk_seconds` of new sound decode the buffer (only when it ends in speech), send what two
decodes agree on (or, for a word said `settle_seconds` before the buffer's end that decodes
still disagree on, the latest reading: it had the most sound after it), and cut the buffer.
When the speaker pauses (no speech for `pause_seconds`), the words said since are final: the
buffer is decoded once more at once (unless the last decode already heard the pause), all of
it is sent, the buffer is let go and a new row starts (so the last words of a sentence do not
wait for the next one). When the source goes down (see `SourceWatch`), what is tentative is
sent and the row ends; when it comes back, the buffer starts afresh after the gap, which is
noted.

Each decode is told the words sent before the buffer (see `Prompt`), and its words are spelt
as the station spells (see `Spelling`); with `speaker_changes`, a new speaker's first words are
sent after a `>>` (see `Turns`): a turn ends at a pause, or at a shorter one
(`turn_pause_seconds`) that leaves the row and the buffer as they are.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace

from archivist.domain.live.agreement import LocalAgreement, cut_point
from archivist.domain.live.latency import Latency
from archivist.domain.live.ports import (
    CaptionEncoder,
    LiveRecognizer,
    LiveRecord,
    LiveSource,
    Voices,
)
from archivist.domain.live.prompt import Prompt
from archivist.domain.live.rollup import RollUp
from archivist.domain.live.settings import LiveSettings
from archivist.domain.live.source_watch import Gap, SourceWatch
from archivist.domain.live.turns import Turns
from archivist.domain.metrics import Metrics, NoMetrics
from archivist.domain.models import Word
from archivist.domain.speakers import is_marked
from archivist.domain.spelling import Spelling

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


class LiveSession:
    """Runs one city's live captions until asked to stop (to the encoder if there is one, and
    always to the record, which the web shows)."""

    def __init__(self, city: str, source_name: str, source: LiveSource,
                 recognizer: LiveRecognizer, encoder: CaptionEncoder | None, record: LiveRecord,
                 rollup: RollUp, settings: LiveSettings | None = None,
                 metrics: Metrics | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time,
                 voices: Voices | None = None, spelling: Spelling | None = None) -> None:
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
        self._agreement = LocalAgreement(self._settings.short_letters)
        self._spelling = spelling or Spelling()
        self._sent_in_buffer: list[Word] = []     # words sent from the sound still held
        self._prompt = Prompt(self._settings.prompt_words, self._settings.prompt_names)
        self._latency = Latency(clock)
        self._words_sent = 0
        self._gaps = 0
        self._decoded_at = 0.0
        self._unsettled = False      # speech heard since the last pause: not all sent yet
        self._paused_at = 0.0        # stream time the last pause ended (or was heard)
        self._speaking_from = 0.0    # stream time speech began after the last pause
        self._turns_seen = 0.0       # stream time up to which pauses were looked at for turns
        self._watch = SourceWatch(city, source, self._metrics, self._settings.source_timeout,
                                  self._settings.retry_max)
        self._status_at = 0.0
        self._turns = Turns(voices, recognizer, self._settings.settle_seconds) \
            if voices is not None and self._settings.speaker_changes else None

    def run(self, stopping: Callable[[], bool]) -> None:
        """Caption until `stopping()` or the record asks; always ends the session cleanly."""
        self._watch.began(self._clock())
        self._record.began(self._source_name)
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
        if recognizer.end - self._decoded_at > 0.1 and unheard > 0 and recognizer.speech(unheard):
            self._send(self._agreement.offer(self._decode(final=True)), final=True)
        self._send(self._agreement.flush(), final=True)

    def _decode(self, final: bool = False) -> list[Word]:
        """The buffer decoded, the words sent before it as the prompt (`final`: all of it is
        sent next)."""
        self._decoded_at = self._recognizer.end
        decoded = self._recognizer.decode(self._prompt.before(self._recognizer.start),
                                          final=final)
        # Spelt as the station spells before anything compares them: two decodes that write
        # "favour" and "favor" agree, and the encoder, the record and the prompt read "favor".
        spelled = self._spelling.words([w.word for w in decoded])
        return [replace(w, word=word) for w, word in zip(decoded, spelled, strict=True)]

    def _turn(self) -> None:
        pcm = self._source.read(wait=0.2)
        now = self._clock()
        if pcm:
            if (gap := self._watch.sound(now)) is not None:
                self._source_back(gap)
            start = self._recognizer.end
            self._recognizer.hear(pcm)
            # Sound that waited to be read while a decode ran waited for the viewer too.
            for count, at in getattr(self._source, "arrivals", ()):
                self._latency.arrived(start + count / _BYTES_PER_SECOND, min(at, now))
            self._latency.arrived(self._recognizer.end, now)
            heard = len(pcm) / _BYTES_PER_SECOND
            if self._recognizer.speech(heard + 0.1):
                if not self._unsettled:
                    self._speaking_from = self._recognizer.end - heard
                self._unsettled = True
        elif self._watch.silent(now):
            self._source_lost(now)
        else:
            self._watch.reopen(now)
        if self._turns is not None and self._unsettled:
            self._turn_pause()
        if self._unsettled and not self._recognizer.speech(self._settings.pause_seconds):
            self._paused()
        elif self._unsettled and self._settings.late_pauses and (
                pause := self._recognizer.pause_within(self._settings.pause_seconds,
                                                       self._paused_at)):
            self._paused_late(*pause)
        elif (self._recognizer.end - self._decoded_at >= self._settings.chunk_seconds
              and (not self._unsettled or self._recognizer.end - self._speaking_from
                   >= self._settings.first_seconds)):
            self._step()
        if now - self._status_at >= _STATUS_EVERY:
            self._report()

    def _step(self) -> None:
        recognizer, settings = self._recognizer, self._settings
        if not recognizer.speech(settings.pause_seconds):
            self._decoded_at = recognizer.end
            self._forget(self._kept_from(recognizer.end))
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
        self._turn_ended(self._paused_at, self._paused_at)
        self._forget(self._kept_from(self._paused_at))

    def _turn_pause(self) -> None:
        """Each pause of `turn_pause_seconds` heard since the last looked at, shorter than a
        row's: a turn ends at each, in order (the words before it decoded so far, sent or not,
        give its voice), and the row and the buffer go on. A slow decode can leave several to
        be heard at once: a reply between two of them is a turn of its own."""
        for pause in self._recognizer.pauses_within(self._settings.turn_pause_seconds,
                                                    self._turns_seen):
            self._turn_ended(*pause, heard=[*self._sent_in_buffer, *self._agreement.tentative])

    def _paused_late(self, before: float, after: float) -> None:
        """A pause heard only once the speaker had gone on: the words said before it are final
        as well. Decoded with the pause heard (unless the last decode heard it), they are sent,
        a new row starts and the sound before the pause goes (but for the context kept); the
        words after it wait for agreement as usual."""
        if self._decoded_at < before + _HEARD_PAST:
            self._send(self._agreement.offer(self._decode()))
        self._send(self._agreement.flush(until=(before + after) / 2), final=True)
        self._rollup.pause()
        self._record.rows(self._rollup.finished())
        self._paused_at = after
        self._turn_ended(before, after)
        self._forget(self._kept_from(after))

    def _turn_ended(self, last: float, next_from: float, heard: list[Word] | None = None) -> None:
        """The turn's words end by `last`; the next turn's begin after `next_from` (`heard`: the
        words its voice is taken from, by default those sent from the sound still held)."""
        if self._turns is not None:
            self._turns_seen = max(self._turns_seen, next_from)
            self._turns.ended(self._sent_in_buffer if heard is None else heard, last, next_from)

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

    def _forget(self, until: float) -> None:
        self._recognizer.forget(until)
        self._sent_in_buffer = [w for w in self._sent_in_buffer if w.end > until]
        self._latency.forget(until)

    def _send(self, words: list[Word], final: bool = False) -> None:
        """Send `words` (`final`: the turn ends with them, none waits)."""
        if self._turns is not None:
            words = self._turns.unheld(words, final, self._agreement.tentative)
        if not words:
            return
        now, wall = self._clock(), self._wall()
        shown = words if self._turns is None else \
            self._turns.marked(words, self._agreement.tentative)
        sent: list[tuple[Word, float, float]] = []
        for said in _as_shown(shown):
            pieces = self._rollup.add(said)
            if rows := self._rollup.finished():
                # The row the word ends reaches the record before it (the web page ends its
                # line there, and a new speaker's >> begins the next one).
                if sent:
                    self._record.sent(sent)
                self._record.rows(rows)
                sent = []
            for piece in pieces:
                if not piece.text:
                    # A speaker change, of no length, goes with the next word: timed from that
                    # word's start it would count as a slower word. The next word counts itself.
                    sent.append((piece.word, wall, self._latency.ago(piece.word.end, now)))
                    continue
                latency = self._latency.of(piece.word.end, now)
                sent.append((piece.word, wall, latency))
                if self._encoder is not None:
                    self._encoder.send(piece.text, said_ago=latency)
                self._metrics.live_word_sent(self._city, latency)
                self._words_sent += 1
        self._sent_in_buffer.extend(words)
        self._prompt.sent(words)
        self._record.sent(sent)

    def _source_lost(self, now: float) -> None:
        """The source went quiet at clock time `now`: what is tentative is sent, the row ends."""
        # Down first: if the last decode fails, the session ends saying so (status, metric).
        self._watch.lost(now, self._recognizer.end)
        self._finish()
        self._rollup.pause()
        self._record.rows(self._rollup.finished())
        self._turn_ended(self._recognizer.end, self._recognizer.end)

    def _source_back(self, gap: Gap) -> None:
        """The source is back after `gap`: the buffer starts afresh after it, the gap noted."""
        self._recognizer.restart(gap.end)
        self._agreement.forget()
        self._sent_in_buffer = []
        self._latency.restart()
        self._decoded_at = gap.end
        self._gaps += 1
        self._record.gap(gap.start, gap.end, self._wall())
        self._report()   # the source's timestamp of this sound, before rows said after it

    def _report(self, final: bool = False) -> None:
        self._status_at = self._clock()
        p50, p95 = self._latency.percentiles()
        encoder_up = self._encoder.up if self._encoder is not None else None
        if encoder_up is not None:
            self._metrics.live_encoder(self._city, encoder_up)
        self._record.status({
            "city": self._city,
            # Waiting: nothing has come to caption yet (the page must not say it is live).
            "state": "ended" if final else "running" if self._watch.heard else "waiting",
            "source": self._source_name,
            **self._watch.status(),
            # Since when no sound has come, on the wall clock (the live page tells viewers).
            "source_quiet_since": self._quiet_since(),
            "encoder_up": encoder_up,
            "encoder_problem": getattr(self._encoder, "problem", None) if encoder_up is False else None,
            "words_sent": self._words_sent,
            "gaps": self._gaps,
            "stream_seconds": round(self._recognizer.end, 1),
            "latency_p50": p50,
            "latency_p95": p95,
            "updated": self._wall(),
        })

    def _quiet_since(self) -> float | None:
        """Wall time of the source's last sound while it is down after its first, else None."""
        quiet = self._watch.quiet_from
        return None if quiet is None else round(self._wall() - (self._clock() - quiet), 1)


def _as_shown(words: list[Word]) -> Iterator[list[Word]]:
    """`words` one at a time, a speaker change's `>>` with the word it goes before."""
    shown: list[Word] = []
    for w in words:
        shown.append(w)
        if not (is_marked(w.word) and w.end <= w.start):
            yield shown
            shown = []
    if shown:
        yield shown
