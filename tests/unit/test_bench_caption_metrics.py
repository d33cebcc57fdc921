"""The caption bench counts what a viewer reads: WebVTT's escapes as the characters they show."""

from __future__ import annotations

from bench import caption_metrics as cm


def test_webvtt_entities_count_as_the_characters_they_show():
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nR&amp;D &lt;grants&gt; for Smith &amp; Sons\n"
           "second line\n")
    cue = cm.read_cues(vtt)[0]
    assert cue.lines == ("R&D <grants> for Smith & Sons", "second line")
    truth = cm.Truth("R and D grants", [(1.0, 3.0)], [("r", 1.0)])
    shown = cm.figures([cue], truth)
    assert shown["max_line"] == len("R&D <grants> for Smith & Sons")
    assert shown["cps_p95"] == len("R&D <grants> for Smith & Sons" "second line") / 2.0


def test_srt_text_is_taken_as_written():
    srt = "1\n00:00:01,000 --> 00:00:03,000\nR&amp;D\n"
    assert cm.read_cues(srt)[0].lines == ("R&amp;D",)
