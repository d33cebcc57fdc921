"""Where the files Archivist writes beside a recording go: one rule, used by every writer and reader."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

# What can be written beside a recording: the caption formats, the plain text, the transcript.
FORMATS: tuple[str, ...] = ("scc", "srt", "vtt", "txt", "json")
REPORT = ".report.json"
# Caption files a person made (a CART writer), kept beside the recording as a reference for
# the machine's accuracy: `<stem>.human.scc`, `.human.vtt` or `.human.srt`, the first found.
HUMAN = ".human"
HUMAN_FORMATS: tuple[str, ...] = ("scc", "vtt", "srt")


def sidecar_path(media: Path, fmt: str, out_dir: Path | None = None) -> Path:
    """Where a format's file goes: beside the recording, same base name (Cablecast's rule)."""
    return (out_dir or media.parent) / f"{media.stem}.{fmt}"


def report_path(media: Path, out_dir: Path | None = None) -> Path:
    """Where the caption compliance report goes: beside the captions."""
    return (out_dir or media.parent) / (media.stem + REPORT)


def human_captions(media: Path, names: Collection[str]) -> str:
    """The name of a person's caption file for `media` among `names` (a folder's file
    names), or ""."""
    return next((name for fmt in HUMAN_FORMATS
                 if (name := f"{media.stem}{HUMAN}.{fmt}") in names), "")
