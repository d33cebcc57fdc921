"""The BrowserCopies port with ffprobe and ffmpeg: what a file holds, and a small H.264/AAC
MP4 of it (keyframe every 2 s, moov atom first) for browsers, on a shelf in the data dir.

A copy is written as `<key>.part.mp4` and renamed when whole; a failure leaves
`<key>.failed` holding why, for a day (then it is made again when asked). Both tools run as
child processes with a time limit. An ffmpeg killed by a signal (the worker stopped or
restarted: systemd signals its whole group) is no fault of the file: its copy is left to be made
again, not marked failed.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from archivist.domain.errors import MediaError, NotFound
from archivist.domain.playback.copies import CachedCopy, CopyState, CopyStatus
from archivist.domain.playback.formats import BROWSER_CONTAINERS, Streams, browser_plays

log = logging.getLogger("archivist.playback")
PROBE_SECONDS = 30
REMEMBERED = 4096   # probe answers kept (path, size, mtime, ctime → plays or not)
# A copy that failed is tried again when asked a day later: the cause may have been the
# machine's (a full disk, a tool since mended), and nobody should have to delete marks by hand.
FAILED_FOR = 24 * 3600
# Signals that stop a worker (systemd, Ctrl-C, a closed terminal): its ffmpeg is interrupted,
# not failed. Others (the OOM killer's SIGKILL, a crash) fail the copy, to be tried in a day.
STOPPED_BY = frozenset((signal.SIGTERM, signal.SIGINT, signal.SIGHUP))
# What ffprobe says of a file whose bytes are not media (rather than of a mount it could not
# read, a permission, or memory): only these are remembered until the file changes.
DATA_ERRORS = ("Invalid data found", "moov atom not found")


class NotMedia(MediaError):
    """ffprobe read the file and found no media in it: the same answer until the file changes
    (a probe that timed out or could not run says nothing of the file, and is not kept)."""


class FfmpegCopies:
    """Probes with ffprobe, copies with ffmpeg; the shelf is one folder."""

    def __init__(self, folder: str | Path, make_seconds: float, height: int = 480,
                 ffmpeg: str = "ffmpeg", ffprobe: str = "ffprobe") -> None:
        self._folder = Path(folder)
        self._make_seconds = float(make_seconds)
        self._height = int(height)
        self._ffmpeg, self._ffprobe = ffmpeg, ffprobe
        # What a probe found of a file as it was (path, size, mtime, ctime): whether a browser plays
        # it, or why it is not media. A file that is not media is remembered as such: probed
        # again on every page view, a loaded server misses the page's deadline each time and
        # the page never says why it cannot play.
        self._known: dict[tuple[str, int, float, float], bool | MediaError] = {}
        self._lock = threading.Lock()

    def browser_plays(self, media: Path) -> bool:
        try:
            st = media.stat()
        except FileNotFoundError as exc:
            raise NotFound(f"{media.name} is gone") from exc
        except OSError as exc:
            raise MediaError(media.name, f"cannot be read: {exc.strerror or exc}") from exc
        extension = media.suffix.lower().lstrip(".")
        if extension not in BROWSER_CONTAINERS:
            return False
        # ctime too: a chmod (a file made readable) or a copy back in place with its old mtime.
        seen = (str(media), st.st_size, st.st_mtime, st.st_ctime)
        with self._lock:
            known = self._known.get(seen)
        if isinstance(known, MediaError):
            raise NotMedia(known.path, known.reason)   # a fresh one: no traceback piles up
        if known is not None:
            return known
        try:
            plays: bool | MediaError = browser_plays(extension, self.streams(media))
        except NotMedia as exc:
            plays = NotMedia(exc.path, exc.reason)
        with self._lock:
            if len(self._known) >= REMEMBERED:
                self._known.clear()
            self._known[seen] = plays
        if isinstance(plays, MediaError):
            raise NotMedia(plays.path, plays.reason)
        return plays

    def streams(self, media: Path) -> Streams:
        """The file's video and audio codecs, as ffprobe names them."""
        try:
            done = subprocess.run(
                [self._ffprobe, "-v", "error", "-show_entries", "stream=codec_type,codec_name",
                 "-of", "json", str(media)],
                capture_output=True, text=True, timeout=PROBE_SECONDS, check=False)
        except subprocess.TimeoutExpired as exc:
            raise MediaError(media.name, f"ffprobe took over {PROBE_SECONDS}s") from exc
        except OSError as exc:
            raise MediaError(media.name, f"ffprobe cannot run: {exc.strerror or exc}") from exc
        if done.returncode > 0 and any(said in done.stderr for said in DATA_ERRORS):
            raise NotMedia(media.name, f"not readable media ({_last_line(done.stderr)})")
        if done.returncode != 0:   # killed, or the file could not be read: ask again next time
            raise MediaError(media.name, "cannot be probed (" + (
                _last_line(done.stderr) or (f"ffprobe killed by signal {-done.returncode}"
                                            if done.returncode < 0 else
                                            f"ffprobe exited with status {done.returncode}")) + ")")
        found = json.loads(done.stdout or "{}").get("streams", [])
        return Streams(tuple(s.get("codec_name", "") for s in found if s.get("codec_type") == "video"),
                       tuple(s.get("codec_name", "") for s in found if s.get("codec_type") == "audio"))

    def status(self, key: str) -> CopyStatus:
        ready, part, failed = self._paths(key)
        if ready.exists():
            return CopyStatus(CopyState.READY, ready)
        try:
            if time.time() - part.stat().st_mtime < self._make_seconds:
                return CopyStatus(CopyState.MAKING)
        except FileNotFoundError:
            pass
        try:
            why = failed.read_text(encoding="utf-8").strip()
            if time.time() - failed.stat().st_mtime >= FAILED_FOR:
                return CopyStatus(CopyState.ABSENT)   # asked for again, made again
            return CopyStatus(CopyState.FAILED, why=why)
        except FileNotFoundError:
            return CopyStatus(CopyState.ABSENT)

    def make(self, media: Path, key: str) -> CopyStatus:
        ready, part, failed = self._paths(key)
        self._folder.mkdir(parents=True, exist_ok=True)
        try:
            # Exclusive: a second worker asked for the same copy leaves it to the first.
            os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except FileExistsError:
            if time.time() - part.stat().st_mtime < self._make_seconds:
                return CopyStatus(CopyState.MAKING)
            part.unlink(missing_ok=True)   # left by a worker that died: start again
            return self.make(media, key)
        started = time.monotonic()
        try:
            done = subprocess.run(self._command(media, part), capture_output=True, text=True,
                                  timeout=self._make_seconds, check=False)
            if -done.returncode in STOPPED_BY:
                part.unlink(missing_ok=True)
                log.info("browser copy interrupted", extra={"key": key, "media": media.name,
                                                            "signal": -done.returncode})
                return CopyStatus(CopyState.ABSENT, why="interrupted: made again when asked")
            why = "" if done.returncode == 0 else (
                _last_line(done.stderr) or (f"ffmpeg killed by signal {-done.returncode}"
                                            if done.returncode < 0 else
                                            f"ffmpeg exited with status {done.returncode}"))
        except subprocess.TimeoutExpired:
            why = f"ffmpeg took over {self._make_seconds:.0f}s"
        except OSError as exc:
            why = f"ffmpeg cannot run: {exc.strerror or exc}"
        if why:
            part.unlink(missing_ok=True)
            failed.write_text(why + "\n", encoding="utf-8")
            log.warning("browser copy failed", extra={"key": key, "media": media.name, "why": why})
            return CopyStatus(CopyState.FAILED, why=why)
        os.replace(part, ready)
        failed.unlink(missing_ok=True)
        log.info("browser copy made", extra={"key": key, "media": media.name,
                                             "seconds": round(time.monotonic() - started, 1),
                                             "bytes": ready.stat().st_size})
        return CopyStatus(CopyState.READY, ready)

    def used(self, key: str) -> None:
        try:
            os.utime(self._paths(key)[0])
        except OSError:
            pass   # evicted meanwhile: the next page asks for it again

    def shelf(self) -> list[CachedCopy]:
        found = []
        try:
            entries = list(os.scandir(self._folder))
        except FileNotFoundError:
            return []
        for entry in entries:
            if entry.name.endswith(".mp4") and not entry.name.endswith(".part.mp4"):
                try:
                    st = entry.stat()
                except FileNotFoundError:
                    continue
                found.append(CachedCopy(entry.name[:-4], st.st_size, st.st_mtime))
        return found

    def remove(self, key: str) -> None:
        self._paths(key)[0].unlink(missing_ok=True)
        log.info("browser copy evicted", extra={"key": key})

    def _paths(self, key: str) -> tuple[Path, Path, Path]:
        return (self._folder / f"{key}.mp4", self._folder / f"{key}.part.mp4",
                self._folder / f"{key}.failed")

    def _command(self, media: Path, target: Path) -> list[str]:
        # Small and quick to seek: at most `height` lines, a keyframe every 2 s, index first.
        return [self._ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-i", str(media), "-map", "0:v:0?", "-map", "0:a:0?",
                "-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-pix_fmt", "yuv420p",
                "-vf", f"scale=-2:'min({self._height},ih)'",
                "-force_key_frames", "expr:gte(t,n_forced*2)",
                "-c:a", "aac", "-b:a", "96k", "-ac", "2",
                "-movflags", "+faststart", "-f", "mp4", str(target)]


def _last_line(text: str) -> str:
    """The last line a tool wrote (its reason), or "" when it wrote none."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""
