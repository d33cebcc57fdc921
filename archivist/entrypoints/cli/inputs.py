"""What `transcribe` checks before it starts: the inputs, the output folder, the model.

Everything here runs before the first file is transcribed, so a problem the command could
have seen at once is not found after an hour of work.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path


def expand(paths: Iterable[Path], extensions: Sequence[str]) -> list[Path]:
    """The inputs, with each folder replaced by the media files inside it (recursively).

    Media files are those with one of the configured extensions (library.extensions), in
    name order. Anything else given by name is kept: it gets its own error if it is not media.
    """
    wanted = {"." + e.lower().lstrip(".") for e in extensions}
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*")
                                if p.suffix.lower() in wanted and p.is_file()
                                and not p.name.startswith(".")))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def writable_folder(folder: Path) -> str | None:
    """Why `folder` cannot take caption files (made if missing), or None if it can."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        return f"--out {folder}: is a file, not a folder"
    except NotADirectoryError:
        return f"--out {folder}: a part of the path is a file, not a folder"
    except OSError as exc:
        return f"--out {folder}: cannot make the folder: {exc.strerror or exc}"
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".archivist-check-"):
            pass
    except OSError as exc:
        return f"--out {folder}: cannot write there: {exc.strerror or exc}"
    return None


def clashes(inputs: Sequence[Path], out_dir: Path | None) -> dict[Path, Path]:
    """Inputs whose caption files would overwrite an earlier input's: {later: earlier}.

    Caption files take the recording's base name, so `council.mp4` and `council.ts` into one
    folder (or beside each other) would write the same `council.srt`.
    """
    first: dict[tuple[str, str], Path] = {}
    later: dict[Path, Path] = {}
    for path in inputs:
        key = (os.path.normcase(str((out_dir or path.parent).absolute())), path.stem)
        if key in first:
            later[path] = first[key]
        else:
            first[key] = path
    return later
