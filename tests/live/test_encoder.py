"""The EEG RealTime-mode encoder adapter over a real TCP connection to the fake encoder."""

from __future__ import annotations

import logging
import re
import socket
import time
from collections.abc import Callable
from typing import Any

import pytest

from archivist.adapters.encoder.eeg import EegEncoder
from archivist.testing.fake_encoder import FakeEncoder


def until(check: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


@pytest.fixture
def screen():
    fake = FakeEncoder().start()
    yield fake
    fake.stop()


@pytest.fixture
def encoders():
    """Make an EegEncoder (host 127.0.0.1) by its port and settings; each is closed after the
    test, giving its thread 3 s."""
    made: list[EegEncoder] = []

    def make(port: int, **settings: Any) -> EegEncoder:
        made.append(EegEncoder("127.0.0.1", port, **settings))
        return made[-1]
    yield make
    for encoder in made:
        encoder.close(3)


@pytest.fixture
def encoder_back():
    """Start a fake encoder on a given port (an encoder that comes back); stopped after the test."""
    started: list[FakeEncoder] = []

    def start(port: int) -> FakeEncoder:
        started.append(FakeEncoder(port=port).start())
        return started[-1]
    yield start
    for fake in started:
        fake.stop()


def unused_port() -> int:
    """A port nobody listens on: a connection to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Hung:
    """A hung encoder: its TCP port accepts, nothing reads; its receive buffer is small, so it
    fills in seconds."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen()
        self.port = self._listener.getsockname()[1]
        self.accepted: list[socket.socket] = []

    def accept(self, timeout: float | None = None) -> socket.socket | None:
        """The next connection (None if none came within `timeout`)."""
        self._listener.settimeout(timeout)
        try:
            conn = self._listener.accept()[0]
        except TimeoutError:
            return None
        self.accepted.append(conn)
        return conn

    def close(self) -> None:
        for conn in self.accepted:
            conn.close()
        self._listener.close()


@pytest.fixture
def hung():
    encoder = Hung()
    yield encoder
    encoder.close()


def fill(encoder: EegEncoder) -> None:
    """About 20 KB of captions: more than a hung encoder's buffer and ours take at once."""
    for _ in range(400):
        send_words(encoder, "THE COUNCIL WILL NOW HEAR PUBLIC COMMENT ON ITEM FOUR")


def read_all(conn: socket.socket) -> None:
    """The hung encoder comes back: it reads all that waits, until nothing comes for 0.5 s."""
    conn.settimeout(0.5)
    with pytest.raises(TimeoutError):
        while conn.recv(65536):
            pass


def send_words(encoder: EegEncoder, text: str) -> None:
    """Send `text` word by word, as just said."""
    for i, word in enumerate(text.split()):
        encoder.send(word if i == 0 else " " + word, said_ago=0.0)


def test_roll_up_captions_reach_the_screen_as_a_viewer_sees_them(screen):
    encoder = EegEncoder("127.0.0.1", screen.port, channel="cc1", rows=2)
    try:
        assert until(lambda: encoder.up)
        send_words(encoder, "GOOD EVENING EVERYONE.")
        encoder.send("\rI WOULD LIKE TO CALL THIS REGULAR", said_ago=0.0)
        encoder.send(" MEETING OF THE CITY COUNCIL TO ORDER.", said_ago=0.0)
        assert until(lambda: screen.text().endswith("ORDER."))
        assert (screen.channel, screen.rows) == ("CC1", 2)
        assert len(screen.screen) == 2 and all(len(row) <= 32 for row in screen.screen)
        assert screen.screen[-1].endswith("COUNCIL TO ORDER.")
        assert any("GOOD EVENING EVERYONE." in line for line in screen.log)
    finally:
        encoder.close(3)
    assert until(lambda: not screen.realtime)   # Ctrl-C ended roll-up mode


def test_a_dropped_connection_is_made_again_and_nothing_said_since_is_lost(screen, encoders):
    encoder = encoders(screen.port, retry_max=0.5)
    send_words(encoder, "FIRST WORDS")
    assert until(lambda: screen.text() == "FIRST WORDS")
    screen.drop()
    send_words(encoder, " AFTER THE DROP")
    assert until(lambda: screen.text().endswith("AFTER THE DROP"))
    assert screen.connections >= 2 and encoder.up
    assert screen.text() == "FIRST WORDS AFTER THE DROP"


def test_after_a_long_outage_only_the_last_seconds_are_sent(encoders, encoder_back):
    port = unused_port()              # the encoder is away
    encoder = encoders(port, keep_seconds=1.0, retry_max=0.3)
    send_words(encoder, "TOO OLD TO SHOW")
    time.sleep(1.5)
    send_words(encoder, "STILL FRESH")
    back = encoder_back(port)
    assert until(lambda: back.text() == "STILL FRESH")
    time.sleep(0.3)
    assert back.text() == "STILL FRESH" and encoder.dropped == 4


def test_after_an_outage_text_said_too_long_ago_is_dropped_however_lately_it_was_queued(
        encoders, encoder_back):
    """The probe: words said 20 s before the encoder came back were shown (keep 10 s), as they
    had been queued, late, within the last 10 s. Issue #19: older text is dropped, not shown late."""
    port = unused_port()              # the encoder is away
    encoder = encoders(port, keep_seconds=10.0, retry_max=0.3)
    for word in ("SAID", " LONG", " AGO"):
        encoder.send(word, said_ago=11.5)   # about 13 s old when the encoder is back
    for word in ("SAID", " LATELY"):
        encoder.send(word, said_ago=4.0)
    time.sleep(1.5)                   # away longer than a late piece's grace (1 s)
    back = encoder_back(port)
    assert until(lambda: back.text() == "SAID LATELY")
    time.sleep(0.3)
    assert back.text() == "SAID LATELY" and encoder.dropped == 3


def test_a_bad_channel_or_row_count_is_refused():
    with pytest.raises(ValueError, match="cc1"):
        EegEncoder("127.0.0.1", 1, channel="cc9")
    with pytest.raises(ValueError, match="rows"):
        EegEncoder("127.0.0.1", 1, rows=5)


def test_words_queued_as_the_session_ends_still_reach_the_screen(screen):
    encoder = EegEncoder("127.0.0.1", screen.port)
    assert until(lambda: encoder.up)
    send_words(encoder, "THE MEETING IS ADJOURNED.")
    encoder.close(3)
    assert until(lambda: screen.text() == "THE MEETING IS ADJOURNED.", 3)
    assert until(lambda: not screen.realtime, 3)


def test_an_encoder_that_stays_down_is_warned_of_once_not_at_every_attempt(caplog):
    """A session of four hours with its encoder off logged a warning every 10 s (1,440)."""
    caplog.set_level(logging.INFO, logger="archivist.live")
    encoder = EegEncoder("127.0.0.1", unused_port(), retry_max=0.1)
    try:
        assert until(lambda: encoder.problem is not None)
        time.sleep(1.5)   # a dozen more attempts
    finally:
        encoder.close(2.0)
    said = [r for r in caplog.records if r.getMessage() == "caption encoder unreachable"]
    assert len(said) == 1 and "refused" in said[0].reason.lower()
    assert "Connection refused" in (encoder.problem or "")


class CutShort:
    """A connection that takes the first `room` bytes, then fails as a dropped link does."""

    def __init__(self, room: int) -> None:
        self.room, self.got = room, b""
        self._quiet, self._other = socket.socketpair()   # select() and recv() need a real socket

    def fileno(self) -> int:
        return self._quiet.fileno()

    def recv(self, size: int) -> bytes:
        return self._quiet.recv(size)

    def send(self, data: bytes) -> int:
        if not self.room:
            raise OSError("connection reset by peer")
        taken = data[:self.room]
        self.room -= len(taken)
        self.got += taken
        return len(taken)

    def sendall(self, data: bytes) -> None:
        self.send(data)
        if len(self.got) < len(data):
            raise OSError("connection reset by peer")

    def close(self) -> None:
        self._quiet.close()
        self._other.close()


def test_text_not_sent_keeps_the_time_it_was_said_and_only_the_unsent_words_go_again(encoders):
    """Issue #19: text re-queued as new was shown late after a reconnect, and a piece cut
    short was sent again whole, showing its first words twice."""
    # An encoder that stays away: the adapter's thread keeps out.
    encoder = encoders(unused_port(), retry_max=30)
    link = CutShort(room=len("GOOD EVENING EVER"))
    encoder._socket = link   # type: ignore[assignment]
    said = time.monotonic() - 8.0
    unsent = encoder._deliver([(b"GOOD EVENING EVERYONE. ", said), (b"\rWELCOME ", said + 1)])
    assert link.got == b"GOOD EVENING EVER"
    assert unsent == [(b"EVERYONE. ", said), (b"\rWELCOME ", said + 1)]
    assert not encoder.up


@pytest.mark.parametrize("rows", ["9", "1", "5"])
def test_the_fake_encoder_refuses_a_roll_up_of_other_than_2_3_or_4_rows(screen, rows):
    """It took `2 CC1 9 WORD` and showed nine rows; an EEG roll-up has 2, 3 or 4."""
    with socket.create_connection(("127.0.0.1", screen.port), timeout=3) as conn:
        conn.sendall(b"\x03\x012 CC1 " + rows.encode() + b" WORD\rHELLO THERE ")
        assert until(lambda: any("refused" in line for line in screen.log), 3)
    assert not screen.realtime and screen.text() == "" and screen.rows == 3
    assert any(f"roll-up of {rows} rows" in line and "2, 3 or 4" in line for line in screen.log)


def test_an_encoder_that_takes_the_connection_but_not_the_captions_reads_stalled(hung, encoders):
    """A hung encoder (its TCP port accepts, nothing reads) read as connected in `live status`,
    `/api/v1/live` and `archivist_live_encoder_up` all meeting long: the kernel took the bytes."""
    encoder = encoders(hung.port, stall_seconds=1.0, retry_max=0.3)
    conn = hung.accept()
    assert until(lambda: encoder.up, 3)
    fill(encoder)
    assert until(lambda: not encoder.up, 6)
    assert "stalled" in (encoder.problem or "")
    time.sleep(2.0)   # still down: not flipping back to connected
    assert not encoder.up and "stalled" in (encoder.problem or "")
    read_all(conn)   # the encoder comes back and reads what was sent
    assert until(lambda: encoder.up, 3)


def test_a_stalled_encoder_does_not_hold_up_the_end_of_the_session(hung):
    """The last words and the goodbye to an encoder that takes nothing each waited for the
    send timeout (3 s) before the session could end."""
    encoder = EegEncoder("127.0.0.1", hung.port, stall_seconds=0.5)
    hung.accept()
    for _ in range(20):   # 10 MB: more than both ends' buffers hold, so a send must wait
        encoder.send("COMMENT " * 160_000, said_ago=0.0)
    assert until(lambda: not encoder.up, 10)
    send_words(encoder, "THE MEETING IS ADJOURNED.")
    started = time.monotonic()
    encoder.close(10)
    assert time.monotonic() - started < 2.0


def stamped_words(encoder: EegEncoder, seconds: float, until_true: Callable[[], bool]) -> None:
    """Say a word carrying the time it was said every 0.05 s, for `seconds` or until `until_true`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not until_true():
        encoder.send(f"T{time.time():.2f}" + "X" * 200, said_ago=0.0)
        time.sleep(0.05)


def test_an_encoder_hung_on_its_connection_gets_captions_again_on_a_new_one_and_none_too_old(
        hung, encoders):
    """Once stalled the connection was kept for ever: an encoder hung on it never got captions
    again, though it would read a new connection; and what waited in the send buffer went out
    whenever it came back, 24 s old, past `encoder_keep_seconds`."""
    encoder = encoders(hung.port, stall_seconds=0.5, keep_seconds=2.0, retry_max=0.3)
    first = hung.accept()   # never read
    assert first is not None
    stamped_words(encoder, 20, lambda: encoder.connections >= 2)
    second: list[socket.socket] = []

    def accepted() -> bool:
        conn = hung.accept(timeout=1.0)
        if conn is not None:
            second.append(conn)
        return bool(second)
    assert until(accepted, 5), "no new connection to a hung encoder"
    got, ages = bytearray(), []   # the encoder reads this one as it comes
    second[0].settimeout(0.05)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        encoder.send(f"T{time.time():.2f}" + "X" * 200, said_ago=0.0)
        try:
            got.extend(second[0].recv(65536))
        except TimeoutError:
            continue
        said = [float(stamp) for stamp in re.findall(rb"T(\d+\.\d\d)X", bytes(got))]
        ages += [time.time() - stamp for stamp in said[len(ages):]]
    assert got.startswith(b"\x03\x012 CC1 3 WORD\r")   # roll-up begun again
    assert ages and max(ages) < 2.0 + 0.5, f"words {max(ages):.1f} s old on the screen"
    assert encoder.up
    first.settimeout(0.5)   # the encoder wakes on the old one: what its buffer held, no more
    held = bytearray()
    try:
        while data := first.recv(65536):
            held.extend(data)
    except (ConnectionResetError, TimeoutError):
        pass
    assert len(held) <= first.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)


def test_a_status_read_as_the_encoder_comes_back_still_says_why_it_was_down(hung, encoders):
    """`problem` was cleared before the stall was: a status reading `up` (down) then `problem`
    as the encoder came back showed DOWN with no reason."""
    encoder = encoders(hung.port, stall_seconds=0.5, keep_seconds=60.0)
    conn = hung.accept()
    assert until(lambda: encoder.up, 3)
    fill(encoder)
    assert until(lambda: not encoder.up, 6)
    up = encoder.up   # a status reads `up`, and the encoder comes back before it reads `problem`
    read_all(conn)
    assert until(lambda: encoder.up, 3)
    assert not up and "stalled: captions sent have waited unacknowledged" in (encoder.problem or "")


def test_words_handed_over_late_still_reach_an_encoder_that_is_up(screen, encoders):
    """A starved decode hands over words said 12 s before: the encoder is up, so they are shown
    (late beats blank); only waiting through an outage makes them stale."""
    encoder = encoders(screen.port, keep_seconds=10.0)
    assert until(lambda: encoder.up)
    for word in ("SAID", " A", " WHILE", " AGO"):
        encoder.send(word, said_ago=12.0)
    assert until(lambda: screen.text() == "SAID A WHILE AGO", 3)
    assert encoder.dropped == 0
