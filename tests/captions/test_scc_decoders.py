"""SCC files read back by independent decoders (pycaption, ffmpeg) show the intended cues."""

from __future__ import annotations

import shutil

import pytest

from archivist.domain.captions import (
    CaptionSettings,
    broadcast_cues,
    charset,
    guards,
    render,
    scc,
    timing,
)
from archivist.domain.captions.cues import Cue
from archivist.domain.captions.timecode import frame_at, parse
from archivist.domain.models import Segment, Transcript, Word
from tests.captions.scc_readers import (
    PYCAPTION_READS,
    as_read_by,
    ffmpeg_decode,
    ffmpeg_shape,
    needs_ffmpeg,
    pycaption_decode,
)

FRAME = 1001 / 30000

MEETING = (
    "Good evening and welcome to the regular meeting of the Springfield City Council. "
    "Council Member Lopez moved to approve the contract for $4,200,000 for the repaving of "
    "Maple Avenue between Fifth Street and the river, and the motion was seconded by "
    "Council Member Nguyễn. Is there any discussion on item 7? Seeing none, all those in "
    "favor please say aye. The motion carries, and we will now open the public hearing.")


def speech(text: str, start: float = 3.0, per_word: float = 0.4, pause_every: int = 0,
           pause: float = 3.0) -> Transcript:
    """Return a transcript of `text` said one word every `per_word` seconds."""
    words, t = [], start
    for i, w in enumerate(text.split()):
        if pause_every and i and i % pause_every == 0:
            t += pause
        words.append(Word(t, t + per_word * 0.8, " " + w, 0.95))
        t += per_word
    seg = Segment(words[0].start, words[-1].end, text, tuple(words), avg_logprob=-0.2)
    return Transcript((seg,), words[-1].end + 10)


def intended(transcript: Transcript, settings: CaptionSettings) -> list[Cue]:
    return broadcast_cues(guards.clean(transcript), settings)


def test_pycaption_reads_the_meeting_as_intended_to_the_frame():
    settings = CaptionSettings()
    t = speech(MEETING, pause_every=17)
    cues = intended(t, settings)
    seen = pycaption_decode(render(t, ["scc"], settings)["scc"])

    assert [s.lines for s in seen] == [as_read_by(c.lines, PYCAPTION_READS) for c in cues]
    for cue, s in zip(cues, seen):
        assert abs(s.on - frame_at(cue.start)) <= 1, cue
        assert s.off is not None and abs(s.off - frame_at(cue.end)) <= 1, cue


@needs_ffmpeg
def test_ffmpeg_reads_the_meeting_as_intended_without_warnings(tmp_path):
    settings = CaptionSettings()
    t = speech(MEETING, pause_every=17)
    cues = intended(t, settings)
    text = render(t, ["scc"], settings)["scc"]
    seen = ffmpeg_decode(text, tmp_path)

    assert [lines for _, _, lines in seen] == [ffmpeg_shape(c.lines) for c in cues]
    # ffmpeg shows a caption from the start of the event that loads it: before the cue's
    # start by the loading time (under 2 s), never after it.
    for cue, (start, _, _) in zip(cues, seen):
        assert cue.start - 2.0 <= start <= cue.start + FRAME


def test_every_cea608_character_survives_both_decoders(tmp_path):
    groups = ["".join(charset.SPECIAL).replace("\u00a0", ""), charset._EXT_12[:16],
              charset._EXT_12[16:], charset._EXT_13[:16], charset._EXT_13[16:], "áéíóúç÷Ññ█",
              "Tom's café “À la carte”", "— ½ price, 90° ♪", "naïve Zoë São Paulo Ærø Łódź",
              "*\\^_`{|}~ ‘quote’", "… 5–6 €3 ©™®"]
    cues = [Cue(2.0 + 4 * i, 5.0 + 4 * i, (charset.transliterate(g),))
            for i, g in enumerate(groups)]
    text = scc.write(cues)

    seen = pycaption_decode(text)
    assert [s.lines for s in seen] == [as_read_by(c.lines, PYCAPTION_READS) for c in cues]
    assert [s.on for s in seen] == [frame_at(c.start) for c in cues]
    if shutil.which("ffmpeg"):
        assert [lines for _, _, lines in ffmpeg_decode(text, tmp_path)] == [
            ffmpeg_shape(c.lines) for c in cues]


def test_transliterated_text_reads_back_as_the_intended_plain_characters():
    cue = Cue(1.0, 4.0, (charset.transliterate("*\\^_`{|}~ ‘quote’ … 5–6"),))
    seen = pycaption_decode(scc.write([cue]))
    # Literal *, ^, _, |, ~ go as extended characters, never as the basic-set bytes that
    # decoders show as á, í, ó, ÷, ñ; braces and the backslash as ( ) / (ASS markup to ffmpeg).
    assert seen[0].lines == as_read_by(("*/^_'(|)~ ‘quote' ... 5-6",), PYCAPTION_READS)


# What a viewer reads for each character that is not shown as itself.
SHOWN_AS = {"{": "(", "}": ")", "\\": "/", "`": "'", "’": "'"}
PRINTABLE = [chr(c) for c in range(0x20, 0x7F)] + list("éñ’“”—½♪")


def _placed(ch: str) -> list[tuple[str, str]]:
    # Inside a row, at the end of the first row and the start of the second, and doubled.
    return [(f"a{ch}b", "cd"), (f"ab{ch}", f"{ch}cd"), (f"{ch}{ch}", "x")]


def _two_rows(rows: tuple[str, str]) -> tuple[str, ...]:
    return tuple(r for r in (charset.transliterate(x).strip() for x in rows) if r)


def test_every_printable_character_reads_back_where_it_was_put(tmp_path):
    for ch in PRINTABLE:
        assert charset.transliterate(ch) == SHOWN_AS.get(ch, ch)
    rows = [_two_rows(r) for ch in PRINTABLE for r in _placed(ch)]
    cues = [Cue(1.0 + 3 * i, 3.0 + 3 * i, lines) for i, lines in enumerate(rows)]
    text = scc.write(cues)

    assert [s.lines for s in pycaption_decode(text)] == [
        as_read_by(c.lines, PYCAPTION_READS) for c in cues]
    if shutil.which("ffmpeg"):
        assert [lines for _, _, lines in ffmpeg_decode(text, tmp_path)] == [
            ffmpeg_shape(c.lines) for c in cues]


@needs_ffmpeg
def test_a_brace_ending_a_row_keeps_the_rows_apart(tmp_path):
    # Found by test_ffmpeg_decodes_every_scc_without_warnings: a { sent as CEA-608's own
    # brace, then ffmpeg's row break, read as an ASS block that swallowed the break.
    lines = _two_rows(("the Council the 000{", "::::§ the"))
    seen = ffmpeg_decode(scc.write([Cue(1.0, 4.0, lines)]), tmp_path)
    assert [rows for _, _, rows in seen] == [("the Council the 000(", "::::Sec. the")]
    assert [s.lines for s in pycaption_decode(scc.write([Cue(1.0, 4.0, lines)]))] == [
        ("the Council the 000(", "::::Sec. the")]


@pytest.mark.parametrize("start", ["00:00:00;00", "01:00:00;00"])
def test_start_timecode_offsets_every_caption(start):
    settings = CaptionSettings(scc_start_timecode=start)
    t = speech(MEETING)
    cues = intended(t, settings)
    seen = pycaption_decode(render(t, ["scc"], settings)["scc"])
    assert [s.on - parse(start) for s in seen] == pytest.approx(
        [frame_at(c.start) for c in cues], abs=1)


def test_dense_speech_stays_in_order_and_complete():
    # Twelve words a second for a minute: faster than anyone can read or a decoder can load.
    settings = CaptionSettings()
    text = " ".join(f"word{i}" for i in range(720))
    t = speech(text, per_word=1 / 12)
    cues = intended(t, settings)
    seen = pycaption_decode(render(t, ["scc"], settings)["scc"])

    assert " ".join(" ".join(s.lines) for s in seen).split() == text.split()
    assert all(a.on < b.on for a, b in zip(seen, seen[1:]))
    assert all(s.off is not None and s.on < s.off <= n.on for s, n in zip(seen, seen[1:]))
    # Loading can delay a caption, never show it early.
    assert all(s.on >= frame_at(c.start) - 1 for s, c in zip(seen, cues))


def test_three_hour_meeting_stays_on_the_wall_clock():
    settings = CaptionSettings()
    segments = []
    for k in range(360):   # a sentence every 30 s for three hours
        t0 = 15.0 + 30 * k
        words = tuple(Word(t0 + 0.4 * i, t0 + 0.4 * i + 0.3, f" {w}")
                      for i, w in enumerate(f"Item {k} is approved as amended.".split()))
        segments.append(Segment(words[0].start, words[-1].end, "", words))
    t = Transcript(tuple(segments), 3 * 3600 + 5)
    cues = intended(t, settings)
    seen = pycaption_decode(render(t, ["scc"], settings)["scc"])

    assert len(seen) == len(cues) == 360
    for cue, s in zip(cues, seen):
        assert abs(s.on * FRAME - cue.start) <= FRAME, cue
    last = seen[-1]
    # On the wall clock: due ONSET_AFTER_PAUSE before its first word, as every caption after
    # a pause is.
    assert abs(last.on * FRAME - (15.0 + 30 * 359 - timing.ONSET_AFTER_PAUSE)) <= FRAME
