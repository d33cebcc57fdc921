"""The LiveSource port on ffmpeg: any input ffmpeg reads live, as 16 kHz mono PCM.

UDP or SRT MPEG-TS, RTMP, HLS, a capture device (given as ffmpeg input arguments), or a file
played at real-time speed (`-re`, for tests and demos). A thread reads ffmpeg's output as it
comes, so a slow decode never stalls the input (UDP packets would be lost); what it holds is
bounded, and the oldest sound is dropped first.

An opening is ended by ffmpeg itself, when its input sends nothing for `quiet_after` seconds
(its I/O timeout), not by the session's clock: one still listening for a stream that has not
begun, or probing one that just has, is kept, so a stream heard from its first packet is heard
from its start. A listener (SRT `mode=listener`, `listen=1`) waits for its caller until it is
stopped, since the timeout does not end that wait and a caller that connects as it is stopped
would be lost. Only an input the timeout does not reach (a capture device, a listener that has
sent sound) that shows no sign of life (no sound and no line from ffmpeg) for `_GIVE_UP` seconds
is stopped and opened again.
"""

from __future__ import annotations

import logging
import queue
import re
import shlex
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

from archivist.adapters.live.children import dying_with_us
from archivist.domain.errors import MediaError

log = logging.getLogger("archivist.live")
SAMPLE_RATE = 16000
_READ = 6400                    # bytes per read: 0.2 s of sound
_HELD = 60 * SAMPLE_RATE * 2    # at most a minute of sound waits for the session
_STOP_WAIT = 3.0
_GIVE_UP = 10.0   # seconds (at least) an opening may give no sound before it is taken for hung
_FFMPEG_CONTEXT = re.compile(r"^\[([^\] ]+) @ 0x[0-9a-f]+\] ")   # "[srt @ 0x55...] " -> "srt: "
_FFMPEG_LEVEL = re.compile(r"\[(info|warning|error|fatal|panic)\] ")
_INPUT_START = re.compile(r"^ +Duration: .*, start: (-?\d+\.\d+)")   # its first timestamp
# An input that waits for its caller: SRT's mode=listener, tcp/http/rtmp's listen (as a URL
# option or an ffmpeg option given with a capture-style source).
_LISTENER = re.compile(r"[?&](mode=listener|listen(=[12])?)(&|$)|(^|\s)-listen\s+[12]\b")
# What an opening says when its timeout ends it: nothing came, which says nothing of why.
_TIMED_OUT = ("Input/output error", "Connection timed out")


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
        # UDP and RTSP set their own I/O timeout over the generic one (left at none: forever).
        timeout = "-timeout" if source.startswith(("udp:", "rtsp:")) else "-rw_timeout"
        args += [timeout, str(round(quiet_after * 1_000_000))]
    return [*args, "-i", source]


class Complaints:
    """ffmpeg's last error lines for one opening (why a URL gives nothing: a host that does not
    resolve, a refused connection, a stream not found), from its stderr lines as they come.
    An opening's own timeout is no complaint, in ffmpeg 5's words ("<url>: Input/output error")
    or 6.1's and later ("[in#0 @ 0x...] Error opening input: Input/output error", then "Error
    opening input file <url>." and "Error opening input files: ..."), which repeat the line
    before them and are never kept."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._last: list[str] = []   # the cause, then ffmpeg's summing up

    @property
    def said(self) -> str:
        return "; ".join(self._last)[:300]

    def hear(self, text: str) -> bool:
        """Take one stderr line (with its level tag); True if it is a complaint kept."""
        level = _FFMPEG_LEVEL.search(text)
        if level is None or level.group(1) in ("info", "warning"):
            return False
        line = _FFMPEG_CONTEXT.sub(r"\1: ", _FFMPEG_LEVEL.sub("", text, count=1).strip())
        if not line or line.startswith(("Error opening input file ", "Error opening input files:")):
            return False
        summing_up = line.startswith(f"{self._source}: ") or ": Error opening input: " in line
        if summing_up and not self._last and line.endswith(_TIMED_OUT):
            return False
        self._last = [*self._last[-1:], line]
        return True


def is_listener(source: str) -> bool:
    """True if `source` waits for a caller to connect (SRT listener, `listen=1`)."""
    return _LISTENER.search(source) is not None


class FfmpegSource:
    """Sound from ffmpeg reading `source` live."""

    def __init__(self, source: str, ffmpeg: str = "ffmpeg", quiet_after: float = 3.0) -> None:
        self._source = source
        self._ffmpeg = ffmpeg
        self._quiet_after = quiet_after
        self._give_up = max(_GIVE_UP, 2 * quiet_after)   # past ffmpeg's own timeout
        self._listener = is_listener(source)
        self._sign_of_life = 0.0   # monotonic time this opening began, sent sound or said a line
        self._sounded = False      # this opening has sent sound
        self._process: subprocess.Popen[bytes] | None = None
        # (when it arrived: monotonic, the sound): the session counts latency from the arrival.
        self._chunks: queue.Queue[tuple[float, bytes]] = queue.Queue()
        self._arrivals: list[tuple[int, float]] = []   # of the last read: see `arrivals`
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
                                   stdin=subprocess.DEVNULL,
                                   preexec_fn=dying_with_us(signal.SIGKILL))
        self._process = process
        self._first_timestamp = None
        self._sounded = False
        self._sign_of_life = time.monotonic()
        threading.Thread(target=self._pump, args=(process,), name="live-source",
                         daemon=True).start()
        threading.Thread(target=self._listen, args=(process,), name="live-source-errors",
                         daemon=True).start()

    def _listen(self, process: subprocess.Popen[bytes]) -> None:
        """Keep ffmpeg's complaints; any line it says is a sign of life (it is probing: "Input
        #0", "Duration:", the stream lines come before the first sound)."""
        assert process.stderr is not None
        complaints = Complaints(self._source)
        with process.stderr:
            for raw in process.stderr:
                text = raw.decode("utf-8", "replace").rstrip()
                if process is not self._process:   # what it says as it is stopped
                    continue
                self._sign_of_life = time.monotonic()
                start = _INPUT_START.match(_FFMPEG_LEVEL.sub("", text, count=1))
                if start:
                    self._first_timestamp = float(start.group(1))
                if complaints.hear(text):
                    self._said = complaints.said

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
                self._sounded = self._sounded or process is self._process
                self._chunks.put((time.monotonic(), data))
                self._held += len(data)
                while self._held > _HELD:       # the session fell far behind: drop the oldest
                    _at, old = self._chunks.get_nowait()
                    self._held -= len(old)
                    self._dropped += len(old) / (2 * SAMPLE_RATE)
        if self._is_file and process.wait() == 0 and process is self._process:
            self._played = True   # a file played to its end: the session ends with it

    def read(self, wait: float) -> bytes:
        try:
            first = self._chunks.get(timeout=wait)
        except queue.Empty:
            self._arrivals = []
            return b""
        with self._lock:
            chunks = [first]
            while not self._chunks.empty():
                chunks.append(self._chunks.get_nowait())
            data = b"".join([self._carry, *(chunk for _at, chunk in chunks)])
            self._held -= len(data) - len(self._carry)
        cut = len(data) - len(data) % 2   # never split a sample: the odd byte waits
        self._carry = data[cut:]
        self._arrivals, count = [], 0
        for at, chunk in chunks:
            count = min(cut, count + len(chunk))
            self._arrivals.append((count, at))
        return data[:cut]

    @property
    def arrivals(self) -> list[tuple[int, float]]:
        """Of the sound the last read returned: (bytes from its start, monotonic time by which
        they had arrived), in order. Sound waits here while the session decodes; a viewer waits
        for it as well, so the session's latency counts from these, not from the read."""
        return self._arrivals

    def restart(self) -> bool:
        """Start ffmpeg again if its last opening has ended, or seems hung (no sign of life for
        `_GIVE_UP` s, or twice `quiet_after`); one still listening or probing is kept, and a
        listener is kept until it has sent sound. True if it was started again."""
        process = self._process
        if process is not None and process.poll() is None and (
                (self._listener and not self._sounded)
                or time.monotonic() - self._sign_of_life < self._give_up):
            return False
        if self._is_file and process is not None and process.poll() is not None:
            if not self._sounded:   # it will not read better the next time
                raise MediaError(self._source, self._said or "ffmpeg read no sound from it")
            self._played = True     # it played what it could: the session ends with it
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
