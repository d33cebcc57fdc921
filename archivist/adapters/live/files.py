"""The LiveRecord port in the data dir: one folder per city, `data_dir/live/<city>/`.

- `lease`: held (flock) by the running session, so two starts of one city are one session;
  the kernel lets it go when the process dies, however it dies.
- `status.json`: the session's state, rewritten whole (atomically) every second (`loading`
  from when `live start` has the lease until the session's first).
- `stop`: present when someone asked the session to stop.
- `wanted`: present while staff want a session (started from the web or the API); the worker
  with --beat runs `live start` for it, and again if it dies, until it is no longer wanted.
- `supervised`: when a supervisor (`live supervise`, in the worker with --beat) last looked at
  the wanted session, so the web can say when nothing is there to run it.
- `failed`: why the wanted session's last start ended (the exit and the child's one-line error)
  and when it is tried again; gone once it is no longer wanted or asked for anew.
- `sessions/<UTC start>[-n]/transcript.jsonl` (`-2`, `-3` ... for a session begun in the same
  second as one before it): one JSON event a line (began, word, row, gap, ended),
  appended and flushed as it happens, so a killed session keeps everything it sent;
  `captions.vtt` beside it grows a cue per finished row (a web player attaches it), and
  `captions.m3u8` with `captions/` are the same rows as an HLS subtitle rendition (hls.py).
"""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import re
import socket
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from archivist.adapters.live.hls import HlsRendition, write_whole
from archivist.domain.live.subtitles import vtt_text, vtt_time
from archivist.domain.models import Word

_STOP_CHECK = 0.5   # seconds between looks for the stop file


def city_folder_name(city: str) -> str:
    """A city's folder name: its name with anything but letters, digits, - and _ as _."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", city.strip()) or "_"


class LiveFolder:
    """One city's live session files: its lease, status, stop request and transcripts."""

    def __init__(self, data_dir: str | os.PathLike[str], city: str) -> None:
        self.city = city
        self.path = Path(data_dir).expanduser() / "live" / city_folder_name(city)
        self._lease: IO[str] | None = None
        self._session: Path | None = None
        self._events: IO[str] | None = None
        self._vtt: IO[str] | None = None
        self._hls = HlsRendition(city)
        self._stop_checked = 0.0
        self._stop = False

    @property
    def current(self) -> str | None:
        """The name of the session this process is writing (or wrote last), if any."""
        return self._session.name if self._session is not None else None

    # The lease: one session per city.
    def claim(self) -> bool:
        """Take the city's lease; False if a live session holds it."""
        self.path.mkdir(parents=True, exist_ok=True)
        lease = (self.path / "lease").open("a+", encoding="utf-8")
        try:
            fcntl.flock(lease, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lease.close()
            return False
        lease.seek(0)
        lease.truncate()
        lease.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                "since": time.time()}))
        lease.flush()
        self._lease = lease
        (self.path / "stop").unlink(missing_ok=True)
        return True

    def holder(self) -> dict[str, Any] | None:
        """Who holds the lease (pid, host, since), or None when no session runs."""
        lease_path = self.path / "lease"
        if self._lease is not None:
            return json.loads(lease_path.read_text(encoding="utf-8") or "{}")
        if not lease_path.exists():
            return None
        with lease_path.open("r", encoding="utf-8") as lease:
            try:
                fcntl.flock(lease, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                text = lease.read()
                return json.loads(text) if text.strip() else {}
            fcntl.flock(lease, fcntl.LOCK_UN)
        return None

    def release(self) -> None:
        lease, self._lease = self._lease, None
        if lease is not None:
            lease.close()

    def request_stop(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / "stop").touch()

    # Wanted: a session staff started from the web, which the worker with --beat runs.
    def want(self, source: str, by: str = "") -> None:
        """Ask for a session reading `source` until `unwant()` (the worker with --beat runs it)."""
        self.path.mkdir(parents=True, exist_ok=True)
        write_whole(self.path / "wanted", json.dumps({"source": source, "since": time.time(), "by": by}))
        self.failed(None)

    def unwant(self) -> None:
        (self.path / "wanted").unlink(missing_ok=True)
        self.failed(None)

    def supervised(self) -> None:
        """Note that a supervisor is looking after the wanted session (every second)."""
        self.path.mkdir(parents=True, exist_ok=True)
        write_whole(self.path / "supervised", json.dumps({"pid": os.getpid(), "at": time.time(),
                                                           "host": socket.gethostname()}))

    def supervised_at(self) -> float | None:
        """When a supervisor last looked after the wanted session (Unix time), if ever."""
        try:
            return float((_json_dict(self.path / "supervised") or {})["at"])
        except (KeyError, TypeError, ValueError):
            return None

    def failed(self, failure: Mapping[str, Any] | None) -> None:
        """Note why the wanted session's last start ended ({reason, exit_code, retry_at}), or
        (None) that nothing failed."""
        if failure is None:
            (self.path / "failed").unlink(missing_ok=True)
            return
        self.path.mkdir(parents=True, exist_ok=True)
        write_whole(self.path / "failed", json.dumps(dict(failure)))

    def failure(self) -> dict[str, Any] | None:
        """Why the wanted session's last start ended, if it did."""
        return _json_dict(self.path / "failed")

    def wanted(self) -> dict[str, Any] | None:
        """The session asked for ({source, since, by}), if one is."""
        found = _json_dict(self.path / "wanted")
        return found if found and found.get("source") else None

    # The LiveRecord port.
    def began(self, source: str) -> None:
        previous = self.session_path()   # the web's until now: a killed one's playlist goes on
        self._session = self._new_session(datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
        self._events = (self._session / "transcript.jsonl").open("a", encoding="utf-8")
        self._vtt = (self._session / "captions.vtt").open("a", encoding="utf-8")
        self._vtt.write("WEBVTT\n\n")
        self._hls.begin(self._session, previous if previous != self._session else None)
        self._write({"kind": "began", "city": self.city, "source": source, "at": time.time()})

    def _new_session(self, stamp: str) -> Path:
        """A new session's own folder, named by the second it began (`-2`, `-3` ... after the
        name of one begun in the same second: a session killed and restarted at once)."""
        sessions = self.path / "sessions"
        sessions.mkdir(parents=True, exist_ok=True)
        for n in itertools.count(1):
            folder = sessions / (stamp if n == 1 else f"{stamp}-{n}")
            try:
                folder.mkdir()
            except FileExistsError:
                continue
            return folder
        raise AssertionError("unreachable")

    def sent(self, words: Sequence[tuple[Word, float, float]]) -> None:
        for word, at, latency in words:
            self._write({"kind": "word", "word": word.word, "start": round(word.start, 3),
                         "end": round(word.end, 3), "sent": round(at, 3),
                         "latency": round(latency, 3)}, flush=False)
        self._flush()

    def rows(self, rows: Sequence[Any]) -> None:
        if not rows or self._vtt is None:
            return
        for row in rows:
            end = max(row.end, row.start + 1.0)
            self._vtt.write(f"{vtt_time(row.start)} --> {vtt_time(end)}\n{vtt_text(row.text)}\n\n")
            self._hls.add(row.start, end, row.text)
            self._write({"kind": "row", "text": row.text, "start": round(row.start, 3),
                         "end": round(row.end, 3)}, flush=False)
        self._vtt.flush()
        self._flush()

    def gap(self, start: float, end: float, wall: float) -> None:
        self._write({"kind": "gap", "start": round(start, 3), "end": round(end, 3), "at": wall})
        if self._vtt is not None:
            self._vtt.write(f"NOTE the source was lost from {vtt_time(start)} to {vtt_time(end)}\n\n")
            self._vtt.flush()

    def status(self, status: Mapping[str, Any]) -> None:
        body = {**status, "session": self._session.name if self._session else None}
        write_whole(self.path / "status.json", json.dumps(body))
        self._hls.heard(status)

    def stop_requested(self) -> bool:
        now = time.monotonic()
        if now - self._stop_checked >= _STOP_CHECK:
            self._stop_checked = now
            self._stop = (self.path / "stop").exists()
        return self._stop

    def ended(self) -> None:
        self._write({"kind": "ended", "at": time.time()})
        # The transcript and WebVTT first: the HLS rendition is a copy of them.
        for handle in (self._events, self._vtt):
            if handle is not None:
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()
        self._events = self._vtt = None
        self._hls.end()
        (self.path / "stop").unlink(missing_ok=True)

    # Reading, for `live status` and the web.
    def last_status(self) -> dict[str, Any] | None:
        return _json_dict(self.path / "status.json")

    def session_path(self, name: str | None = None) -> Path | None:
        """A session's folder (the latest, or the named one), if there is one."""
        sessions = self.path / "sessions"
        if name is not None:
            found = sessions / city_folder_name(name)
            return found if found.is_dir() else None
        names = self.session_names()
        return sessions / names[-1] if names else None

    def events(self, session: Path, offset: int = 0, limit: int = 500) -> Iterator[tuple[int, dict[str, Any]]]:
        """Whole events of a session's transcript from byte `offset`: (offset after it, event)."""
        try:
            handle = (session / "transcript.jsonl").open("rb")
        except OSError:
            return
        with handle:
            handle.seek(offset)
            for _ in range(limit):
                line = handle.readline()
                if not line.endswith(b"\n"):
                    return   # being written: next time
                offset += len(line)
                try:
                    yield offset, json.loads(line)
                except ValueError:
                    continue

    # The LiveEvents port, for the keeper that stores transcripts in the database.
    def session_names(self) -> list[str]:
        sessions = self.path / "sessions"
        if not sessions.is_dir():
            return []
        return sorted((p.name for p in sessions.iterdir() if p.is_dir()), key=session_order)

    def session_events(self, name: str, offset: int) -> Iterator[tuple[int, dict[str, Any]]]:
        session = self.session_path(name)
        while session is not None:
            read = list(self.events(session, offset))
            yield from read
            if len(read) < 500:
                return
            offset = read[-1][0]

    def _write(self, event: dict[str, Any], flush: bool = True) -> None:
        if self._events is not None:
            self._events.write(json.dumps(event) + "\n")
            if flush:
                self._flush()

    def _flush(self) -> None:
        if self._events is not None:
            self._events.flush()


def session_order(name: str) -> tuple[str, int]:
    """Sessions in the order they began: by the second, then by their number within it."""
    stamp, _, n = name.partition("-")
    return stamp, int(n) if n.isdigit() else 1


def _json_dict(path: Path) -> dict[str, Any] | None:
    """The JSON object a file holds; None if it is missing, unreadable or not an object."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None
