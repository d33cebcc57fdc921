"""Speaker changes in a live session (live.speaker_changes): the offline detector's test
(adapters/whisper/speakers.py) on the sound of the words a session sends, heard in two made-up
voices (harmonics of their own pitch under spectral envelopes of their own shape)."""

from __future__ import annotations

import numpy as np

from archivist.adapters.whisper.speakers import LiveVoices
from archivist.domain.live.rollup import RollUp
from archivist.domain.live.session import LiveSession
from archivist.domain.live.settings import LiveSettings
from archivist.domain.models import Word
from tests.fakes import Clock

RATE = 16000
CHUNK = 0.2                                   # seconds of sound a read brings
DECODE = 0.3                                  # seconds a decode takes
# A voice: its pitch (Hz) and the centres (Hz) of the peaks of its spectral envelope.
LOW = (115.0, (500.0, 1500.0, 2500.0))
HIGH = (215.0, (850.0, 2300.0, 3400.0))


def said(voice: tuple[float, tuple[float, ...]], seconds: float,
         rng: np.random.Generator) -> np.ndarray:
    """`seconds` of a word in `voice`: its pitch and envelope moving within it, as speech's
    do from sound to sound."""
    pitch, peaks = voice
    t = np.arange(int(seconds * RATE)) / RATE
    f0 = pitch * (1 + rng.uniform(-0.05, 0.05)) * (1 + 0.03 * np.sin(2 * np.pi * 3 * t))
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    shift = 1 + 0.12 * np.sin(2 * np.pi * rng.uniform(4, 7) * t + rng.uniform(0, 2 * np.pi))
    out = np.zeros_like(t)
    for k in range(1, int(7600 / pitch)):
        hz = k * pitch
        gain = sum(np.exp(-((hz - p * shift) / 150.0) ** 2) for p in peaks) + 0.02
        out += gain * np.sin(k * phase + rng.uniform(0, 2 * np.pi))
    out *= np.sin(np.pi * t / seconds) ** 0.5          # each word rises and falls
    out += 0.01 * rng.standard_normal(len(t)) * out.std()
    return out / np.abs(out).max() * 0.3


def meeting(turns: list[tuple[tuple[float, tuple[float, ...]], int]], pause: float = 1.2
            ) -> tuple[bytes, list[Word]]:
    """The sound and the words of `turns` (a voice, how many words), a pause after each."""
    rng = np.random.default_rng(7)
    pieces, words, t = [np.zeros(int(0.5 * RATE))], [], 0.5
    for voice, count in turns:
        for _ in range(count):
            length = rng.uniform(0.3, 0.5)
            words.append(Word(t, t + length, f"w{len(words)}"))
            pieces += [said(voice, length, rng), np.zeros(int(0.1 * RATE))]
            t += length + 0.1
        pieces.append(np.zeros(int(pause * RATE)))
        t += pause
    pieces.append(np.zeros(2 * RATE))
    sound = np.concatenate(pieces)
    return (sound * 32767).astype("<i2").tobytes(), words


class Source:
    """The sound at real-time speed, then the end."""

    def __init__(self, pcm: bytes, clock: Clock) -> None:
        self.pcm, self.clock, self.at = pcm, clock, 0

    @property
    def ended(self) -> bool:
        return self.at >= len(self.pcm)

    def read(self, wait: float) -> bytes:
        self.clock.now += CHUNK
        piece = self.pcm[self.at:self.at + int(CHUNK * RATE) * 2]
        self.at += len(piece)
        return piece


class Recognizer:
    """Keeps the sound it hears; decodes every word said in it once the word has ended."""

    def __init__(self, spoken: list[Word], clock: Clock, decode_seconds: float = DECODE) -> None:
        self.spoken, self.clock, self.decode_seconds = spoken, clock, decode_seconds
        self.start = self.end = 0.0
        self.pcm = bytearray()

    def hear(self, pcm: bytes) -> None:
        self.pcm += pcm
        self.end += len(pcm) / (2 * RATE)

    def speech(self, last_seconds: float) -> bool:
        since = self.end - last_seconds
        return any(w.end > since and w.start < self.end for w in self.spoken)

    def pause_within(self, seconds: float, since: float) -> tuple[float, float] | None:
        """The latest pause of `seconds` or more between words heard, after `since`."""
        heard = [w for w in self.spoken if w.end <= self.end and w.end >= self.start]
        for before, after in zip(reversed(heard[:-1]), reversed(heard[1:]), strict=True):
            if before.end < since:
                return None
            if after.start - before.end >= seconds:
                return before.end, after.start
        return None

    def pauses_within(self, seconds: float, since: float) -> list[tuple[float, float]]:
        """Each pause of `seconds` or more between words heard, after `since`, oldest first."""
        heard = [w for w in self.spoken if w.end <= self.end and w.end >= self.start]
        return [(before.end, after.start) for before, after in zip(heard, heard[1:])
                if before.end >= since and after.start - before.end >= seconds]

    def decode(self, prompt: str, final: bool = False) -> list[Word]:
        self.clock.now += self.decode_seconds
        return [w for w in self.spoken if w.start >= self.start - 0.05 and w.end <= self.end]

    def sound(self, start: float, end: float) -> bytes:
        first = max(0, int((start - self.start) * RATE))
        return bytes(self.pcm[2 * first:2 * max(first, int((end - self.start) * RATE))])

    def forget(self, until: float) -> None:
        drop = max(0, int((until - self.start) * RATE))
        del self.pcm[:2 * drop]
        self.start += drop / RATE

    def restart(self, at: float) -> None:
        self.start = self.end = at
        self.pcm.clear()


class Encoder:
    up = True

    def __init__(self) -> None:
        self.received: list[str] = []

    def send(self, text: str, said_ago: float | None = None) -> None:
        self.received.append(text)


class Record:
    def __init__(self) -> None:
        self.words: list[Word] = []
        self.rows_kept: list[object] = []
        self.latency: dict[str, float] = {}     # word: seconds from said to sent
        self.events: list[str] = []             # words, and "|" for each row finished

    def began(self, source: str) -> None: ...
    def sent(self, words) -> None:
        self.words += [w for w, _at, _latency in words]
        self.latency.update((w.word, latency) for w, _at, latency in words)
        self.events += [w.word for w, _at, _latency in words]

    def rows(self, rows) -> None:
        self.rows_kept += rows
        self.events += ["|"] * len(rows)

    def gap(self, start: float, end: float, wall: float) -> None: ...
    def status(self, status) -> None:
        self.last_status = status

    def stop_requested(self) -> bool:
        return False

    def ended(self) -> None: ...


def run(turns, speaker_changes: bool = True, voices: LiveVoices | None = None
        ) -> tuple[Record, Encoder]:
    pcm, words = meeting(turns)
    clock = Clock()
    record, encoder = Record(), Encoder()
    session = LiveSession("Riverton", "test", Source(pcm, clock), Recognizer(words, clock),
                          encoder, record, RollUp(),
                          # The turns are 1.2 s apart: under live.pause_seconds (1.5 s), so
                          # they end at a turn's pause (live.turn_pause_seconds, 0.6 s) while
                          # the row and the buffer go on.
                          LiveSettings(speaker_changes=speaker_changes),
                          clock=clock, wall=clock, voices=voices or LiveVoices())
    session.run(lambda: False)
    return record, encoder


def marks(record: Record) -> list[str]:
    """The word each `>>` was sent before."""
    return [record.words[k + 1].word for k, w in enumerate(record.words) if w.word == ">>"]


def test_a_new_voice_after_a_pause_is_sent_after_a_speaker_change() -> None:
    record, encoder = run([(LOW, 8), (HIGH, 8), (LOW, 8)])
    assert marks(record) == ["w8", "w16"]
    (mark,) = [w for w in record.words if w.word == ">>" and w.start == record.words[9].start]
    assert mark.end == mark.start                        # no length: the session's, not Whisper's
    assert "\r>> w8" in encoder.received and "\r>> w16" in encoder.received
    assert [r.text for r in record.rows_kept][1].startswith(">> w8 ")
    assert "" not in encoder.received                    # the >> went with its word


def test_the_row_before_a_change_reaches_the_record_before_its_chevrons() -> None:
    """The web page ends its line at a row: the >> begins the new speaker's line, not the end
    of the last one's."""
    record, _ = run([(LOW, 8), (HIGH, 8)])
    assert " ".join(record.events) == ("w0 w1 w2 w3 w4 w5 w6 w7 | >> w8 w9 w10 w11 w12 w13 w14 "
                                       "w15 |")


def test_latency_figures_count_the_words_not_the_chevrons() -> None:
    """A `>>` has no length and goes out with the word after it: timed from that word's start
    it would stand as a slower word in p50/p95. The word after it is counted on its own."""
    record, _ = run([(LOW, 8), (HIGH, 8), (LOW, 8)])
    assert marks(record) == ["w8", "w16"]
    words = sorted(latency for word, latency in record.latency.items() if word != ">>")
    assert len(words) == 24
    assert (record.last_status["latency_p50"], record.last_status["latency_p95"]) == (
        round(words[len(words) // 2], 2), round(words[int(len(words) * 0.95)], 2))


def test_a_pause_within_one_voice_is_not_a_change() -> None:
    record, _encoder = run([(LOW, 8), (LOW, 8), (HIGH, 8), (HIGH, 8)])
    assert marks(record) == ["w16"]


def test_off_changes_nothing() -> None:
    turns = [(LOW, 8), (HIGH, 8)]
    off, off_encoder = run(turns, speaker_changes=False)
    assert marks(off) == []
    pcm, words = meeting(turns)
    clock = Clock()
    record, encoder = Record(), Encoder()
    LiveSession("Riverton", "test", Source(pcm, clock), Recognizer(words, clock), encoder,
                record, RollUp(), LiveSettings(), clock=clock, wall=clock
                ).run(lambda: False)
    assert (off.words, off_encoder.received) == (record.words, encoder.received)
    assert [r.text for r in off.rows_kept] == [r.text for r in record.rows_kept]


def test_the_first_words_of_a_turn_wait_at_most_one_decode_to_hear_more_of_its_voice() -> None:
    """Agreed before 1.5 s of the new voice is heard, they wait for the next decode (about a
    second more of it), and no longer; the other words are sent as they would be."""
    turns = [(LOW, 8), (HIGH, 8), (LOW, 8)]
    on, _ = run(turns)
    off, _ = run(turns, speaker_changes=False)
    firsts = ["w8", "w16"]
    later = [on.latency[w] - off.latency[w] for w in firsts]
    # The next decode comes once a chunk of new sound is heard (read CHUNK at a time) and
    # the decode before has run: one decode later.
    next_decode = LiveSettings().chunk_seconds + CHUNK + DECODE
    assert all(0 <= d <= next_decode + 0.01 for d in later), later
    assert [on.latency[w] for w in on.latency if w not in firsts and w != ">>"] == \
        [off.latency[w] for w in off.latency if w not in firsts]


def test_a_short_reply_between_two_turns_is_marked_as_its_own() -> None:
    """"Seconded." between the chair's words: the reply's turn ends at the next short pause
    before its words are sent, yet it begins with a `>>`, and so does the chair's return."""
    record, _ = run([(LOW, 8), (HIGH, 2), (LOW, 8)])
    assert marks(record) == ["w8", "w10"]


class Arrived(Source):
    """The sound as it arrived since the last read: after a slow decode, seconds of it at once."""

    def __init__(self, pcm: bytes, clock: Clock) -> None:
        super().__init__(pcm, clock)
        self.began = clock.now

    def read(self, wait: float) -> bytes:
        self.clock.now += CHUNK
        arrived = min(len(self.pcm), int((self.clock.now - self.began) * RATE) * 2)
        piece, self.at = self.pcm[self.at:arrived], max(self.at, arrived)
        return piece


def test_two_short_pauses_heard_at_once_after_a_slow_decode_each_end_a_turn() -> None:
    """A starved CPU decodes in 2 s: the reply and the pauses either side of it arrive in one
    read, and each pause ends its turn all the same."""
    pcm, words = meeting([(LOW, 8), (HIGH, 2), (LOW, 8)], pause=0.8)
    clock = Clock()
    record = Record()
    LiveSession("Riverton", "test", Arrived(pcm, clock), Recognizer(words, clock, decode_seconds=2.0),
                Encoder(), record, RollUp(), LiveSettings(speaker_changes=True), clock=clock,
                wall=clock, voices=LiveVoices()).run(lambda: False)
    assert marks(record) == ["w8", "w10"]
