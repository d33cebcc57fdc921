"""The LiveSource port on ffmpeg: any input ffmpeg reads live, as 16 kHz mono PCM.

UDP or SRT MPEG-TS, RTMP, HLS, a capture device (given as ffmpeg input arguments), or a file
played at real-time speed (`-re`, for tests and demos). A thread reads ffmpeg's output as it
comes, so a slow decode never stalls the input (UDP packets would be lost); what it holds is
bounded, and the oldest sound is dropped first.

An opening is ended by ffmpeg itself, when its input sends nothing for `quiet_after` seconds
(its I/O timeout), not by the session's clock: one still listening for a stream that has not
begun, or probing one that just has, is kept, so a stream heard from its first packet is heard
from its start. Only an input the timeout does not reach (a capture device, an SRT listener no
one calls) that gives no sound for `_GIVE_UP` seconds is stopped and opened again.
"""

from __future__ import annotations

import logging
import queue
import re
import shlex
import shutil
import subprocess
import threading
import time
from pathlib import Path

from archivist.domain.errors import MediaError

log = logging.getLogger("archivist.live")
SAMPLE_RATE = 16000
_READ = 6400                    # bytes per read: 0.2 s of sound
_HELD = 60 * SAMPLE_RATE * 2    # at most a minute of sound waits for the session
_STOP_WAIT = 3.0
_GIVE_UP = 10.0   # seconds (at least) an opening may give no sound before it is taken for hung
_FFMPEG_CONTEXT = re.compile(r"^\[(\w+) @ 0x[0-9a-f]+\] ")   # "[srt @ 0x55...] " -> "srt: "
_FFMPEG_LEVEL = re.compile(r"\[(info|warning|error|fatal|panic)\] ")
_INPUT_START = re.compile(r"^ +Duration: .*, start: (-?\d+\.\d+)")   # its first timestamp


def input_arguments(source: str, realtime: bool | None = None, quiet_after: float = 3.0) -> list[str]:
    """ffmpeg's input arguments for `source`: a URL or a file (a file is played at real-time
    speed), or, starting with '-', ffmpeg input options given as they are (a capture device).
    ffmpeg gives a URL up once it sends nothing for `quiet_after` seconds."""
    if source.startswith("-"):
        return shlex.split(source)
    is_file = "://" not in source or source.startswith("file://")
    args = ["-re"] if (realtime if realtime is not None else is_file) else []
    if not is_file:   # start within a second, not after ffmpeg's default 5 s of probing
        args += ["-fflags", "+discardcorrupt", "-analyzeduration", "1000000", "-probesize", "65536"]
        # UDP sets its own I/O timeout over the generic one (left at none: forever).
        timeout = "-timeout" if source.startswith("udp:") else "-rw_timeout"
        args += [timeout, str(round(quiet_after * 1_000_000))]
    return [*args, "-i", source]


class FfmpegSource:
    """Sound from ffmpeg reading `source` live."""

    def __init__(self, source: str, ffmpeg: str = "ffmpeg", quiet_after: float = 3.0) -> None:
        self._source = source
        self._ffmpeg = ffmpeg
        self._quiet_after = quiet_after
        self._give_up = max(_GIVE_UP, 2 * quiet_after)   # past ffmpeg's own timeout
        self._sign_of_life = 0.0   # monotonic time this opening began or last sent sound
        self._process: subprocess.Popen[bytes] | None = None
        self._chunks: queue.Queue[bytes] = queue.Queue()
        self._held = 0
        self._lock = threading.Lock()
        self._dropped = 0.0
        self._carry = b""
        self._is_file = "://" not in source and not source.startswith("-")
        self._played = False    # a file source was read to its end
        self._said = ""         # ffmpeg's last error lines, while no sound comes
        self._told = ""         # ... as last logged
        self._first_timestamp: float | None = None   # this opening's

    def open(self) -> None:
        """Start ffmpeg; raises MediaError if it cannot run or a file source is missing."""
        if shutil.which(self._ffmpeg) is None:
            raise MediaError(self._source, "ffmpeg is not installed (scripts/setup installs it)")
        if self._is_file and not Path(self._source).exists():
            raise MediaError(self._source, "no such file")
        self._start()

    def _start(self) -> None:
        # At info level for the input's first timestamp; only errors are kept as problems.
        command = [self._ffmpeg, "-hide_banner", "-loglevel", "level+info", "-nostats", "-nostdin",
                   *input_arguments(self._source, quiet_after=self._quiet_after), "-vn", "-ac", "1",
                   "-ar", str(SAMPLE_RATE), "-flush_packets", "1", "-f", "s16le", "pipe:1"]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL)
        self._process = process
        self._first_timestamp = None
        self._sign_of_life = time.monotonic()
        threading.Thread(target=self._pump, args=(process,), name="live-source",
                         daemon=True).start()
        threading.Thread(target=self._listen, args=(process,), name="live-source-errors",
                         daemon=True).start()

    def _listen(self, process: subprocess.Popen[bytes]) -> None:
        """Keep ffmpeg's last error line (why a URL gives nothing: a host that does not
        resolve, a refused connection, a stream not found)."""
        assert process.stderr is not None
        last: list[str] = []   # the cause, then ffmpeg's summing up ("...: Input/output error")
        with process.stderr:
            for raw in process.stderr:
                text = raw.decode("utf-8", "replace").rstrip()
                level = _FFMPEG_LEVEL.search(text)
                text = _FFMPEG_LEVEL.sub("", text, count=1)
                if level is None or level.group(1) in ("info", "warning"):
                    start = _INPUT_START.match(text)
                    if start and process is self._process:   # this opening's, not an old one's
                        self._first_timestamp = float(start.group(1))
                    continue
                line = _FFMPEG_CONTEXT.sub(r"\1: ", text.strip())
                if not last and line == f"{self._source}: Input/output error":
                    continue   # its own timeout: nothing came, which says nothing of why
                if line and process is self._process:   # not what it says as it is stopped
                    last = [*last[-1:], line]
                    self._said = "; ".join(last)[:300]

    @property
    def problem(self) -> str | None:
        """ffmpeg's last error lines while no sound arrives; None while it sends."""
        return (self._said or None) if self._chunks.empty() else None

    @property
    def first_timestamp(self) -> float | None:
        """The input's first timestamp (seconds), as ffmpeg read it when last opened."""
        return self._first_timestamp

    @property
    def ended(self) -> bool:
        return self._played and self._chunks.empty()

    def _pump(self, process: subprocess.Popen[bytes]) -> None:
        stream = process.stdout
        assert stream is not None
        while (data := stream.read1(_READ)):   # type: ignore[attr-defined]
            with self._lock:
                self._said = ""   # it sends: whatever it complained of has passed
                self._sign_of_life = time.monotonic()
                self._chunks.put(data)
                self._held += len(data)
                while self._held > _HELD:       # the session fell far behind: drop the oldest
                    old = self._chunks.get_nowait()
                    self._held -= len(old)
                    self._dropped += len(old) / (2 * SAMPLE_RATE)
        if self._is_file and process.wait() == 0 and process is self._process:
            self._played = True   # a file played to its end: the session ends with it

    def read(self, wait: float) -> bytes:
        try:
            first = self._chunks.get(timeout=wait)
        except queue.Empty:
            return b""
        with self._lock:
            parts = [self._carry, first]
            while not self._chunks.empty():
                parts.append(self._chunks.get_nowait())
            data = b"".join(parts)
            self._held -= len(data) - len(self._carry)
        cut = len(data) - len(data) % 2   # never split a sample: the odd byte waits
        self._carry = data[cut:]
        return data[:cut]

    def restart(self) -> bool:
        """Start ffmpeg again if its last opening has ended, or seems hung (no sound for
        `_GIVE_UP` s, or twice `quiet_after`); one still listening or probing is kept. True if
        it was started again."""
        process = self._process
        if (process is not None and process.poll() is None
                and time.monotonic() - self._sign_of_life < self._give_up):
            return False
        said = self._said
        self._stop()
        if said:
            if said != self._told:   # once a fault, not every reopening
                log.warning("live source sends nothing; reopening",
                            extra={"source": self._source, "reason": said})
        else:
            log.info("live source reopened", extra={"source": self._source})
        self._told = said
        self._start()
        return True

    def close(self) -> None:
        self._stop()

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(_STOP_WAIT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(_STOP_WAIT)
