"""Independent SCC decoders for the caption tests (pycaption and ffmpeg), imported by them.

Each decoder returns what a viewer would see: the text of each caption (lines stripped of
the indentation that centres them) and the frame it appears on.

- pycaption models per-frame transmission, so a caption appears on its End Of Caption (EOC)
  frame. It reads drop-frame labels as clock time (label/30), so its times are mapped back
  to frame numbers through the labels of the events they fall in.
- ffmpeg gives every byte of an event the event's timecode: a caption appears at the start
  of the event that loads it, which is earlier than its EOC by the loading time.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest

from archivist.domain.captions import charset, timecode

FRAME = 1001 / 30000

# Where the decoders' own character tables differ from CEA-608 (checked by hand against the
# standard): what the intended character looks like after each decoder.
PYCAPTION_READS = {"|": "¦", "¦": "|", "█": ""}
FFMPEG_READS = {"'": "’", "‘": "´", "’": "‘", "—": "-", "•": "·"}


@dataclass(frozen=True)
class Seen:
    """A caption as a decoder shows it: from frame `on` to frame `off`."""

    on: int
    off: int | None
    lines: tuple[str, ...]


def _event_labels(scc: str) -> list[tuple[float, int]]:
    # (label read as clock seconds, frame number) of every event, in file order.
    out = []
    for line in scc.splitlines():
        m = re.match(r"^(\d\d):(\d\d):(\d\d);(\d\d)\t", line)
        if m:
            hh, mm, ss, ff = (int(g) for g in m.groups())
            out.append((hh * 3600 + mm * 60 + ss + ff / 30, timecode.parse(m.group(0).strip())))
    return out


def _frame_of(label_seconds: float, events: list[tuple[float, int]]) -> int:
    # pycaption time = event label (as clock) + frames into the event / 30.
    start, frame = max((e for e in events if e[0] <= label_seconds + 1e-6), key=lambda e: e[0])
    return frame + round((label_seconds - start) * 30)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip("\xa0 ") for line in text.split("\n") if line.strip("\xa0 "))


def pycaption_decode(scc: str) -> list[Seen]:
    """Return the captions pycaption reads from `scc` (it raises on an invalid file)."""
    from pycaption import SCCReader
    from pycaption.exceptions import CaptionReadNoCaptions

    events = _event_labels(scc)
    try:
        captions = SCCReader().read(scc).get_captions("en-US")
    except CaptionReadNoCaptions:
        return []
    return [Seen(_frame_of(c.start / 1e6, events),
                 _frame_of(c.end / 1e6, events) if c.end else None,
                 _lines(c.get_text())) for c in captions]


def _vtt_seconds(stamp: str) -> float:
    parts = stamp.split(":")
    return sum(float(p) * 60 ** i for i, p in enumerate(reversed(parts)))


def ffmpeg_decode(scc: str, tmp_path) -> list[tuple[float, float, tuple[str, ...]]]:
    """Return (start, end, lines) of each cue ffmpeg reads; fail on any warning or error."""
    path = tmp_path / "captions.scc"
    path.write_text(scc, encoding="ascii")
    run = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "warning",
                          "-f", "scc", "-i", str(path), "-f", "webvtt", "-"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    # A file with no captions (silence) decodes to nothing, which ffmpeg mentions.
    warnings = [line for line in run.stderr.splitlines()
                if line.strip() and not line.startswith("Output file is empty")]
    assert warnings == [], f"ffmpeg warned: {run.stderr}"
    cues = []
    for block in run.stdout.split("\n\n"):
        rows = block.strip("\n").split("\n")
        if len(rows) >= 2 and "-->" in rows[0]:
            start, end = (s.strip().split(" ")[0] for s in rows[0].split("-->"))
            lines = tuple(r.replace("\\h", " ").strip() for r in rows[1:])
            cues.append((_vtt_seconds(start), _vtt_seconds(end), tuple(x for x in lines if x)))
    return cues


def as_read_by(lines: tuple[str, ...], table: dict[str, str]) -> tuple[str, ...]:
    """Return `lines` as a decoder with character table deviations `table` shows them."""
    out = ["".join(table.get(ch, ch) for ch in line).replace("\u00a0", " ").strip()
           for line in lines]
    return tuple(line for line in out if line)


def ffmpeg_shape(lines: tuple[str, ...]) -> tuple[str, ...]:
    """Return `lines` as ffmpeg shows them: besides its character table, it skips a special
    character sent twice in a row even with a null pair between (it ignores every repeat of
    a code)."""
    specials = set(charset.SPECIAL) - {"\u00a0"}
    out = []
    for line in as_read_by(lines, FFMPEG_READS):
        kept: list[str] = []
        for ch in line:
            if not (kept and ch == kept[-1] and ch in specials):
                kept.append(ch)
        out.append("".join(kept))
    return tuple(out)


needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
