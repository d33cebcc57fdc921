"""The captions entry point and its text writers (WebVTT, SRT, plain transcript)."""

from __future__ import annotations

import html
import re

import pytest

from archivist.domain import transcript_json
from archivist.domain.captions import (
    EXTENSIONS,
    FORMATS,
    CaptionSettings,
    CueRules,
    guards,
    render,
    srt,
    text,
    webvtt,
)
from archivist.domain.captions.cues import Cue
from archivist.domain.models import Segment, Transcript, Word
from tests.captions.scc_readers import pycaption_decode


def seg(start: float, said: str, per_word: float = 0.4) -> Segment:
    words = tuple(Word(start + per_word * i, start + per_word * (i + 0.8), " " + w, 0.9)
                  for i, w in enumerate(said.split()))
    return Segment(start, words[-1].end, " " + said, words)


MEETING = Transcript((
    seg(2.0, "Good evening, and welcome to the Springfield City Council."),
    seg(7.0, "Café owner José Núñez asked about the “parking” rules <again> & again."),
    seg(95.0, "Thank you. We are adjourned."),
), 120.0)


def test_formats_and_extensions():
    assert FORMATS == ("scc", "srt", "vtt", "txt", "json")
    assert dict(EXTENSIONS) == {"scc": ".scc", "srt": ".srt", "vtt": ".vtt", "txt": ".txt",
                                "json": ".json"}


def test_render_returns_each_requested_format():
    out = render(MEETING, FORMATS, CaptionSettings())
    assert set(out) == set(FORMATS)
    assert out["scc"].startswith("Scenarist_SCC V1.0\n\n")
    assert out["vtt"].startswith("WEBVTT\n")
    assert out["srt"].startswith("1\n")
    assert out["json"] == transcript_json.dumps(guards.clean(MEETING))
    assert render(MEETING, ["vtt"], CaptionSettings()).keys() == {"vtt"}


def test_unknown_format_is_named():
    with pytest.raises(ValueError, match="'docx'"):
        render(MEETING, ["vtt", "docx"], CaptionSettings())


def test_render_removes_hallucinations_first():
    loop = tuple(seg(10.0 + 2 * i, "Thank you.") for i in range(8))
    t = Transcript((seg(1.0, "Meeting called to order."), *loop), 60)
    out = render(t, ["vtt", "json", "txt"], CaptionSettings())
    assert out["vtt"].count("Thank you.") == 1
    assert "repeated 8 times" in out["json"] and "repeated 8 times" in out["txt"]


def test_silence_renders_valid_empty_files():
    out = render(Transcript((), 600), FORMATS, CaptionSettings())
    assert out["vtt"].strip() == "WEBVTT"
    assert out["srt"].strip() == ""
    assert "no speech found" in out["txt"] and "no speech found" in out["json"]
    assert out["scc"].startswith("Scenarist_SCC V1.0\n\n")


def test_webvtt_file():
    out = render(MEETING, ["vtt"], CaptionSettings(web=CueRules(max_chars=42)))["vtt"]
    blocks = out.split("\n\n")
    assert blocks[0] == "WEBVTT"
    stamp = r"\d\d:\d\d:\d\d\.\d\d\d"
    for block in filter(None, (b.strip("\n") for b in blocks[1:])):
        timing, *lines = block.split("\n")
        assert re.fullmatch(f"{stamp} --> {stamp}", timing)
        assert 1 <= len(lines) <= 2 and all(len(html.unescape(line)) <= 42 for line in lines)
    assert "“parking” rules &lt;again&gt; &amp; again." in out.replace("\n", " ")
    assert "José Núñez" in out   # UTF-8, not transliterated


def test_only_the_scc_file_spells_braces_and_backslashes_plainly():
    t = Transcript((seg(2.0, "the Council the 000{ ::::§ a\\b {x} é ñ ’ “ ” — ½"),), 30.0)
    out = render(t, ["scc", "vtt", "srt"], CaptionSettings())
    said = "the Council the 000{ ::::§ a\\b {x} é ñ ’ “ ” — ½"
    assert " ".join(out["vtt"].strip().split("\n\n", 1)[1].split("\n")[1:]) == said
    assert " ".join(out["srt"].strip().split("\n")[2:]) == said
    shown = " ".join(line for c in pycaption_decode(out["scc"]) for line in c.lines)
    assert shown == "the Council the 000( ::::Sec. a/b (x) é ñ ' “ ” — ½"


def test_srt_file_numbers_cues_from_one():
    out = render(MEETING, ["srt"], CaptionSettings())["srt"]
    blocks = [b for b in out.split("\n\n") if b.strip()]
    for number, block in enumerate(blocks, start=1):
        first, timing, *_ = block.split("\n")
        assert first == str(number)
        assert re.fullmatch(r"\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d", timing)
    assert "<again> & again." in out.replace("\n", " ")


def test_writers_format_times():
    cues = [Cue(3723.5, 3725.25, ("Hello", "there"))]
    assert webvtt.write(cues) == "WEBVTT\n\n01:02:03.500 --> 01:02:05.250\nHello\nthere\n"
    assert srt.write(cues) == "1\n01:02:03,500 --> 01:02:05,250\nHello\nthere\n"


def test_plain_transcript_is_stamped_and_wrapped():
    out = text.write(Transcript((seg(83.4, "word " * 40), seg(3725.0, "Adjourned.")), 4000))
    paragraphs = out.strip().split("\n\n")
    assert paragraphs[0].startswith("[00:01:23] word word")
    assert paragraphs[1] == "[01:02:05] Adjourned."
    assert all(len(line) <= text.WIDTH for line in out.splitlines())


def test_plain_transcript_opens_a_paragraph_after_a_pause():
    t = Transcript((seg(0, "One."), seg(1.7, "Two."), seg(30, "Three.")), 40)
    assert text.write(t).strip().split("\n\n") == ["[00:00:00] One. Two.", "[00:00:30] Three."]
