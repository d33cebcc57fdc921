"""`archivist live supervise`: runs the live sessions staff start from the web or the API.

`archivist worker --beat` (and so `serve` on a one-box station) runs it beside the schedule.
Every second it looks at each configured city: a session wanted (the `wanted` file the API
writes) that is not running is started as a child `archivist live start CITY --source S`, the
command an operator would type, so the city's lease keeps it to one session wherever it runs;
a child no longer wanted is asked to stop. One whose source ended for good (a file played to
its end) ends as `live start` does, and is no longer wanted. A child that dies (killed, or
failed) while wanted is started again,
after a delay that doubles from 1 s to a minute (reset once it has run a minute), so a source
that cannot be opened is retried without spinning; why it ended (its one-line error, or the
signal that killed it) is noted in the city's folder for `live status` and /status to show.
Every `afterwards_every` seconds it runs `afterwards` (live_keeping.Afterwards: store what
killed sessions left, link sessions to the recordings that landed) in a thread of its own, so a
database that hangs never holds up starting or stopping a session, nor the supervisor's own end.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from archivist.entrypoints.live_report import live_cities

log = logging.getLogger("archivist.live")

LOOK_EVERY = 1.0
_FIRST_DELAY, _LONGEST_DELAY, _STEADY = 1.0, 60.0, 60.0
_STOP_WAIT = 20.0   # seconds a child has to end its session when the supervisor stops
_AFTERWARDS_WAIT = 2.0   # seconds the supervisor's end waits for a keep or link under way
_SAID_WAIT = 1.0    # seconds to read the last of a dead child's error output


@dataclass(slots=True)
class _Child:
    process: subprocess.Popen[bytes]
    source: str
    started: float
    said: _LastWords | None = None
    stop_asked: bool = False


class _LastWords:
    """Passes a child's error output on to the supervisor's own, remembering its last
    `archivist: ...` line (the one-line error a command ends with)."""

    def __init__(self, stream: Any) -> None:
        self.line = ""
        self._thread = threading.Thread(target=self._relay, args=(stream,), daemon=True,
                                        name="live-child-errors")
        self._thread.start()

    def _relay(self, stream: Any) -> None:
        with stream:
            for raw in stream:
                text = raw.decode("utf-8", "replace")
                sys.stderr.write(text)
                sys.stderr.flush()
                if text.startswith("archivist: "):
                    self.line = text.removeprefix("archivist: ").strip()[:300]

    def last(self) -> str:
        self._thread.join(_SAID_WAIT)
        return self.line


class LiveSupervisor:
    """Starts, restarts and stops the wanted live sessions of the configured cities."""

    def __init__(self, cities: Iterable[Any], folder: Callable[..., Any],
                 command: Callable[[str, str], list[str]], afterwards: Callable[[], int],
                 afterwards_every: float = 10.0, spawn: Callable[..., Any] = subprocess.Popen) -> None:
        self._cities = [str(c["name"]) for c in live_cities(cities)]
        self._folder = folder
        self._command = command
        self._afterwards = afterwards
        self._afterwards_every = afterwards_every
        self._spawn = spawn
        self._children: dict[str, _Child] = {}
        self._retry_at: dict[str, float] = {}
        self._delay: dict[str, float] = {}
        self._afterwards_at = 0.0
        self._afterwards_thread: threading.Thread | None = None

    def run(self, stopping: threading.Event) -> None:
        """Supervise until `stopping` is set; then ask every child to end, and wait for them."""
        try:
            while not stopping.is_set():
                self.turn(time.monotonic())
                stopping.wait(LOOK_EVERY)
        finally:
            self.stop_all(_STOP_WAIT)
            if self._afterwards_thread is not None:
                self._afterwards_thread.join(_AFTERWARDS_WAIT)

    def turn(self, now: float) -> None:
        for city in self._cities:
            self._look(city, now)
        busy = self._afterwards_thread is not None and self._afterwards_thread.is_alive()
        if now - self._afterwards_at >= self._afterwards_every and not busy:
            self._afterwards_at = now
            self._afterwards_thread = threading.Thread(
                target=self._keep_and_link, name="live-afterwards", daemon=True)
            self._afterwards_thread.start()

    def _keep_and_link(self) -> None:
        try:
            linked = self._afterwards()
        except Exception as exc:   # the database away: next time
            log.warning("keeping or linking live sessions failed; trying again",
                        extra={"reason": str(exc) or type(exc).__name__})
        else:
            if linked:
                log.info("live sessions linked to their recordings", extra={"linked": linked})

    def _look(self, city: str, now: float) -> None:
        folder = self._folder(city=city)
        child = self._children.get(city)
        if child is not None and child.process.poll() is not None:
            self._ended(city, child, now, folder)
            child = None
        wanted: Mapping[str, Any] | None = folder.wanted()
        if wanted is not None:
            folder.supervised()   # so the web can tell "starting" from "nothing runs it"
        if child is not None:
            if now - child.started >= _STEADY and folder.failure() is not None:
                folder.failed(None)   # it has run a while since it last failed
            if wanted is None and not child.stop_asked:
                log.info("live session no longer wanted: stopping", extra={"city": city})
                folder.request_stop()
                child.stop_asked = True
            return
        if wanted is None or now < self._retry_at.get(city, 0.0) or folder.holder() is not None:
            return   # not wanted, waiting to retry, or running already (another process)
        source = str(wanted["source"])
        log.info("starting the wanted live session", extra={"city": city, "source": source})
        process = self._spawn(self._command(city, source), stderr=subprocess.PIPE)
        said = _LastWords(process.stderr) if process.stderr is not None else None
        self._children[city] = _Child(process, source, now, said)

    def _ended(self, city: str, child: _Child, now: float, folder: Any) -> None:
        del self._children[city]
        code = child.process.returncode
        if child.stop_asked:
            return
        if code == 0:   # it ended by itself: its source ended for good (a file played out)
            log.info("live session ended: its source ended", extra={"city": city})
            folder.unwant()
            return
        ran = now - child.started
        delay = _FIRST_DELAY if ran >= _STEADY else min(
            _LONGEST_DELAY, self._delay.get(city, _FIRST_DELAY / 2) * 2)
        self._delay[city] = delay
        self._retry_at[city] = now + delay
        reason = _why(code, child.said.last() if child.said is not None else "")
        if folder.wanted() is not None:
            folder.failed({"reason": reason, "exit_code": code, "at": time.time(),
                           "retry_at": time.time() + delay})
        log.warning("live session ended while wanted; starting it again",
                    extra={"city": city, "exit_code": code, "reason": reason,
                           "ran_seconds": round(ran, 1), "retry_in": delay})

    def stop_all(self, wait: float) -> None:
        """Ask every child to end its session; kill what is still there after `wait` seconds."""
        for city, child in self._children.items():
            if child.process.poll() is None:
                self._folder(city=city).request_stop()
        deadline = time.monotonic() + wait
        for child in self._children.values():
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait(timeout=10)
        self._children.clear()


def _why(code: int, said: str) -> str:
    """Why a child ended, in one line: its own error, else its exit or the signal."""
    if said:
        return said
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"ended with exit code {code} and no error message (see the worker's log)"


def live_command(config_path: str | None) -> Callable[[str, str], list[str]]:
    """How a wanted session is started: `archivist live start CITY --source S`."""
    def command(city: str, source: str) -> list[str]:
        return [sys.executable, "-m", "archivist.entrypoints.cli",
                *(["--config", config_path] if config_path else []),
                "live", "start", city, "--source", source]
    return command
