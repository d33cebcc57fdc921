"""What renders kept (domain/rendered.py), as one file a recording in the data directory:
every process of the station (web workers, the CLI, job workers) reads the same."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger("archivist.review")


class KeptRenders:
    """`<data_dir>/rendered/<recording id>`: the pieces the recording's last render used."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self._folder = Path(folder)

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
        except OSError as exc:
            log.warning("kept render not written", extra={"recording": recording_id,
                                                          "reason": str(exc)})
