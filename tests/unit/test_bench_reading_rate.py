"""The caption-quality bench reads a caption's reading rate as the viewer meets it: a caption
held exactly its reading time at 20 cps reads at 20 cps, not a hair over by float subtraction,
and WebVTT's escaped characters count as the one character shown."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _metrics():
    sys.path.insert(0, str(BENCH))   # the bench's modules import each other by name
    try:
        spec = importlib.util.spec_from_file_location("caption_metrics",
                                                      BENCH / "caption_metrics.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules.setdefault("caption_metrics", module)   # its dataclasses look it up
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


VTT = """WEBVTT

00:01:32.570 --> 00:01:35.470
This item concerns the roof
of Lincoln Elementary. The work

00:01:35.470 --> 00:01:38.320
on Main Street was closed one
line between Pine Ridge Road

00:01:40.000 --> 00:01:41.450
R&amp;D funds &lt;$5,000
"""


def test_a_caption_held_its_reading_time_reads_at_the_cap_not_over() -> None:
    cm = _metrics()
    held = cm.read_cues(VTT)[:2]
    # 58 characters over 2.9 s, 57 over 2.85 s: 20 cps each, as the timing made them.
    truth = cm.Truth("", [(92.6, 98.3)], [])
    assert cm.figures(held, truth)["cps_p95"] == 20.0


def test_webvtt_escapes_count_as_the_character_shown() -> None:
    cm = _metrics()
    shown = cm.read_cues(VTT)[2]
    assert shown.lines == ("R&D funds <$5,000",)
    assert cm.figures([shown], cm.Truth("", [(40.0, 41.4)], []))["cps_p95"] == 17 / 1.45
