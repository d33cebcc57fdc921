"""A TCP proxy that relays to a real server until told to freeze: then it keeps every
connection open, accepts new ones, and relays nothing more (a server that hangs mid-query)."""

from __future__ import annotations

import select
import socket
import threading


class FreezingProxy:
    """Relay 127.0.0.1:<port> to `target`; `freeze()` stops relaying without closing anything."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.frozen = threading.Event()
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._threads = [threading.Thread(target=self._accept, daemon=True, name="proxy")]
        self._threads[0].start()

    def freeze(self) -> None:
        self.frozen.set()

    def thaw(self) -> None:
        """Relay again (connections accepted while frozen stay silent: their clients gave up)."""
        self.frozen.clear()

    def close(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(2)
        for s in self._sockets:
            s.close()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                continue
            self._sockets.append(client)
            if self.frozen.is_set():
                continue  # accepted (the kernel did the handshake) and never answered
            upstream = socket.create_connection(self.target, timeout=5)
            self._sockets.append(upstream)
            t = threading.Thread(target=self._relay, args=(client, upstream), daemon=True)
            self._threads.append(t)
            t.start()

    def _relay(self, a: socket.socket, b: socket.socket) -> None:
        peers = {a: b, b: a}
        while not self._stop.is_set():
            ready, _, _ = select.select(list(peers), [], [], 0.1)
            if self.frozen.is_set():
                continue  # hold both ends open, move nothing
            for s in ready:
                try:
                    data = s.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                peers[s].sendall(data)
