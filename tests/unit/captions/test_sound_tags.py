"""Music where no one speaks gets a tag caption ("♪" in SCC, "[MUSIC]" on the web); the tag
never covers speech, and a recess (no sound recorded) gets none."""

from __future__ import annotations

from archivist.domain import transcript_json
from archivist.domain.captions import CaptionSettings, broadcast_cues, render, web_cues
from archivist.domain.captions.compliance import measure
from archivist.domain.models import Segment, Sound, Transcript, Word


def said(start: float, text: str) -> Segment:
    words = tuple(Word(start + i * 0.4, start + i * 0.4 + 0.3, " " + w) for i, w in enumerate(text.split()))
    return Segment(start, words[-1].end, text, words)


# An organ prelude for 9 s, the chair speaks, a recess (silence: no sound found), then more.
MEETING = Transcript(
    segments=(said(9.0, "Good evening. The meeting will come to order."),
              said(30.0, "We are back in session.")),
    duration=40.0, sounds=(Sound(0.5, 9.2),))


def test_music_before_the_chair_speaks_is_tagged_in_both_profiles():
    settings = CaptionSettings()
    web = [c for c in web_cues(MEETING, settings) if c.sound]
    scc = [c for c in broadcast_cues(MEETING, settings) if c.sound]
    assert [c.text for c in web] == ["[MUSIC]", "[MUSIC]"]   # 8.3 s: two pieces under 7 s
    assert [c.text for c in scc] == ["♪", "♪"]
    assert web[0].start == 0.5 and web[-1].end <= 9.0 - 0.2   # clear of the first word
    vtt = render(MEETING, ["vtt", "scc"], settings)
    assert "[MUSIC]" in vtt["vtt"]
    assert "9137 9137" in vtt["scc"]   # ♪: CEA-608 special character 0x37


def test_a_tag_never_covers_speech():
    settings = CaptionSettings()
    overlapping = Transcript(MEETING.segments, 40.0, sounds=(Sound(5.0, 35.0),))
    words = overlapping.words
    for cues in (web_cues(overlapping, settings), broadcast_cues(overlapping, settings)):
        for tag in (c for c in cues if c.sound):
            assert all(w.end <= tag.start or w.start >= tag.end for w in words)
            spoken = [c for c in cues if not c.sound]
            assert all(c.end <= tag.start or c.start >= tag.end for c in spoken)


def test_no_sound_no_tag_and_the_tag_can_be_turned_off():
    quiet = Transcript(MEETING.segments, 40.0)
    assert not any(c.sound for c in web_cues(quiet, CaptionSettings()))
    off = CaptionSettings.from_config({"sound_tags": {"music_scc": "", "music_web": ""}})
    assert not any(c.sound for c in web_cues(MEETING, off) + broadcast_cues(MEETING, off))


def test_a_short_gap_between_captions_gets_no_tag():
    brief = Transcript(MEETING.segments, 40.0, sounds=(Sound(12.0, 12.9),))
    assert not any(c.sound for c in web_cues(brief, CaptionSettings()))


def test_tags_survive_the_json_transcript_and_are_not_counted_as_captions_over_silence():
    again = transcript_json.loads(transcript_json.dumps(MEETING))
    assert again.sounds == MEETING.sounds
    settings = CaptionSettings()
    report = measure(MEETING, {"web": web_cues(MEETING, settings)}, settings)
    assert report.profiles[0].silence < 0.03
    assert any("music without speech at 00:00:00" in n for n in report.notes)
