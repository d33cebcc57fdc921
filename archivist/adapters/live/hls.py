"""A live session's captions as an HLS subtitle rendition, written as the stream passes them.

In the session's folder: `captions.m3u8` lists the segments in `captions/` (as the web serves
them: `captions/<session>/<k>.vtt`, relative to the playlist's URL), the same rows as the
session's WebVTT (domain/live/subtitles.py). A writer thread (from `begin` to `end`) keeps to
the wall clock, by the stream time estimated from the last status and the time since, so a
decode that holds up the session's status does not hold up the segments of rows already sent.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from archivist.domain.live import subtitles

log = logging.getLogger("archivist.live")
_WRITER_JOIN = 5.0  # seconds `end` waits for the segment writer (a stuck disk) before going on
_STATUS_AGE = 2.0   # seconds old a status may be when it comes; older is a made-up clock
_WRITER_LATE = 0.05  # seconds the writer wakes after a segment is due (never a hair before it)


class HlsRendition:
    """One city's live HLS subtitle rendition: its segments, its playlist and their writer."""

    def __init__(self, city: str) -> None:
        self.city = city
        # Shared by the session's thread and the segment writer: under _lock.
        self._lock = threading.Lock()
        self._session: Path | None = None
        self._open = False                      # between begin and end: end writes the last
        self._writer: threading.Thread | None = None
        self._writer_stop = threading.Event()
        self._writer_wake = threading.Event()   # a new status: the next segment's time moved
        self._estimate = subtitles.StreamEstimate()   # on time.monotonic()
        self._segments = subtitles.Segmenter()
        self._failed = False                    # logged once: the rendition not written
        self._clock = subtitles.SourceClock()   # the cues' times: the source's own
        self._anchored: tuple[float, float] | None = None   # (stream time, source timestamp)
        self._zero_wall: float | None = None    # Unix time of session second 0
        self._stream_seconds = 0.0
        self._after: subtitles.Continued | None = None   # the killed session's playlist

    def begin(self, session: Path, previous: Path | None = None) -> None:
        """Start the rendition of a new session in the folder `session`: an empty live
        playlist for players to poll, and the writer. If the session before, in the folder
        `previous`, was killed (its playlist never ended), this one's playlist carries it on."""
        self._stop_writer()
        try:
            before = (previous / "captions.m3u8").read_text(encoding="utf-8") if previous else ""
        except (OSError, UnicodeDecodeError):
            before = ""
        with self._lock:
            self._session, self._open = session, True
            self._after = subtitles.continued_from(before)
            self._estimate = subtitles.StreamEstimate()
            self._segments = subtitles.Segmenter()
            self._failed = False
            self._clock, self._anchored = subtitles.SourceClock(), None
            self._zero_wall = None
            self._stream_seconds = 0.0
            self._write_segments([], ended=False)
        self._writer_stop, self._writer_wake = threading.Event(), threading.Event()
        self._writer = threading.Thread(target=self._keep_segments,
                                        args=(self._writer_stop, self._writer_wake),
                                        name=f"live-hls-{self.city}", daemon=True)
        self._writer.start()

    def add(self, start: float, end: float, text: str) -> None:
        """A finished row, on the session's clock, for the segment it falls in."""
        with self._lock:
            self._segments.add([subtitles.Cue(self._clock.seconds(start),
                                              self._clock.seconds(end), text)])

    def heard(self, status: Mapping[str, Any]) -> None:
        """The session's status: how far the stream has come, and its source's timestamps."""
        stream = float(status.get("stream_seconds") or 0.0)
        # When the stream was there, on the monotonic clock: `updated` is when the status was
        # made, a moment ago (a session on a made-up clock, as in tests, is taken as now).
        age = time.time() - float(status.get("updated") or time.time())
        age = age if 0.0 <= age <= _STATUS_AGE else 0.0
        with self._lock:
            if stream > 0 and self._zero_wall is None and status.get("updated"):
                self._zero_wall = float(status["updated"]) - stream   # when the first sound came
            if status.get("source_timestamp") is not None:
                anchor = (float(status.get("source_opened_at") or 0.0),
                          float(status["source_timestamp"]))
                if anchor != self._anchored:   # a new opening of the source sends sound
                    self._anchored = anchor
                    self._clock.anchor(*anchor)
            self._stream_seconds = max(self._stream_seconds, self._clock.seconds(stream))
            if stream > 0:
                self._estimate.heard(self._stream_seconds, time.monotonic() - age)
                self._writer_wake.set()
            self._write_segments(self._segments.due(self._stream_seconds), ended=False)

    def end(self) -> None:
        """Stop the writer, then write the last segments and end the playlist (once)."""
        closing, self._open = self._open, False
        self._stop_writer()
        if not closing:
            return
        if self._lock.acquire(timeout=_WRITER_JOIN):
            try:
                self._write_segments(self._segments.due(self._stream_seconds, final=True),
                                     ended=True)
            finally:
                self._lock.release()
        else:
            log.warning("live HLS captions not ended: the segment writer is stuck")

    def _keep_segments(self, stop: threading.Event, wake: threading.Event) -> None:
        """The segment writer: write the segments due by the estimated stream time, waking
        when the next is due (or a status moves it; at least every segment's length), until
        `stop`."""
        while not stop.is_set():
            with self._lock:
                stream = self._estimate.seconds(time.monotonic())
                self._write_segments(self._segments.due(stream), ended=False)
                wait = min(subtitles.SEGMENT, max(0.0, self._segments.next_due - stream))
            wake.wait(wait + _WRITER_LATE)
            wake.clear()

    def _stop_writer(self) -> None:
        writer, self._writer = self._writer, None
        self._writer_stop.set()
        self._writer_wake.set()
        if writer is not None:
            writer.join(_WRITER_JOIN)
            if writer.is_alive():
                log.warning("live HLS segment writer did not stop (a stuck disk?)")

    def _write_segments(self, due: Sequence[Sequence[subtitles.Cue]], ended: bool) -> None:
        """Write the segments `due` (each once: players fetch a segment once), then the
        playlist listing them; both whole, so a reader never sees half of either. A disk that
        refuses them (full, read-only) costs the web's HLS rendition, never the captions to
        the encoder: it is logged once, and the session goes on."""
        try:
            self._write_due(due, ended)
        except OSError as exc:
            if not self._failed:
                log.warning("live HLS captions not written", extra={"error": str(exc)})
            self._failed = True

    def _write_due(self, due: Sequence[Sequence[subtitles.Cue]], ended: bool) -> None:
        session = self._session
        if session is None or (not due and not ended and (session / "captions.m3u8").exists()):
            return
        folder = session / "captions"
        folder.mkdir(exist_ok=True)
        first = self._segments.written - len(due)
        for k, cues in enumerate(due, start=first):
            write_whole(folder / f"{k:05d}.vtt", subtitles.segment_text(cues, self._clock.mpegts))
        write_whole(session / "captions.m3u8", subtitles.playlist_text(
            self._segments.written, f"captions/{session.name}/{{:05d}}.vtt", self._zero_wall,
            ended, self._after))


def write_whole(path: Path, text: str) -> None:
    """Write `path` whole (a temporary file renamed over it): a reader never sees half."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
