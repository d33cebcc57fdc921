"""What renders kept (domain/rendered.py), as one file a recording in the data directory:
every process of the station (web workers, the CLI, job workers) reads the same."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

log = logging.getLogger("archivist.review")


KEPT = 100   # recordings whose last render is kept (a 3-hour meeting's is about 2.7 MB)
_ABANDONED = 3600.0   # seconds after which a half-written file is a crashed writer's


class KeptRenders:
    """`<data_dir>/rendered/<recording id>`: the pieces the recording's last render used; the
    `kept` most recently rendered recordings' only (those being corrected)."""

    def __init__(self, folder: str | os.PathLike[str], kept: int = KEPT) -> None:
        self._folder = Path(folder)
        self._kept = kept

    def kept(self, recording_id: int) -> bytes | None:
        try:
            return (self._folder / str(int(recording_id))).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:   # costs a full render, never a save
            log.warning("kept render not read", extra={"recording": recording_id,
                                                       "reason": str(exc)})
            return None

    def keep(self, recording_id: int, body: bytes) -> None:
        """Replace the file atomically: a reader sees the old body or the new, whole."""
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self._folder, prefix=f".{int(recording_id)}.")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(body)
                os.replace(name, self._folder / str(int(recording_id)))
            except BaseException:
                Path(name).unlink(missing_ok=True)
                raise
            self._prune()
        except OSError as exc:
            log.warning("kept render not written", extra={"recording": recording_id,
                                                          "reason": str(exc)})

    def _prune(self) -> None:
        """Drop all but the `kept` newest bodies, and what a crashed writer left."""
        bodies, now = [], time.time()
        for path in self._folder.iterdir():
            try:
                changed = path.stat().st_mtime
            except FileNotFoundError:   # another process pruned it first
                continue
            if path.name.startswith("."):
                if now - changed > _ABANDONED:
                    path.unlink(missing_ok=True)
            else:
                bodies.append((changed, path))
        for _, path in sorted(bodies, reverse=True)[self._kept:]:
            path.unlink(missing_ok=True)
