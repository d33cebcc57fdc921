"""Mounted storage: each member city's recordings, and sidecars written safely beside them."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from archivist.domain.errors import ConfigError, GatewayUnavailable
from archivist.domain.health import ProbeResult, Status

_CHUNK = 4 * 1024 * 1024


def _cities(raw: Any) -> list[tuple[str, Path]]:
    cities = []
    for i, entry in enumerate(raw or []):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("path"):
            raise ConfigError(f"library.cities[{i}]: expected {{name: ..., path: ...}}, got {entry!r}")
        cities.append((str(entry["name"]), Path(str(entry["path"])).expanduser()))
    return cities


class MountedLibrary:
    """The MediaLibrary port over folders mounted on this machine (one per city)."""

    def __init__(self, cities: Any, retry: Callable[[Callable[[], Any]], Any]) -> None:
        self._cities = _cities(cities)
        self._retry = retry

    def cities(self) -> Sequence[tuple[str, Path]]:
        return list(self._cities)

    def fingerprint(self, path: Path) -> str:
        """SHA-256 of the file's bytes: the same recording has the same hash on any mount."""
        def read() -> str:
            digest = hashlib.sha256()
            with open(path, "rb") as f:
                while chunk := f.read(_CHUNK):
                    digest.update(chunk)
            return digest.hexdigest()
        return self._io(path, read)

    def size(self, path: Path) -> int:
        return self._io(path, lambda: os.stat(path).st_size)

    def write_sidecar(self, path: Path, content: str) -> Path:
        """Write to a temporary file in the same folder, fsync, then rename over the target.

        The rename is atomic on one filesystem, so playout never picks up half a caption file.
        """
        def write() -> Path:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                    f.write(content)
                    f.flush()
                    os.fsync(f.fileno())
                os.chmod(tmp, 0o644)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            return path
        return self._io(path, write)

    def _io(self, path: Path, fn: Callable[[], Any]) -> Any:
        # Network mounts drop out briefly (stale NFS handles, SMB reconnects): those retry.
        # A file that is not there, or not ours to read, is the caller's error, not the mount's.
        try:
            return self._retry(fn)
        except (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError):
            raise
        except OSError as exc:
            raise GatewayUnavailable("library", f"{path}: {exc.strerror or exc}") from exc


class LibraryProbe:
    """Health of the city mounts: each must be a readable folder."""

    name = "library"

    def __init__(self, cities: Any) -> None:
        self._cities = cities

    def check(self) -> ProbeResult:
        try:
            cities = _cities(self._cities)
        except ConfigError as exc:
            return ProbeResult(Status.DOWN, str(exc))
        if not cities:
            return ProbeResult(Status.OK, "no city mounts configured: files are given on the command line")
        missing = [f"{name} ({path})" for name, path in cities
                   if not (path.is_dir() and os.access(path, os.R_OK | os.X_OK))]
        if not missing:
            return ProbeResult(Status.OK, f"{len(cities)} city mount(s) readable")
        status = Status.DOWN if len(missing) == len(cities) else Status.DEGRADED
        return ProbeResult(status, "not mounted or unreadable: " + ", ".join(missing))
