"""Mounted storage: each member city's recordings, and sidecars written safely beside them.

The only code that touches the mounts. Every call runs in a thread of its own and gives up after
its bound (`io_timeout`, or `list_timeout` for a whole listing): a hung NFS mount answers
GatewayUnavailable instead of hanging the caller. While a call to a mount is still stuck, the
next calls to that mount fail at once, so a page listing fifty files waits once, not fifty times.
"""

from __future__ import annotations

import hashlib
import os
import stat as stat_mode
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from archivist.domain.deadline import Gate, Pending
from archivist.domain.errors import ConfigError, GatewayUnavailable, MediaError
from archivist.domain.health import ProbeResult, Status
from archivist.domain.metrics import Metrics, NoMetrics
from archivist.domain.models import City, MediaFile
from archivist.domain.sidecars import human_captions, sidecar_path

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
        model = entry.get("model") or ""
        if not isinstance(model, str):
            raise ConfigError(f"library.cities[{i}].model: expected a model name or folder, got {model!r}")
        cities.append(City(name, Path(str(entry["path"])).expanduser(),
                           tuple(e.lower().lstrip(".") for e in own), tuple(vocabulary), model.strip()))
    return cities


class MountedLibrary:
    """The MediaLibrary port over folders mounted on this machine (one per city)."""

    def __init__(self, cities: Any, retry: Callable[[Callable[[], Any]], Any],
                 extensions: Sequence[str] = DEFAULT_EXTENSIONS, list_timeout: float = 60.0,
                 io_timeout: float = 10.0) -> None:
        self._cities = cities_from(cities, extensions)
        self._retry = retry
        self._list_timeout = list_timeout
        self._io_timeout = io_timeout
        self._gates: dict[str, Gate] = {}   # one per mount: a call still hanging there stops the rest
        self._gates_lock = threading.Lock()

    def cities(self) -> Sequence[City]:
        return list(self._cities)

    def recordings(self, city: City) -> list[MediaFile]:
        """Every file with one of the city's extensions under its mount, newest first.

        Hidden files (ours in progress among them) and links leading out of the mount are
        left out. A mount that hangs gives up after `list_timeout` seconds.
        """
        def listing() -> list[MediaFile]:
            root = Path(os.path.realpath(city.path, strict=True))
            found = []
            for folder, dirs, files in os.walk(root, onerror=_raise):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                names = set(files)
                for name in files:
                    if name.startswith(".") or name.rsplit(".", 1)[-1].lower() not in city.extensions:
                        continue
                    path = Path(folder) / name
                    real = Path(os.path.realpath(path))
                    if not real.is_relative_to(root):
                        continue   # a symlink out of the city's mount is not the city's
                    try:
                        st = os.stat(real)
                    except OSError:
                        continue   # removed while we looked
                    if stat_mode.S_ISREG(st.st_mode):
                        captioned = sidecar_path(path, "scc").name in names
                        found.append(MediaFile(path, st.st_size, st.st_mtime, city.name, captioned,
                                               human_captions(path, names)))
            return sorted(found, key=lambda f: f.mtime, reverse=True)

        try:
            return self._bounded(city.path, listing, self._list_timeout, f"listing {city.path}")
        except FileNotFoundError:
            raise GatewayUnavailable("library", f"{city.name}: {city.path} is not mounted "
                                                "(no such folder)") from None
        except OSError as exc:
            raise GatewayUnavailable("library", f"{city.name}: {city.path}: "
                                                f"{exc.strerror or exc}") from None

    def city_of(self, path: Path) -> City | None:
        def find() -> City | None:
            real = Path(os.path.realpath(path))
            for city in self._cities:
                try:
                    if real.is_relative_to(os.path.realpath(city.path)):
                        return city
                except OSError:
                    continue
            return None
        return self._bounded(path, find, self._io_timeout, f"finding the mount of {path}")

    def exists(self, path: Path) -> bool:
        return self._io(path, lambda: os.path.exists(path))

    def read_text(self, path: Path) -> str:
        def read() -> str:
            with open(path, encoding="utf-8") as f:
                return f.read()
        try:
            return self._io(path, read)
        except FileNotFoundError:
            raise MediaError(path, "no such file") from None
        except (PermissionError, IsADirectoryError, NotADirectoryError) as exc:
            raise MediaError(path, f"cannot read ({exc.strerror})") from None
        except UnicodeDecodeError:
            raise MediaError(path, "not a UTF-8 text file") from None

    def real_path(self, path: Path) -> Path:
        return self._io(path, lambda: Path(os.path.realpath(path)))

    def stat(self, path: Path) -> MediaFile:
        """Size and mtime of a recording; only regular files are recordings."""
        def look() -> tuple[os.stat_result, bool]:
            return os.stat(path), os.path.exists(sidecar_path(Path(path), "scc"))
        try:
            st, captioned = self._io(path, look)
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
        return MediaFile(Path(path), st.st_size, st.st_mtime, city.name if city else "", captioned)

    def fingerprint(self, path: Path) -> str:
        """SHA-256 of the file's bytes: the same recording has the same hash on any mount."""
        progress = [time.monotonic()]

        def read() -> str:
            digest = hashlib.sha256()
            with open(path, "rb") as f:
                while chunk := f.read(_CHUNK):
                    digest.update(chunk)
                    progress[0] = time.monotonic()
            return digest.hexdigest()
        try:
            # A long recording takes as long as it takes; a read that stops moving does not.
            return self._io(path, read, progress)
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
            os.makedirs(path.parent, exist_ok=True)
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
        def unlink() -> None:
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
        self._io(path, unlink)

    def _io(self, path: Path, fn: Callable[[], T], progress: list[float] | None = None) -> T:
        # Network mounts drop out briefly (stale NFS handles, SMB reconnects): those retry.
        # A file that is not there, or not ours to read, is the caller's error, not the mount's.
        try:
            result: T = self._bounded(path, lambda: self._retry(fn), self._io_timeout, str(path),
                                      progress)
        except (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError):
            raise
        except OSError as exc:
            raise GatewayUnavailable("library", f"{path}: {exc.strerror or exc}") from exc
        return result

    def _bounded(self, path: Path, fn: Callable[[], T], seconds: float, what: str,
                 progress: list[float] | None = None) -> T:
        """`fn()` with a deadline (domain/deadline.py): give up after `seconds` (without
        progress, if it reports any), and fail at once while an earlier call to the same
        mount is still stuck."""
        pending = Pending(fn, name="library-call", gate=self._gate(path))
        done = pending.wait(time.monotonic() + seconds)
        while not done and progress is not None and time.monotonic() - progress[0] < seconds:
            done = pending.wait(time.monotonic() + min(1.0, seconds))
        if not done:
            pending.late()
            raise GatewayUnavailable("library", f"{what}: no answer within {seconds:g}s")
        return pending.result()

    def _gate(self, path: Path) -> Gate:
        mount = self._mount_named(path)
        with self._gates_lock:
            return self._gates.setdefault(mount, Gate("library", 1, label=mount))

    def _mount_named(self, path: Path) -> str:
        """The mount a path is under, read from its name alone (asking the mount could hang)."""
        for city in self._cities:
            if Path(path).is_relative_to(city.path):
                return str(city.path)
        return str(Path(path).parent)


def _raise(exc: OSError) -> None:
    raise exc


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
