"""Mounted storage: each member city's recordings, and sidecars written safely beside them."""

from __future__ import annotations

import hashlib
import os
import stat as stat_mode
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from archivist.domain.errors import ConfigError, GatewayUnavailable, MediaError
from archivist.domain.health import ProbeResult, Status
from archivist.domain.metrics import Metrics, NoMetrics
from archivist.domain.models import City, MediaFile

T = TypeVar("T")
_CHUNK = 4 * 1024 * 1024
DEFAULT_EXTENSIONS = ("mp4", "m4v", "mov", "mkv", "ts", "mpg", "mpeg", "mxf", "wav", "mp3", "m4a")


def cities_from(raw: Any, extensions: Sequence[str] = DEFAULT_EXTENSIONS) -> list[City]:
    """The `library.cities` setting as City values; a malformed entry is a ConfigError."""
    cities, names = [], set()
    for i, entry in enumerate(raw or []):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("path"):
            raise ConfigError(f"library.cities[{i}]: expected {{name: ..., path: ...}}, got {entry!r}")
        name = str(entry["name"])
        if name in names:
            raise ConfigError(f"library.cities[{i}]: a second city named {name!r}")
        names.add(name)
        own = entry.get("extensions") or extensions
        if not isinstance(own, list | tuple) or not all(isinstance(e, str) for e in own):
            raise ConfigError(f"library.cities[{i}].extensions: expected a list of extensions, got {own!r}")
        vocabulary = entry.get("vocabulary") or []
        if not isinstance(vocabulary, list | tuple) or not all(isinstance(v, str) for v in vocabulary):
            raise ConfigError(f"library.cities[{i}].vocabulary: expected a list of names and terms, "
                              f"got {vocabulary!r}")
        cities.append(City(name, Path(str(entry["path"])).expanduser(),
                           tuple(e.lower().lstrip(".") for e in own), tuple(vocabulary)))
    return cities


class MountedLibrary:
    """The MediaLibrary port over folders mounted on this machine (one per city)."""

    def __init__(self, cities: Any, retry: Callable[[Callable[[], Any]], Any],
                 extensions: Sequence[str] = DEFAULT_EXTENSIONS, list_timeout: float = 60.0) -> None:
        self._cities = cities_from(cities, extensions)
        self._retry = retry
        self._list_timeout = list_timeout

    def cities(self) -> Sequence[City]:
        return list(self._cities)

    def recordings(self, city: City) -> list[MediaFile]:
        """Every file with one of the city's extensions under its mount, newest first.

        Hidden files (ours in progress among them) and links leading out of the mount are
        left out. A mount that hangs gives up after `list_timeout` seconds.
        """
        def listing() -> list[MediaFile]:
            root = city.path.resolve(strict=True)
            found = []
            for folder, dirs, files in os.walk(root, onerror=_raise):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files:
                    if name.startswith(".") or name.rsplit(".", 1)[-1].lower() not in city.extensions:
                        continue
                    path = Path(folder) / name
                    real = path.resolve()
                    if not real.is_relative_to(root):
                        continue   # a symlink out of the city's mount is not the city's
                    try:
                        st = real.stat()
                    except OSError:
                        continue   # removed while we looked
                    if stat_mode.S_ISREG(st.st_mode):
                        found.append(MediaFile(path, st.st_size, st.st_mtime, city.name))
            return sorted(found, key=lambda f: f.mtime, reverse=True)

        try:
            return _bounded(listing, self._list_timeout, f"listing {city.path}")
        except FileNotFoundError:
            raise GatewayUnavailable("library", f"{city.name}: {city.path} is not mounted "
                                                "(no such folder)") from None
        except OSError as exc:
            raise GatewayUnavailable("library", f"{city.name}: {city.path}: "
                                                f"{exc.strerror or exc}") from None

    def city_of(self, path: Path) -> City | None:
        real = Path(path).resolve()
        for city in self._cities:
            try:
                if real.is_relative_to(city.path.resolve()):
                    return city
            except OSError:
                continue
        return None

    def stat(self, path: Path) -> MediaFile:
        """Size and mtime of a recording; only regular files are recordings."""
        def look() -> os.stat_result:
            return os.stat(path)
        try:
            st = self._io(path, look)
        except FileNotFoundError:
            raise MediaError(path, "no such file") from None
        except PermissionError as exc:
            raise MediaError(path, f"cannot read ({exc.strerror})") from None
        if stat_mode.S_ISDIR(st.st_mode):
            raise MediaError(path, "is a folder, not a recording")
        if not stat_mode.S_ISREG(st.st_mode):
            # A FIFO or a device would be read for ever.
            raise MediaError(path, "is not a regular file (a pipe, socket or device)")
        city = self.city_of(path)
        return MediaFile(Path(path), st.st_size, st.st_mtime, city.name if city else "")

    def fingerprint(self, path: Path) -> str:
        """SHA-256 of the file's bytes: the same recording has the same hash on any mount."""
        def read() -> str:
            digest = hashlib.sha256()
            with open(path, "rb") as f:
                while chunk := f.read(_CHUNK):
                    digest.update(chunk)
            return digest.hexdigest()
        try:
            return self._io(path, read)
        except FileNotFoundError:
            raise MediaError(path, "vanished before it could be read (no such file)") from None
        except (PermissionError, IsADirectoryError, NotADirectoryError) as exc:
            raise MediaError(path, f"cannot read ({exc.strerror})") from None

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

    def remove(self, path: Path) -> None:
        self._io(path, lambda: Path(path).unlink(missing_ok=True))

    def _io(self, path: Path, fn: Callable[[], T]) -> T:
        # Network mounts drop out briefly (stale NFS handles, SMB reconnects): those retry.
        # A file that is not there, or not ours to read, is the caller's error, not the mount's.
        try:
            result: T = self._retry(fn)
        except (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError):
            raise
        except OSError as exc:
            raise GatewayUnavailable("library", f"{path}: {exc.strerror or exc}") from exc
        return result


def _raise(exc: OSError) -> None:
    raise exc


def _bounded(fn: Callable[[], T], seconds: float, what: str) -> T:
    """Run `fn` in a daemon thread and give up after `seconds` (a hung mount never returns)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc
    thread = threading.Thread(target=run, daemon=True, name="library-listing")
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise GatewayUnavailable("library", f"{what}: no answer within {seconds:g}s")
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value


class LibraryProbe:
    """Health of the city mounts: each must be a readable folder."""

    name = "library"

    def __init__(self, cities: Any, metrics: Metrics | None = None) -> None:
        self._cities = cities
        self._metrics = metrics or NoMetrics()

    def check(self) -> ProbeResult:
        try:
            cities = cities_from(self._cities)
        except ConfigError as exc:
            return ProbeResult(Status.DOWN, str(exc))
        if not cities:
            return ProbeResult(Status.OK, "no city mounts configured: files are given on the command line")
        missing = []
        for c in cities:
            readable = c.path.is_dir() and os.access(c.path, os.R_OK | os.X_OK)
            self._metrics.mount_seen(c.name, readable)
            if not readable:
                missing.append(f"{c.name} ({c.path})")
        if not missing:
            return ProbeResult(Status.OK, f"{len(cities)} city mount(s) readable")
        status = Status.DOWN if len(missing) == len(cities) else Status.DEGRADED
        return ProbeResult(status, "not mounted or unreadable: " + ", ".join(missing))
