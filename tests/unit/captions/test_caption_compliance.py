"""The caption compliance report: its figures, its targets, and where it is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archivist.domain.captioning import Captioning
from archivist.domain.captions import CaptionSettings, CueRules, compliance
from archivist.domain.captions.cues import Cue
from archivist.domain.models import Segment, Transcript, Word
from archivist.domain.sidecars import report_path
from tests.fakes import FolderLibrary, ScriptedTranscriber, spoken


def said(*words: tuple[float, float, str, float]) -> Transcript:
    """A transcript of one segment with these (start, end, word, probability)."""
    timed = tuple(Word(s, e, " " + w, p) for s, e, w, p in words)
    seg = Segment(timed[0].start, timed[-1].end, " ".join(w for *_, w, _ in words), timed)
    return Transcript((seg,), duration=timed[-1].end + 5)


# Speech from 1 to 3 s and from 10 to 12 s (no first word longer than one is said).
SPEECH = said((1.0, 1.7, "Good", 0.9), (1.7, 3.0, "evening.", 0.9),
              (10.0, 10.7, "Roll", 0.9), (10.7, 12.0, "call.", 0.9))


def figures(cues: list[Cue], rules: CueRules = CueRules()) -> compliance.ProfileReport:
    settings = CaptionSettings(web=rules)
    return compliance.measure(SPEECH, {"web": cues}, settings).profiles[0]


def test_reading_rate_lines_and_durations_are_measured_per_caption():
    cues = [Cue(1.0, 3.0, ("Good evening.",)),                       # 13 chars / 2 s = 6.5 cps
            Cue(10.0, 12.0, ("Roll call, and then", "the minutes."))]  # 31 chars / 2 s = 15.5
    p = figures(cues)
    assert p.captions == 2
    assert p.reading_rate == (pytest.approx(11.0), pytest.approx(6.5 + 0.95 * 9.0),
                              pytest.approx(15.5))
    assert p.longest_line == 19 and dict(p.lines_per_caption) == {1: 1, 2: 1}
    assert (p.shortest, p.longest) == (2.0, 2.0)
    assert p.passed


def test_caption_time_over_silence_counts_beyond_a_short_tail_around_the_words():
    # Up 0.25 s after the last word is still speech; the next 1.75 s are silence.
    p = figures([Cue(1.0, 5.0, ("Good evening.",)), Cue(10.0, 12.0, ("Roll call.",))])
    assert p.silence == pytest.approx(1.75 / 6.0)
    target = next(t for t in p.targets if t.name == "caption time over silence")
    assert not target.passed and not p.passed


def test_speech_covered_is_the_share_of_word_time_on_screen():
    p = figures([Cue(1.0, 3.0, ("Good evening.",)), Cue(10.5, 12.0, ("Roll call.",))])
    assert p.covered == pytest.approx(3.5 / 4.0)
    assert not next(t for t in p.targets if t.name == "speech covered").passed


def test_rules_of_the_profile_are_the_limits():
    cues = [Cue(1.0, 2.0, ("Good evening, everyone here", "tonight.")),   # 35 chars in 1 s
            Cue(9.0, 9.5, ("Roll call.",)), Cue(9.4, 12.0, ("Roll call.",))]
    p = figures(cues, CueRules(max_chars=20, max_lines=1))
    failed = {t.name for t in p.targets if not t.passed}
    assert {"longest line", "lines per caption", "overlapping captions"} <= failed
    assert p.overlaps == 1
    assert [s.at for s in p.too_fast] == ["00:00:01–00:00:02"]


def test_low_confidence_runs_are_listed_with_their_times():
    t = said((1.0, 1.5, "Council", 0.9), (61.0, 61.5, "Member", 0.4), (61.5, 62.0, "Nguyen", 0.3),
             (62.0, 62.5, "moved", 0.95), (70.0, 70.5, "to", 0.45), (71.0, 71.5, "Maplewood", 0.1))
    spans = compliance.low_confidence(t)
    assert [(s.at, s.detail) for s in spans] == [
        ("00:01:01–00:01:02", "\"Member Nguyen\" (lowest 0.30)"),
        ("00:01:10–00:01:11", "\"to Maplewood\" (lowest 0.10)")]
    lone = said((1.0, 1.5, "Present", 0.45), (2.0, 2.5, "Lopez", 0.2), (3.0, 3.5, "yes", 0.9))
    assert [s.detail for s in compliance.low_confidence(lone)] == ["\"Present Lopez\" (lowest 0.20)"]


def test_punctuation_that_collapses_fails_the_transcript_target():
    steady = " ".join(["Yes, Council Member Lopez spoke."] * 60)
    collapsed = " ".join(["Yes, Council Member Lopez spoke."] * 10 + ["yes council member lopez spoke"] * 50)
    for text, ok in ((steady, True), (collapsed, False)):
        t = Transcript((Segment(0.0, 600.0, text),), 600.0)
        found = compliance.measure(t, {}, CaptionSettings())
        assert found.punctuation.steady is ok and found.passed is ok


def test_the_json_and_the_text_say_the_same(tmp_path: Path):
    found = compliance.measure(SPEECH, {"web": [Cue(1.0, 5.0, ("Good evening.",))]},
                               CaptionSettings())
    data = json.loads(compliance.dumps(found))
    assert data["passed"] is False and data["profiles"]["web"]["formats"] == ["vtt", "srt"]
    assert data["profiles"]["web"]["speech_covered"] == 0.5
    text = compliance.describe(found, "meeting.mp4")
    assert "FAIL  web: speech covered 50.0% (>= 96%)" in text
    assert "PASS  transcript: punctuation steady to the end" in text


def fast_speech() -> Transcript:
    # Forty-odd characters every second and a half: faster than 20 cps can follow.
    phrases = [(1.0 + 1.5 * k, f"Moved and seconded to approve item {k} tonight") for k in range(12)]
    return spoken(*phrases, word_seconds=0.18)


def test_captioning_writes_the_report_and_notes_fast_speech_with_its_span(tmp_path: Path):
    media = tmp_path / "1001-1-Council (20261103).mp4"
    media.write_bytes(b"video")
    captioning = Captioning(ScriptedTranscriber(fast_speech()), FolderLibrary(), CaptionSettings())
    done = captioning.caption(media, ["scc", "vtt", "json"], None, lambda *a: None, lambda: False)
    assert report_path(media) in done.outputs
    data = json.loads(report_path(media).read_text())
    assert set(data["profiles"]) == {"broadcast", "web"}
    fast = [n for n in done.notes if "too fast" in n]
    assert fast and all("characters a second at 00:00:" in n for n in fast)
    assert data["notes"] == list(done.notes)
    assert data["profiles"]["web"]["too_fast"][0]["at"].startswith("00:00:0")


def test_no_report_without_captions(tmp_path: Path):
    media = tmp_path / "m.mp4"
    media.write_bytes(b"video")
    captioning = Captioning(ScriptedTranscriber(SPEECH), FolderLibrary(), CaptionSettings())
    written = captioning.write(SPEECH, media, ["txt", "json"])
    assert not report_path(media).exists() and len(written) == 2
