"""29.97 fps drop-frame timecode: seconds <-> frame numbers <-> `HH:MM:SS;FF` labels.

Frames are counted exactly (30000/1001 per second), so a label never drifts from the wall
clock by more than the rounding of one frame, however long the recording.
"""

from __future__ import annotations

from fractions import Fraction

FPS = Fraction(30000, 1001)
_FRAMES_PER_10_MIN = 17982    # 10 * 60 * 30 - 9 * 2 dropped labels
_FRAMES_PER_MIN = 1798        # a minute whose labels 00 and 01 are dropped


def frame_at(seconds: float) -> int:
    """Return the number of the frame nearest `seconds`."""
    return round(Fraction(seconds) * FPS)


def seconds_at(frame: int) -> float:
    """Return when frame number `frame` starts, in seconds."""
    return float(frame / FPS)


def label(frame: int) -> str:
    """Return the drop-frame label (`HH:MM:SS;FF`) of frame number `frame`."""
    if frame < 0:
        raise ValueError(f"negative frame number {frame}")
    tens, rest = divmod(frame, _FRAMES_PER_10_MIN)
    # Labels 00 and 01 are skipped at every minute but each tenth: add back what was skipped.
    skipped = 18 * tens + (2 * ((rest - 2) // _FRAMES_PER_MIN) if rest >= 2 else 0)
    n = frame + skipped
    hh, n = divmod(n, 108000)
    mm, n = divmod(n, 1800)
    ss, ff = divmod(n, 30)
    return f"{hh:02d}:{mm:02d}:{ss:02d};{ff:02d}"


def parse(text: str) -> int:
    """Return the frame number a drop-frame label such as `01:00:00;00` names."""
    parts = text.strip().replace(";", ":").replace(".", ":").split(":")
    if len(parts) != 4 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a timecode (HH:MM:SS;FF): {text!r}")
    hh, mm, ss, ff = (int(p) for p in parts)
    if mm > 59 or ss > 59 or ff > 29:
        raise ValueError(f"timecode out of range: {text!r}")
    if ss == 0 and ff < 2 and mm % 10 != 0:
        raise ValueError(f"drop-frame timecode {text!r} does not exist "
                         "(labels 00 and 01 are skipped)")
    minutes = 60 * hh + mm
    return (3600 * hh + 60 * mm + ss) * 30 + ff - 2 * (minutes - minutes // 10)


def clock(seconds: float, decimal: str = ".") -> str:
    """Return `HH:MM:SS.mmm` (the WebVTT form; SRT passes decimal=",")."""
    ms = max(0, round(seconds * 1000))
    hh, ms = divmod(ms, 3_600_000)
    mm, ms = divmod(ms, 60_000)
    ss, ms = divmod(ms, 1000)
    return f"{hh:02d}:{mm:02d}:{ss:02d}{decimal}{ms:03d}"
