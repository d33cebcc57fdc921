"""The caption-quality bench reads a caption's reading rate as the viewer meets it: a caption
held exactly its reading time at 20 cps reads at 20 cps, not a hair over by float subtraction
(WebVTT's escapes: tests/unit/test_bench_caption_metrics.py)."""

from __future__ import annotations

from bench import caption_metrics as cm

VTT = """WEBVTT

00:01:32.570 --> 00:01:35.470
This item concerns the roof
of Lincoln Elementary. The work

00:01:35.470 --> 00:01:38.320
on Main Street was closed one
line between Pine Ridge Road
"""


def test_a_caption_held_its_reading_time_reads_at_the_cap_not_over() -> None:
    held = cm.read_cues(VTT)[:2]
    # 58 characters over 2.9 s, 57 over 2.85 s: 20 cps each, as the timing made them.
    truth = cm.Truth("", [(92.6, 98.3)], [])
    assert cm.figures(held, truth)["cps_p95"] == 20.0
