"""The CaptionEncoder port on an EEG Smart Encoder (HD492, HD1492 and kin), RealTime mode, TCP.

The encoder's Smart Encoder port (telnet or a serial line over TCP) takes a command
`Ctrl-C Ctrl-A 2 <channel> <rows> word CR`: end whatever mode it was in, begin roll-up
captions of `rows` rows on `channel`, word by word; then plain ASCII, words delimited by
spaces, a carriage return starting a new row; `Ctrl-C` ends. A thread of its own connects and
sends, so the session never waits on the network; when the connection drops it reconnects with
a growing delay, and sends only what was said in the last `keep_seconds` (however lately it
was queued): older text would be shown too late to help, and is dropped. Words a slow decode
hands over already that old still go to an encoder that is up (late beats blank); only waiting
through an outage or a stall makes them stale. An encoder that keeps the connection but takes
nothing (hung: its TCP still accepts) is `stalled` once bytes sent have waited `stall_seconds`
with none acknowledged; it reads down, and nothing more is written to it until it takes them.
Stalled `keep_seconds`, the connection is aborted (what waits in our send buffer is thrown away:
it would be shown too late) and made again, as a hung encoder may still read a new one.
"""

from __future__ import annotations

import fcntl
import logging
import random
import select
import socket
import struct
import termios
import threading
import time
from collections import deque

log = logging.getLogger("archivist.live")
BEGIN, END, ROW_END = b"\x01", b"\x03", b"\r"
CHANNELS = ("cc1", "cc2", "cc3", "cc4")
_SEND_WAIT = 0.5   # seconds a send waits for room in full buffers before the thread looks again
_GRACE = 1.0       # seconds a piece sent already older than keep_seconds may wait to go out


def begin_command(channel: str, rows: int) -> bytes:
    """The bytes that start roll-up captions of `rows` rows on `channel`, word by word."""
    return END + BEGIN + f"2 {channel.upper()} {rows} WORD".encode("ascii") + ROW_END


class EegEncoder:
    """Roll-up captions to an EEG encoder at host:port."""

    def __init__(self, host: str, port: int, channel: str = "cc1", rows: int = 3,
                 connect_timeout: float = 3.0, keep_seconds: float = 10.0,
                 retry_max: float = 10.0, stall_seconds: float = 5.0) -> None:
        if channel.lower() not in CHANNELS:
            raise ValueError(f"caption channel must be one of {', '.join(CHANNELS)}, got {channel!r}")
        if rows not in (2, 3, 4):
            raise ValueError(f"roll-up rows must be 2, 3 or 4, got {rows!r}")
        self._address = (host, int(port))
        self._begin = begin_command(channel.lower(), rows)
        self._connect_timeout = connect_timeout
        self._keep = keep_seconds
        self._retry_max = retry_max
        self._stall = stall_seconds
        self._unacked = 0               # bytes sent that the encoder had not acknowledged, last look
        self._taken_at = 0.0            # when the encoder last acknowledged some (monotonic)
        self._stalled = False
        self._full = False              # the last send found no room: wait until some is taken
        self._queue: deque[tuple[bytes, float]] = deque()   # (text, when stale: monotonic)
        self._ready = threading.Condition()
        self._closing = False
        self._socket: socket.socket | None = None
        self.dropped = 0          # pieces dropped as too old to show
        self.connections = 0
        # Why it is down; only replaced, never cleared, so a status that read `up` as down just
        # before it came back still has the reason.
        self.problem: str | None = None
        self._warned: str | None = None   # the fault last warned of, to warn once, not every try
        self._thread = threading.Thread(target=self._run, name="live-encoder", daemon=True)
        self._thread.start()

    @property
    def up(self) -> bool:
        return self._socket is not None and not self._stalled

    def send(self, text: str, said_ago: float) -> None:
        # In word mode a word shows once the space after it arrives: send it with its space.
        data = text.lstrip(" ").encode("ascii", "replace") + b" "
        now = time.monotonic()
        with self._ready:
            while self._queue and self._queue[0][1] < now:   # memory stays bounded
                self._queue.popleft()
                self.dropped += 1
            # Dropped once said `keep_seconds` ago; but words a slow decode sends already that
            # late still go at once to an encoder that is up (late beats blank): only waiting
            # in this queue (an outage, a stall) makes them stale.
            self._queue.append((data, max(now - said_ago + self._keep, now + _GRACE)))
            self._ready.notify()

    def close(self, wait: float) -> None:
        with self._ready:
            self._closing = True
            self._ready.notify()
        self._thread.join(wait)

    def _run(self) -> None:
        delay = 0.0
        while not self._closing:
            if self._socket is None:
                if delay:
                    self._sleep(delay + random.uniform(0, delay / 4))
                    if self._closing:
                        break
                if not self._connect():
                    delay = min(self._retry_max, max(0.5, delay * 2))
                    continue
                delay = 0.0
            with self._ready:
                while self._socket is not None and (self._stuck() or not self._queue) \
                        and not self._closing:
                    self._ready.wait(0.5)
                    if (not self._queue or self._stalled) and self._peer_gone():
                        break
                pieces = self._fresh()
            unsent = self._deliver(pieces) if pieces else []
            if unsent:
                with self._ready:   # first in line when the encoder is back, still stale when they were
                    self._queue.extendleft(reversed(unsent))
        with self._ready:   # the last words, queued as the session ended
            pieces = self._fresh()
        if pieces and self.up:   # a stalled encoder would hold the ending up for the send timeout
            self._deliver(pieces)
        self._hang_up(goodbye=self.up)

    def _fresh(self) -> list[tuple[bytes, float]]:
        """Everything queued, less what has gone stale (counted as dropped)."""
        now = time.monotonic()
        pieces = []
        while self._queue:
            data, stale = self._queue.popleft()
            if stale < now:
                self.dropped += 1
            else:
                pieces.append((data, stale))
        return pieces

    def _deliver(self, pieces: list[tuple[bytes, float]]) -> list[tuple[bytes, float]]:
        """Send `pieces` in order; what was not sent, each part with the time its piece goes stale.

        A piece cut short by a lost connection comes back from the start of its first unfinished
        word: the words whose space went out are on the screen, while the half word is lost with
        the connection (the next connection begins with the mode command), so sending only its
        other half would show a fragment. Cut short by an encoder that stopped taking bytes (the
        connection kept), the rest comes back exactly: its first part is on the way.
        """
        sent = self._write(b"".join(data for data, _stale in pieces))
        kept = self._socket is not None
        unsent = []
        for data, stale in pieces:
            if sent >= len(data):
                sent -= len(data)
                continue
            done = sent if kept else max(data.rfind(b" ", 0, sent), data.rfind(ROW_END, 0, sent)) + 1
            unsent.append((data[done:], stale))
            sent = 0
        return unsent

    def _connect(self) -> bool:
        try:
            conn = socket.create_connection(self._address, timeout=self._connect_timeout)
            conn.settimeout(self._connect_timeout)
            conn.sendall(self._begin)
            conn.settimeout(_SEND_WAIT)
        except OSError as exc:
            problem = f"{self._address[0]}:{self._address[1]}: {exc.strerror or exc}"
            if problem != self._warned:   # once a fault, not at every attempt all meeting long
                log.warning("caption encoder unreachable", extra={
                    "encoder": f"{self._address[0]}:{self._address[1]}", "reason": str(exc)})
            self.problem = self._warned = problem
            return False
        self._socket = conn
        self._warned = None
        self._unacked, self._taken_at, self._stalled, self._full = 0, time.monotonic(), False, False
        self.connections += 1
        log.info("caption encoder connected", extra={
            "encoder": f"{self._address[0]}:{self._address[1]}"})
        return True

    def _peer_gone(self) -> bool:
        """Has the encoder closed the connection? (Anything it says is read and let go.)"""
        conn = self._socket
        if conn is None:
            return True
        try:
            readable, _w, _x = select.select([conn], [], [], 0)
            if readable and not conn.recv(4096):
                self._hang_up()
                return True
        except OSError:
            self._hang_up()
            return True
        return False

    def _write(self, data: bytes) -> int:
        """Send `data`; how many of its bytes went out before the connection failed (all, if none).

        send(), not sendall(): sendall() does not say how much it sent before failing. A byte the
        system took counts as sent, the encoder cannot be asked what it got; sending it again
        would risk showing words twice.
        """
        if self._peer_gone():
            return 0
        conn = self._socket
        assert conn is not None
        sent = 0
        try:
            while sent < len(data):
                sent += conn.send(data[sent:])
        except TimeoutError:
            self._full = True   # no room: nothing more is written until it takes some (_stuck)
        except OSError as exc:
            log.warning("caption encoder connection lost", extra={"reason": str(exc)})
            self._hang_up()
            return sent
        if not self._unacked:
            self._taken_at = time.monotonic()   # the wait for these bytes starts now
        self._unacked = _unacked(conn)
        return sent

    def _stuck(self) -> bool:
        """Must sending wait? While the last send found no room and nothing has been taken
        since; and once bytes sent have waited `stall_seconds` with none acknowledged (a hung
        encoder's TCP accepts and acknowledges until its buffer is full, then nothing) the
        encoder is stalled: down, until it takes some. Stalled `keep_seconds`, the connection is
        aborted, to be made again."""
        conn = self._socket
        if conn is None:
            return False
        waiting, now = _unacked(conn), time.monotonic()
        if waiting < self._unacked or not waiting:
            self._taken_at, self._full = now, False
        self._unacked = waiting
        stalled = bool(waiting) and now - self._taken_at >= self._stall
        where = f"{self._address[0]}:{self._address[1]}"
        if stalled and not self._stalled:
            self.problem = (f"{where}: stalled: captions sent have waited unacknowledged for"
                            f" {self._stall:g} s (its buffer is full)")
            log.warning("caption encoder stalled", extra={"encoder": where, "unacknowledged": waiting})
        elif self._stalled and not stalled:
            log.info("caption encoder taking captions again", extra={"encoder": where})
        self._stalled = stalled
        if stalled and now - self._taken_at >= self._keep:
            log.warning("caption encoder stalled too long: connecting again", extra={"encoder": where})
            self._abort()
            return False
        return stalled or self._full

    def _abort(self) -> None:
        """Hang up at once, throwing away what our send buffer holds (a reset, not a close:
        closed, the system would still send it whenever the encoder took it, however old)."""
        conn = self._socket
        if conn is not None:
            try:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        self._hang_up()

    def _hang_up(self, goodbye: bool = False) -> None:
        conn, self._socket = self._socket, None
        self._stalled = self._full = False
        if conn is None:
            return
        try:
            if goodbye:
                conn.sendall(END)
        except OSError:
            pass
        finally:
            conn.close()

    def _sleep(self, seconds: float) -> None:
        with self._ready:
            self._ready.wait_for(lambda: self._closing, seconds)


def _unacked(conn: socket.socket) -> int:
    """Bytes sent on `conn` that its peer has not acknowledged yet (Linux; 0 where unknown)."""
    try:
        return int(struct.unpack("i", fcntl.ioctl(conn.fileno(), termios.TIOCOUTQ, b"\0" * 4))[0])
    except (OSError, AttributeError, TypeError, ValueError):
        return 0
