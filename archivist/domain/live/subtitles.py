"""Live captions as an HLS subtitle rendition (RFC 8216): WebVTT segments and their playlist.

Cue times are seconds on the source's own clock from the session's first sound (`SourceClock`):
the session's stream time until the source is lost, and after it comes back, the time its
timestamps say (the session counts a gap on its own clock, kept on wall time; the stream's
timestamps ran on through it at their own pace). Each segment's X-TIMESTAMP-MAP ties second 0
to the source's MPEG-TS clock at the first sound when the source has one (as ffmpeg reads it),
so a player lines the cues up with video packaged from the same source; without one, second 0
is MPEG-TS 0 and the cues keep the session's clock.

Players fetch a segment once, so a segment is written once: when the stream is `HOLD`
seconds past its end (by then the rows said in it have been sent, at the usual latency). It
holds every row shown during it (a row that spans two segments is in both, as RFC 8216 asks)
and any row sent too late for the segment it belongs to: that row goes in the next segment
written, with its own times, so no row is lost. A player shows it if its time is still ahead
of the player (hls.js takes a cue from any segment it fetches, whatever segment it is in);
one whose time the player has already passed is in the transcript and captions.vtt only.

Segments follow the wall clock, not the session's reports: the stream time is estimated
(`StreamEstimate`) from the last report and the time since, so a decode that stalls the
session's reports does not hold back segments whose rows were already sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

SEGMENT = 6.0          # seconds a segment covers (the target duration)
HOLD = 6.0             # seconds past a segment's end before it is written
WINDOW = 100           # segments a live playlist lists (10 minutes)
_MPEGTS_HZ = 90_000
_MPEGTS_WRAP = 2 ** 33
_MOST_DRIFT = 3600.0   # seconds a gap may differ between the source's clock and the session's


@dataclass(frozen=True, slots=True)
class Cue:
    start: float
    end: float
    text: str


def vtt_time(seconds: float) -> str:
    """`seconds` as a WebVTT timestamp (hh:mm:ss.mmm)."""
    ms = round(max(0.0, seconds) * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def vtt_text(text: str) -> str:
    """`text` as a WebVTT cue's text: `&`, `<` and `>` start markup there, so they are escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mpegts(first_timestamp: float | None) -> int:
    """The MPEG-TS clock (90 kHz, 33 bits) at session second 0."""
    return round((first_timestamp or 0.0) * _MPEGTS_HZ) % _MPEGTS_WRAP


def segment_text(cues: Iterable[Cue], clock: int) -> str:
    """One WebVTT segment: the header mapping session second 0 to MPEG-TS `clock`, then cues."""
    body = "".join(f"{vtt_time(c.start)} --> {vtt_time(c.end)}\n{vtt_text(c.text)}\n\n"
                   for c in cues)
    return f"WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:{clock},LOCAL:00:00:00.000\n\n{body}"


@dataclass(frozen=True, slots=True)
class Continued:
    """Where the playlist of a session restarted after a kill carries on from the one the
    killed session left: players following it must never see its sequence numbers go back
    (RFC 8216 6.2.1)."""

    sequence: int        # the media sequence number of this session's first segment
    discontinuity: int   # the discontinuity sequence number of the killed session's last


def continued_from(previous: str) -> Continued | None:
    """Where a new session's playlist carries on from `previous`, the playlist the session
    before left; None if that one ended (players stopped following it) or is not a playlist."""
    lines = previous.splitlines()
    if not lines or lines[0] != "#EXTM3U" or "#EXT-X-ENDLIST" in lines:
        return None
    tags = dict(line.split(":", 1) for line in lines if line.startswith("#EXT-X-") and ":" in line)
    try:
        sequence = int(tags.get("#EXT-X-MEDIA-SEQUENCE", "0"))
        discontinuity = int(tags.get("#EXT-X-DISCONTINUITY-SEQUENCE", "0"))
    except ValueError:
        return None
    # (A playlist written before restarts went unmarked may hold a discontinuity.)
    return Continued(sequence + sum(line.startswith("#EXTINF:") for line in lines),
                     discontinuity + lines.count("#EXT-X-DISCONTINUITY"))


def playlist_text(written: int, uri: str, zero_wall: float | None, ended: bool,
                  after: Continued | None = None) -> str:
    """The media playlist of the last `WINDOW` of `written` segments; segment k is at
    `uri.format(k)`, and starts `zero_wall + k * SEGMENT` (Unix time) when that is known.
    `after`: the session carries on a killed one's playlist, its sequence numbers and its
    discontinuity number. No discontinuity is marked there: the station's video has none
    (Archivist's restart is not the stream's), the cues stay on the source's clock (each
    segment's map), and RFC 8216 6.2.4 asks a variant's renditions for matching numbers
    (hls.js places no cue of a number the video lacks)."""
    first = max(0, written - WINDOW)
    base = after.sequence if after else 0
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{int(SEGMENT)}",
             f"#EXT-X-MEDIA-SEQUENCE:{base + first}"]
    if after:
        lines.append(f"#EXT-X-DISCONTINUITY-SEQUENCE:{after.discontinuity}")
    if zero_wall is not None and written:
        # hls.js lines a live subtitle playlist up with the video's by this, when both have it.
        at = dt.datetime.fromtimestamp(zero_wall + first * SEGMENT, dt.UTC)
        lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{at.isoformat(timespec='milliseconds')}")
    for k in range(first, written):
        lines += [f"#EXTINF:{SEGMENT:.3f},", uri.format(k)]
    if ended:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


@dataclass(slots=True)
class SourceClock:
    """Session seconds to seconds on the source's clock from the session's first sound.

    Each opening of the source that sends sound is anchored: the session second its sound
    began at, and the source's timestamp of that sound. A source with no timestamps, or whose
    clock went back (an encoder restarted), keeps the session's clock from there on.
    """

    first: float | None = None     # the source's timestamp at session second 0
    shift: float = 0.0             # source seconds minus session seconds, since the last anchor
    latest: float = 0.0            # the latest source second reached (it never goes back)

    def anchor(self, session_seconds: float, timestamp: float | None) -> None:
        """The opening whose sound began at `session_seconds` carries source `timestamp`."""
        if timestamp is None:
            return
        if self.first is None:
            self.first, self.shift = timestamp - session_seconds, 0.0
            return
        since_first = (timestamp - self.first) % (_MPEGTS_WRAP / _MPEGTS_HZ)   # past a wrap
        shift = since_first - session_seconds
        # A clock that went back (or, read past a wrap, leapt hours on) keeps the old shift.
        if session_seconds + shift >= self.latest and abs(shift - self.shift) < _MOST_DRIFT:
            self.shift = shift

    def seconds(self, session_seconds: float) -> float:
        """`session_seconds` on the source's clock (0 at the session's first sound)."""
        found = session_seconds + self.shift
        self.latest = max(self.latest, found)
        return found

    @property
    def mpegts(self) -> int:
        """The MPEG-TS clock at second 0."""
        return mpegts(self.first)


@dataclass(slots=True)
class Segmenter:
    """Cuts a session's rows into segments as the stream passes them."""

    written: int = 0                       # segments written so far
    pending: list[Cue] = field(default_factory=list)   # rows not yet in every segment they need

    def add(self, cues: Iterable[Cue]) -> None:
        self.pending.extend(cues)

    @property
    def next_due(self) -> float:
        """The stream time at which the next segment is due."""
        return (self.written + 1) * SEGMENT + HOLD

    def due(self, stream_seconds: float, final: bool = False) -> list[list[Cue]]:
        """The cues of each segment to write now, in order: those `HOLD` seconds past, or (at
        the session's end) every one up to the stream's end and the last row's."""
        out = []
        while ((self.written + 1) * SEGMENT + HOLD <= stream_seconds
               or (final and (self.written * SEGMENT < stream_seconds or self.pending))):
            end = (self.written + 1) * SEGMENT
            out.append([c for c in self.pending if c.start < end])
            self.pending = [c for c in self.pending if c.end > end]
            self.written += 1
        return out


@dataclass(slots=True)
class StreamEstimate:
    """The stream time now, from the last report of it and the time since.

    A live source sends at most one second of sound a second, so the last reported stream
    time plus the time since it is as far as the stream can be, and the estimate is never
    past it; nor does it go back (segments written are not taken back): a report behind an
    earlier estimate holds the estimate until the stream catches up. Times are the caller's
    clock (seconds); nothing is known before the first report.
    """

    reported: float | None = None    # the last reported stream time
    at: float = 0.0                  # when it was reported
    given: float = 0.0               # the latest estimate given

    def heard(self, stream_seconds: float, at: float) -> None:
        """The stream was at `stream_seconds` at time `at`."""
        self.reported, self.at = stream_seconds, at

    def seconds(self, now: float) -> float:
        """The stream time at `now` (0 before the first report)."""
        if self.reported is not None:
            self.given = max(self.given, self.reported + max(0.0, now - self.at))
        return self.given
