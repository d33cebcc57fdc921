"""A stand-in EEG caption encoder: takes RealTime-mode roll-up captions over TCP and decodes
them into the screen a viewer would see, logging each change with its time.

`archivist fake-encoder --port N` runs one in the foreground; tests start one in a thread
(`FakeEncoder(port=0).start()`), read `screen`, `words` and `log`, and `drop()` connections.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

COLUMNS = 32
ROLL_UP_ROWS = (2, 3, 4)   # what an EEG roll-up command may ask for


@dataclass
class _Decoder:
    """One connection's state: the RealTime-mode command being read, the word being typed."""

    command: bytearray | None = None
    word: bytearray = field(default_factory=bytearray)


class FakeEncoder:
    """Listens on host:port; every connection's captions go to one roll-up screen."""

    def __init__(self, port: int = 0, host: str = "127.0.0.1",
                 echo: Callable[[str], None] | None = None) -> None:
        self._server = socket.create_server((host, port))
        self.host, self.port = self._server.getsockname()[:2]
        self._echo = echo
        self._lock = threading.Lock()
        self._connections: list[socket.socket] = []
        self._closed = False
        self.rows = 3
        self.channel = ""
        self.realtime = False
        self.screen: list[str] = [""]
        self.words: list[tuple[float, str]] = []     # (wall time shown, word)
        self.log: list[str] = []
        self.connections = 0

    def start(self) -> FakeEncoder:
        threading.Thread(target=self.serve, name="fake-encoder", daemon=True).start()
        return self

    def serve(self) -> None:
        """Accept connections until stop()."""
        while not self._closed:
            try:
                conn, _peer = self._server.accept()
            except OSError:
                return
            with self._lock:
                self._connections.append(conn)
                self.connections += 1
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def drop(self) -> None:
        """Close every connection (the encoder rebooted, the network blinked)."""
        with self._lock:
            conns, self._connections = self._connections, []
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()

    def stop(self) -> None:
        self._closed = True
        self._server.close()
        self.drop()

    def text(self) -> str:
        """Every word shown so far, in order, one space apart."""
        with self._lock:
            return " ".join(w for _t, w in self.words)

    def _read(self, conn: socket.socket) -> None:
        decoder = _Decoder()
        try:
            while (data := conn.recv(4096)):
                with self._lock:
                    for byte in data:
                        self._take(decoder, byte)
        except OSError:
            pass
        finally:
            conn.close()

    def _take(self, d: _Decoder, byte: int) -> None:
        if d.command is not None:
            if byte == 0x0D:
                self._command(d.command.decode("ascii", "replace"))
                d.command = None
            else:
                d.command.append(byte)
        elif byte == 0x01:
            d.command = bytearray()
        elif byte == 0x03:
            self._word(d)
            self.realtime = False
        elif not self.realtime:
            return
        elif byte == 0x0D:
            self._word(d)
            self._roll()
        elif byte == 0x20:
            self._word(d)
        elif 0x20 < byte < 0x7F:
            d.word.append(byte)

    def _command(self, command: str) -> None:
        args = command.split()
        if args and args[0] == "2":
            rows = next((int(arg) for arg in args[1:] if arg.isdigit()), self.rows)
            if rows not in ROLL_UP_ROWS:
                # Roll-up is 2, 3 or 4 rows. What a real encoder answers is not documented here;
                # the fake stays out of RealTime mode, so the text after it is not shown, and
                # says why: an adapter asking for 9 rows fails visibly, not on a 9-row screen.
                self._note(f"refused: roll-up of {rows} rows (an EEG roll-up has 2, 3 or 4)")
                return
            self.realtime = True
            self.rows = rows
            for arg in args[1:]:
                if arg.lower().startswith("cc"):
                    self.channel = arg.upper()
            self._note(f"roll-up {self.rows} rows on {self.channel or 'CC1'}")

    def _word(self, d: _Decoder) -> None:
        if not d.word:
            return
        word = d.word.decode("ascii")
        d.word.clear()
        row = self.screen[-1]
        if row and len(row) + 1 + len(word) > COLUMNS:
            self._roll()
            row = ""
        self.screen[-1] = f"{row} {word}" if row else word[:COLUMNS]
        self.words.append((time.time(), word))
        self._note(" | ".join(self.screen))

    def _roll(self) -> None:
        if self.screen[-1]:
            self.screen.append("")
            del self.screen[:-self.rows]

    def _note(self, line: str) -> None:
        stamp = datetime.now(UTC).strftime("%H:%M:%S.%f")[:-3]
        entry = f"{stamp}  {line}"
        self.log.append(entry)
        del self.log[:-1000]
        if self._echo is not None:
            self._echo(entry)


def main(port: int, host: str = "127.0.0.1") -> None:
    """Run in the foreground, printing the screen as it changes, until Ctrl-C."""
    encoder = FakeEncoder(port, host, echo=lambda line: print(line, flush=True))
    print(f"fake caption encoder on {encoder.host}:{encoder.port} (EEG RealTime mode); "
          "Ctrl-C stops", flush=True)
    try:
        encoder.serve()
    except KeyboardInterrupt:
        pass
    finally:
        encoder.stop()
