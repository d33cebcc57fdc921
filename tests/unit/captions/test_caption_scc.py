"""SCC writer: file shape, parity, control codes, and event scheduling."""

from __future__ import annotations

import re

import pytest

from archivist.domain.captions import scc
from archivist.domain.captions.cues import Cue
from archivist.domain.captions.timecode import frame_at, parse

ENM, RCL, EOC, EDM = "94ae", "9420", "942f", "942c"


def events(text: str) -> list[tuple[int, list[str]]]:
    """Return (first frame, words) of each event in an SCC file, checking its shape."""
    head, blank, *rest = text.split("\n")
    assert head == "Scenarist_SCC V1.0" and blank == ""
    out = []
    for line in filter(None, rest):
        m = re.fullmatch(r"(\d\d:\d\d:\d\d;\d\d)\t([0-9a-f]{4}(?: [0-9a-f]{4})*)", line)
        assert m, line
        out.append((parse(m.group(1)), m.group(2).split(" ")))
    assert text.endswith("\n") and "\n\n\n" not in text
    return out


def eoc_frame(event: tuple[int, list[str]]) -> int:
    return event[0] + event[1].index(EOC)


def test_every_byte_has_odd_parity():
    text = scc.write([Cue(2, 4, ("Hello, Springfield!", "Café ½ “ok”"))])
    for _, words in events(text):
        for word in words:
            for byte in (int(word[:2], 16), int(word[2:], 16)):
                assert bin(byte).count("1") % 2 == 1, word


def test_pop_on_caption_is_loaded_then_shown_then_erased():
    (first, words), (off, erase) = events(scc.write([Cue(2.0, 4.0, ("Hi!",))]))
    assert words[:4] == [ENM, ENM, RCL, RCL]
    assert words[-2:] == [EOC, EOC]
    assert "c8e9" in words and "a180" in words   # "Hi", then "!" padded with 80
    assert first + words.index(EOC) == frame_at(2.0)
    assert erase == [EDM, EDM] and off == frame_at(4.0)


def test_control_codes_are_sent_twice():
    text = scc.write([Cue(2, 4, ("♪ One ½ two",)), Cue(6, 8, ("Über Ñandú", "¡Sí! ♪♪"))])
    for _, words in events(text):
        i = 0
        while i < len(words):
            if int(words[i][:2], 16) & 0x70 == 0x10:   # a control or two-byte character
                assert words[i + 1] == words[i], words
                i += 2
            else:
                i += 1


@pytest.mark.parametrize(("row", "pacs"), [(15, ["94d6", "94d6", "9476", "9476"]),
                                           (12, ["10d6", "10d6", "13d6", "13d6"])])
def test_bottom_row_of_the_block_is_a_setting(row, pacs):
    # Two lines on rows (row-1, row), "abcd" centred at column 14: PAC indent 12, tab offset 2.
    (_, words), _ = events(scc.write([Cue(2, 4, ("abcd", "efgh"))], row=row))
    assert [w for w in words if w in set(pacs)] == pacs
    assert words.count("97a2") == 4


def test_start_timecode_offsets_the_file():
    text = scc.write([Cue(2.0, 4.0, ("Hi",))], start_timecode="01:00:00;00")
    (first, words), _ = events(text)
    assert eoc_frame((first, words)) == parse("01:00:00;00") + frame_at(2.0)
    assert text.split("\n")[-2].startswith("01:00:04;00")


def test_next_caption_replaces_the_previous_without_an_erase():
    evs = events(scc.write([Cue(2.0, 4.0, ("one",)), Cue(4.0, 6.0, ("two",))]))
    assert len(evs) == 3   # two captions and the final erase
    assert EDM not in evs[0][1] and EDM not in evs[1][1]
    assert eoc_frame(evs[1]) == frame_at(4.0)


def test_erase_rides_inside_the_next_event_when_it_is_already_loading():
    # Caption two starts loading about a second before 4.5 s: caption one ends (4.0) meanwhile.
    cues = [Cue(2.0, 4.0, ("one",)),
            Cue(4.5, 6.0, ("a longer caption of two lines", "so it loads for a while"))]
    evs = events(scc.write(cues))
    second = evs[1]
    assert second[0] < frame_at(4.0) < eoc_frame(second)
    assert second[0] + second[1].index(EDM) >= frame_at(4.0)
    assert eoc_frame(second) == frame_at(4.5)


def test_events_never_overlap_and_never_go_backwards():
    # Captions far denser than a decoder can load: the writer shifts, never overlaps.
    cues = [Cue(1.0 + 0.2 * i, 1.2 + 0.2 * i, ("a full line of thirty-two chars", f"number {i}"))
            for i in range(30)]
    evs = events(scc.write(cues))
    for (a, wa), (b, _) in zip(evs, evs[1:]):
        assert a + len(wa) <= b
    eocs = [eoc_frame(e) for e in evs if EOC in e[1]]
    assert len(eocs) == 30 and eocs == sorted(eocs)
    assert all(e >= frame_at(c.start) for e, c in zip(eocs, cues))


def test_caption_at_time_zero_is_shown_as_soon_as_it_can_be():
    evs = events(scc.write([Cue(0.0, 3.0, ("First words",))]))
    assert evs[0][0] == 0 and eoc_frame(evs[0]) == evs[0][1].index(EOC)


def test_no_captions_still_make_a_valid_file():
    assert events(scc.write([])) == [(0, [EDM, EDM])]


def test_lines_must_fit_the_screen():
    with pytest.raises(ValueError):
        scc.write([Cue(1, 2, ("x" * 33,))])


def test_three_hour_file_ends_on_the_clock():
    cues = [Cue(10.0 + 60 * k, 13.0 + 60 * k, (f"minute {k}",)) for k in range(181)]
    evs = events(scc.write(cues))
    last = [e for e in evs if EOC in e[1]][-1]
    assert eoc_frame(last) == frame_at(10.0 + 60 * 180)
    assert evs[-1][0] == frame_at(13.0 + 60 * 180)


def test_load_seconds_is_how_soon_one_caption_can_follow_another():
    lines = ("We have a quorum. Please rise", "for the Pledge of Allegiance.")
    gap = round(scc.load_seconds(lines) * 30000 / 1001)
    first = frame_at(2.0)
    for after, eoc in ((gap, first + gap), (gap - 1, first + gap)):
        start = (first + after) * 1001 / 30000
        cues = [Cue(2.0, start, ("Thank you.",)), Cue(start, 8.0, lines)]
        shown = [e for e in events(scc.write(cues)) if EOC in e[1]]
        assert eoc_frame(shown[1]) == eoc
