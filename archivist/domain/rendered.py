"""What rendering remembers, kept outside the process.

A render's costly parts are each a pure function of a small piece of the transcript, which
each process remembers (a correction leaves most of a long meeting as it was). Those marked
`@remembering(name)` (a run of speech's cues: the cue search, most of a render; a line's JSON;
a paragraph's wrapping; an SCC line's frames) are also kept outside the process: a render
made inside `keeping(earlier)` takes them from `earlier`, what an earlier render (in any
process) kept, and leaves in the returned `Kept` every piece it used. The next render of the
same recording, in a process that has never seen it, computes only the pieces a correction
changed. (A line's caption tokens and a caption's SCC codes are not kept: reading them back
costs about what computing them does.)

What is kept is named by the renderer's source (a change in its code keeps nothing from
before it), and each piece by the function and all it was given: its words and times, the
rules and settings it was rendered under (a change in the caption settings finds nothing to
reuse). It is read back as plain values and caption cues only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import marshal
import pickle
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any, Generic, ParamSpec, Protocol, TypeVar

FORMAT = 3   # of a kept body; another number is a body from another release: nothing kept
# What a kept body may hold besides plain values (anything else: the body is refused).
_CLASSES = frozenset({("archivist.domain.captions.cues", "Cue")})

P = ParamSpec("P")
R = TypeVar("R")


class Kept:
    """Pieces of renders, by key; made from and turned into bytes to store."""

    def __init__(self, pieces: dict[bytes, Any] | None = None) -> None:
        self.pieces: dict[bytes, Any] = pieces if pieces is not None else {}
        # (function, ids of its arguments) -> (the arguments, their key), in one block
        self.keys: dict[tuple[Any, ...], tuple[tuple[Any, ...], bytes]] = {}
        self.unfinished = 0   # renders inside this one's block that ended with an error

    def __len__(self) -> int:
        return len(self.pieces)

    def dumps(self) -> bytes:
        """The pieces, compressed, named by this code's version."""
        body = (FORMAT, code_version(), self.pieces)
        return zlib.compress(pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL), 1)

    @classmethod
    def loads(cls, data: bytes | None) -> Kept:
        """What `dumps` made; nothing when `data` is empty, unreadable, or from other code.

        Only plain values and the caption classes are read back (never arbitrary objects).
        """
        if not data:
            return cls()
        try:
            form, code, pieces = _Reader(io.BytesIO(zlib.decompress(data))).load()
        except (zlib.error, pickle.UnpicklingError, ValueError, TypeError, EOFError,
                AttributeError, ImportError, IndexError):
            return cls()   # a damaged body costs a full render, never a wrong caption
        if form != FORMAT or code != code_version() or not isinstance(pieces, dict):
            return cls()
        return cls(pieces)


class _Reader(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _CLASSES:
            raise pickle.UnpicklingError(f"{module}.{name} is not kept")
        return super().find_class(module, name)


_KEEPING: ContextVar[tuple[Kept, Kept] | None] = ContextVar("captions_keeping", default=None)


@contextmanager
def keeping(earlier: Kept | None = None) -> Iterator[Kept]:
    """Renders in this block reuse `earlier`'s pieces; the Kept yielded fills with every
    piece they used (what to store for the next render)."""
    used = Kept()
    token = _KEEPING.set((earlier or Kept(), used))
    try:
        yield used
    finally:
        _KEEPING.reset(token)


def remembering(name: str) -> Callable[[Callable[P, R]], Remembered[P, R]]:
    """Decorate a function remembered in the process (an lru_cache) to be kept outside it
    too, under `name` (which, with its arguments, names each answer)."""
    def wrap(function: Callable[P, R]) -> Remembered[P, R]:
        return Remembered(name, function)
    return wrap


class Store(Protocol):
    """Where a recording's kept pieces live between processes (one body a recording: the
    pieces its last render used)."""

    def kept(self, recording_id: int) -> bytes | None:
        """The body last kept for the recording (None: nothing, or not readable now)."""
        ...

    def keep(self, recording_id: int, body: bytes) -> None:
        """Replace the recording's body; never raises (a body not kept costs time only)."""
        ...


@contextmanager
def kept_for(store: Store | None, recording_id: int) -> Iterator[Kept]:
    """Renders in this block reuse what the recording's last render kept in `store`, and
    what they use is kept there for the next (only when the block ends without an error).

    Inside another such block this one is part of that block (it reads and keeps once), and
    that block keeps nothing if this one ended with an error (a render left half done keeps
    the last whole one's pieces).
    """
    active = _KEEPING.get()
    if active is not None:
        used = active[1]
        used.unfinished += 1
        yield used
        used.unfinished -= 1
        return
    earlier = Kept.loads(store.kept(recording_id)) if store is not None else None
    with keeping(earlier) as used:
        yield used
    if store is not None and len(used) and not used.unfinished:
        store.keep(recording_id, used.dumps())


class Remembered(Generic[P, R]):
    """A function remembered in the process (`remembered`, an lru_cache) and, inside a
    `keeping` block, outside it."""

    def __init__(self, name: str, remembered: Callable[P, R]) -> None:
        self._name = name
        self._remembered = remembered

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        active = _KEEPING.get()
        if active is None:
            return self._remembered(*args, **kwargs)
        earlier, used = active
        if kwargs:
            key = _key(self._name, args, kwargs)
        else:   # the same objects again in this block (a line's JSON, stored then rendered)
            known = used.keys.get((self._name, *map(id, args)))
            key = known[1] if known is not None else _key(self._name, args, kwargs)
            if known is None:   # kept with the objects: their ids stay theirs in this block
                used.keys[(self._name, *map(id, args))] = (args, key)
        found = earlier.pieces.get(key, _MISSING)
        if found is _MISSING:
            found = self._remembered(*args, **kwargs)
        used.pieces[key] = found
        return found   # type: ignore[no-any-return]

    def cache_clear(self) -> None:
        getattr(self._remembered, "cache_clear", lambda: None)()


_MISSING = object()


def _key(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes:
    given = (name, _plain(args), _plain(tuple(sorted(kwargs.items()))))
    # marshal's version 2: every value written whole and exactly (no references to earlier
    # objects, floats bit for bit), so equal arguments make equal keys in any process.
    return hashlib.blake2b(marshal.dumps(given, 2), digest_size=16).digest()


_PLAIN = frozenset({str, int, float, bool, bytes, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """`value` as nested tuples of plain values: a dataclass as its class's name and its
    fields, a function by its name and bound arguments (`_named`)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple or kind is list:
        return tuple([_plain(v) for v in value])
    names = _FIELDS.get(kind)
    if names is None:
        if not dataclasses.is_dataclass(value) or callable(value):
            return _named(value) if callable(value) else repr(value)
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
    return (kind.__qualname__, *[_plain(getattr(value, name)) for name in names])


def _named(function: Callable[..., Any]) -> str:
    """A function by what it computes (its name and bound arguments), not its address."""
    func: Any = getattr(function, "func", function)
    keywords = sorted(getattr(function, "keywords", {}).items())
    bound = tuple(_named(a) if callable(a) else a for a in getattr(function, "args", ()))
    return f"{func.__module__}.{func.__qualname__}{keywords!r}{bound!r}"


@cache
def code_version() -> str:
    """A digest of the renderer's source: the caption package, the models it reads, the
    transcript's JSON and this module."""
    digest = hashlib.blake2b(digest_size=16)
    here = Path(__file__).resolve().parent
    for path in (*sorted((here / "captions").glob("*.py")), here / "models.py",
                 here / "transcript_json.py", here / "rendered.py"):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


__all__ = ["Kept", "Remembered", "Store", "code_version", "keeping", "kept_for", "remembering"]
