"""The EEG RealTime-mode encoder adapter over a real TCP connection to the fake encoder."""

from __future__ import annotations

import logging
import re
import socket
import time
from collections.abc import Callable

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


def test_a_dropped_connection_is_made_again_and_nothing_said_since_is_lost(screen):
    encoder = EegEncoder("127.0.0.1", screen.port, retry_max=0.5)
    try:
        send_words(encoder, "FIRST WORDS")
        assert until(lambda: screen.text() == "FIRST WORDS")
        screen.drop()
        send_words(encoder, " AFTER THE DROP")
        assert until(lambda: screen.text().endswith("AFTER THE DROP"))
        assert screen.connections >= 2 and encoder.up
        assert screen.text() == "FIRST WORDS AFTER THE DROP"
    finally:
        encoder.close(3)


def test_after_a_long_outage_only_the_last_seconds_are_sent():
    first = FakeEncoder()
    port = first.port
    first.stop()                      # the encoder is away
    encoder = EegEncoder("127.0.0.1", port, keep_seconds=1.0, retry_max=0.3)
    try:
        send_words(encoder, "TOO OLD TO SHOW")
        time.sleep(1.5)
        send_words(encoder, "STILL FRESH")
        back = FakeEncoder(port=port).start()
        try:
            assert until(lambda: back.text() == "STILL FRESH")
            time.sleep(0.3)
            assert back.text() == "STILL FRESH" and encoder.dropped == 4
        finally:
            back.stop()
    finally:
        encoder.close(3)


def test_after_an_outage_text_said_too_long_ago_is_dropped_however_lately_it_was_queued():
    """The probe: words said 20 s before the encoder came back were shown (keep 10 s), as they
    had been queued, late, within the last 10 s. Issue #19: older text is dropped, not shown late."""
    first = FakeEncoder()
    port = first.port
    first.stop()                      # the encoder is away
    encoder = EegEncoder("127.0.0.1", port, keep_seconds=10.0, retry_max=0.3)
    try:
        for word in ("SAID", " LONG", " AGO"):
            encoder.send(word, said_ago=11.5)   # about 13 s old when the encoder is back
        for word in ("SAID", " LATELY"):
            encoder.send(word, said_ago=4.0)
        time.sleep(1.5)                   # away longer than a late piece's grace (1 s)
        back = FakeEncoder(port=port).start()
        try:
            assert until(lambda: back.text() == "SAID LATELY")
            time.sleep(0.3)
            assert back.text() == "SAID LATELY" and encoder.dropped == 3
        finally:
            back.stop()
    finally:
        encoder.close(3)


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
    with socket.socket() as probe:   # a port nobody listens on: refused at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    caplog.set_level(logging.INFO, logger="archivist.live")
    encoder = EegEncoder("127.0.0.1", port, retry_max=0.1)
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


def test_text_not_sent_keeps_the_time_it_was_said_and_only_the_unsent_words_go_again():
    """Issue #19: text re-queued as new was shown late after a reconnect, and a piece cut
    short was sent again whole, showing its first words twice."""
    with socket.socket() as probe:   # an encoder that stays away: the adapter's thread keeps out
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    encoder = EegEncoder("127.0.0.1", port, retry_max=30)
    try:
        link = CutShort(room=len("GOOD EVENING EVER"))
        encoder._socket = link   # type: ignore[assignment]
        said = time.monotonic() - 8.0
        unsent = encoder._deliver([(b"GOOD EVENING EVERYONE. ", said), (b"\rWELCOME ", said + 1)])
        assert link.got == b"GOOD EVENING EVER"
        assert unsent == [(b"EVERYONE. ", said), (b"\rWELCOME ", said + 1)]
        assert not encoder.up
    finally:
        encoder.close(3)


@pytest.mark.parametrize("rows", ["9", "1", "5"])
def test_the_fake_encoder_refuses_a_roll_up_of_other_than_2_3_or_4_rows(screen, rows):
    """It took `2 CC1 9 WORD` and showed nine rows; an EEG roll-up has 2, 3 or 4."""
    with socket.create_connection(("127.0.0.1", screen.port), timeout=3) as conn:
        conn.sendall(b"\x03\x012 CC1 " + rows.encode() + b" WORD\rHELLO THERE ")
        assert until(lambda: any("refused" in line for line in screen.log), 3)
    assert not screen.realtime and screen.text() == "" and screen.rows == 3
    assert any(f"roll-up of {rows} rows" in line and "2, 3 or 4" in line for line in screen.log)


def test_an_encoder_that_takes_the_connection_but_not_the_captions_reads_stalled():
    """A hung encoder (its TCP port accepts, nothing reads) read as connected in `live status`,
    `/api/v1/live` and `archivist_live_encoder_up` all meeting long: the kernel took the bytes."""
    hung = socket.socket()
    hung.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)   # its buffer fills in seconds
    hung.bind(("127.0.0.1", 0))
    hung.listen()
    accepted: list[socket.socket] = []
    encoder = EegEncoder("127.0.0.1", hung.getsockname()[1], stall_seconds=1.0, retry_max=0.3)
    try:
        conn, _peer = hung.accept()
        accepted.append(conn)
        assert until(lambda: encoder.up, 3)
        for _ in range(400):   # about 20 KB: more than the encoder's buffer and ours take at once
            send_words(encoder, "THE COUNCIL WILL NOW HEAR PUBLIC COMMENT ON ITEM FOUR")
        assert until(lambda: not encoder.up, 6)
        assert "stalled" in (encoder.problem or "")
        time.sleep(2.0)   # still down: not flipping back to connected
        assert not encoder.up and "stalled" in (encoder.problem or "")
        conn.settimeout(0.5)
        with pytest.raises(TimeoutError):   # the encoder comes back and reads what was sent
            while conn.recv(65536):
                pass
        assert until(lambda: encoder.up, 3)
    finally:
        encoder.close(3)
        for conn in accepted:
            conn.close()
        hung.close()


def test_a_stalled_encoder_does_not_hold_up_the_end_of_the_session():
    """The last words and the goodbye to an encoder that takes nothing each waited for the
    send timeout (3 s) before the session could end."""
    hung = socket.socket()
    hung.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    hung.bind(("127.0.0.1", 0))
    hung.listen()
    encoder = EegEncoder("127.0.0.1", hung.getsockname()[1], stall_seconds=0.5)
    conn, _peer = hung.accept()
    try:
        for _ in range(20):   # 10 MB: more than both ends' buffers hold, so a send must wait
            encoder.send("COMMENT " * 160_000, said_ago=0.0)
        assert until(lambda: not encoder.up, 10)
        send_words(encoder, "THE MEETING IS ADJOURNED.")
        started = time.monotonic()
        encoder.close(10)
        assert time.monotonic() - started < 2.0
    finally:
        conn.close()
        hung.close()


def stamped_words(encoder: EegEncoder, seconds: float, until_true: Callable[[], bool]) -> None:
    """Say a word carrying the time it was said every 0.05 s, for `seconds` or until `until_true`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not until_true():
        encoder.send(f"T{time.time():.2f}" + "X" * 200, said_ago=0.0)
        time.sleep(0.05)


def test_an_encoder_hung_on_its_connection_gets_captions_again_on_a_new_one_and_none_too_old():
    """Once stalled the connection was kept for ever: an encoder hung on it never got captions
    again, though it would read a new connection; and what waited in the send buffer went out
    whenever it came back, 24 s old, past `encoder_keep_seconds`."""
    hung = socket.socket()
    hung.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    hung.bind(("127.0.0.1", 0))
    hung.listen()
    hung.settimeout(1.0)
    encoder = EegEncoder("127.0.0.1", hung.getsockname()[1], stall_seconds=0.5, keep_seconds=2.0,
                         retry_max=0.3)
    first, _peer = hung.accept()   # never read
    second: list[socket.socket] = []
    try:
        stamped_words(encoder, 20, lambda: encoder.connections >= 2)

        def accepted() -> bool:
            try:
                second.append(hung.accept()[0])
            except TimeoutError:
                pass
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
    finally:
        encoder.close(3)
        for conn in [first, *second]:
            conn.close()
        hung.close()


def test_a_status_read_as_the_encoder_comes_back_still_says_why_it_was_down():
    """`problem` was cleared before the stall was: a status reading `up` (down) then `problem`
    as the encoder came back showed DOWN with no reason."""
    hung = socket.socket()
    hung.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    hung.bind(("127.0.0.1", 0))
    hung.listen()
    encoder = EegEncoder("127.0.0.1", hung.getsockname()[1], stall_seconds=0.5, keep_seconds=60.0)
    conn, _peer = hung.accept()
    try:
        assert until(lambda: encoder.up, 3)
        for _ in range(400):
            send_words(encoder, "THE COUNCIL WILL NOW HEAR PUBLIC COMMENT ON ITEM FOUR")
        assert until(lambda: not encoder.up, 6)
        up = encoder.up   # a status reads `up`, and the encoder comes back before it reads `problem`
        conn.settimeout(0.5)
        with pytest.raises(TimeoutError):
            while conn.recv(65536):
                pass
        assert until(lambda: encoder.up, 3)
        assert not up and "stalled: captions sent have waited unacknowledged" in (encoder.problem or "")
    finally:
        encoder.close(3)
        conn.close()
        hung.close()


def test_words_handed_over_late_still_reach_an_encoder_that_is_up(screen):
    """A starved decode hands over words said 12 s before: the encoder is up, so they are shown
    (late beats blank); only waiting through an outage makes them stale."""
    encoder = EegEncoder("127.0.0.1", screen.port, keep_seconds=10.0)
    try:
        assert until(lambda: encoder.up)
        for word in ("SAID", " A", " WHILE", " AGO"):
            encoder.send(word, said_ago=12.0)
        assert until(lambda: screen.text() == "SAID A WHILE AGO", 3)
        assert encoder.dropped == 0
    finally:
        encoder.close(3)
