"""Where the files Archivist writes beside a recording go: one rule, used by every writer and reader."""

from __future__ import annotations

from pathlib import Path

# What can be written beside a recording: the caption formats, the plain text, the transcript.
FORMATS: tuple[str, ...] = ("scc", "srt", "vtt", "txt", "json")
REPORT = ".report.json"


def sidecar_path(media: Path, fmt: str, out_dir: Path | None = None) -> Path:
    """Where a format's file goes: beside the recording, same base name (Cablecast's rule)."""
    return (out_dir or media.parent) / f"{media.stem}.{fmt}"


def report_path(media: Path, out_dir: Path | None = None) -> Path:
    """Where the caption compliance report goes: beside the captions."""
    return (out_dir or media.parent) / (media.stem + REPORT)
