"""How pages show times, sizes and states."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from markupsafe import Markup, escape

from archivist.entrypoints.live_report import latency_said


def clock(seconds: float | None) -> str:
    """1:02:03 or 2:03: a moment in a recording."""
    if seconds is None:
        return ""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def meeting_length(seconds: float | None, captioned: bool = False, failed: bool = False) -> str:
    """A recording's length, or why it is not known: it is read from the media when the
    meeting is captioned, so a meeting not captioned yet has none. Of one captioned without
    it (a transcript stored by another route) or whose captioning failed, "until it is
    captioned" would not be true."""
    if seconds is not None:
        return clock(seconds)
    if captioned:
        return "unknown"
    return "unknown (its captioning failed)" if failed else "unknown until it is captioned"


def when(at: datetime | str | None) -> str:
    if at is None:
        return ""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def modified(epoch: float | None) -> str:
    """A file's modification time (seconds since the epoch), in the station's local time."""
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch).astimezone().strftime("%Y-%m-%d %H:%M")


def time_of_day(epoch: float | None) -> str:
    """A moment today (seconds since the epoch) in the station's local time: 19:42:10."""
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch).astimezone().strftime("%H:%M:%S")


def past_moment(epoch: float | None) -> str:
    """A moment before now in the station's local time: 19:42 today, Sat 5 Dec 2026 at 19:42
    on another day."""
    if epoch is None:
        return ""
    at = datetime.fromtimestamp(epoch).astimezone()
    return f"{at:%H:%M}" if at.date() == datetime.now().astimezone().date() else f"{day(at)} at {at:%H:%M}"


def utc_offset() -> int:
    """Seconds the station's local time (the server's) is ahead of UTC now: the live page
    writes a time the event stream gives it in the station's time, as the server wrote it."""
    offset = datetime.now().astimezone().utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def day(at: date | datetime | None) -> str:
    """A meeting's date as residents read it: Tue 3 Nov 2026."""
    if at is None:
        return ""
    return f"{at:%a} {at.day} {at:%b %Y}"


def meeting(path: str | Path | None) -> str:
    """A recording's name as staff know it: the file name without its extension."""
    return Path(str(path)).stem if path else ""


def shown_state(state: str | None) -> str:
    """A caption status in the station's words: a succeeded job means the meeting is captioned."""
    return "captioned" if state == "succeeded" else str(state or "")


def size(n: int | None) -> str:
    if n is None:
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024   # type: ignore[assignment]
    return str(n)


def snippet(text: str) -> Markup:
    """A search snippet, escaped, with the matched words (between « ») highlighted."""
    safe = str(escape(text))
    return Markup(safe.replace("«", "<mark>").replace("»", "</mark>"))


FILTERS = {"clock": clock, "meeting_length": meeting_length, "when": when, "meeting": meeting,
           "size": size, "snippet": snippet, "modified": modified, "day": day,
           "time_of_day": time_of_day, "past_moment": past_moment,
           "shown_state": shown_state, "latency": latency_said}
