"""Speaker changes in the transcript and the captions: `>>` before a new speaker's first word,
and the caption that shows it begins with `>>` (SCC and the web formats alike), as does a search
passage; so does a `>>` staff type in the editor; a `>>` Whisper wrote itself starts neither."""

from __future__ import annotations

import pytest

from archivist.domain import transcript_json
from archivist.domain.captions import CaptionSettings, CueRules, render, segmentation
from archivist.domain.models import Segment, Transcript, Word
from archivist.domain.review.retime import retime
from archivist.domain.review.revisions import EditedLine, edited
from archivist.domain.search.passages import passages
from archivist.domain.speakers import marked, starts_speaker, turns, whispered
from tests.captions.scc_readers import pycaption_decode


def seg(start: float, said: str, per_word: float = 0.4) -> Segment:
    words = tuple(Word(start + per_word * i, start + per_word * (i + 0.8), " " + w, 0.9)
                  for i, w in enumerate(said.split()))
    return Segment(start, words[-1].end, " " + said, words)


def test_turns_are_the_words_between_long_pauses() -> None:
    words = [*seg(1.0, "Will the clerk call the roll?").words, *seg(4.0, "Council member Lopez.").words,
             *seg(6.0, "Present.").words]
    assert [list(r) for r in turns(words, 0.6)] == [[0, 1, 2, 3, 4, 5], [6, 7, 8], [9]]
    assert turns([], 0.6) == []


def test_a_new_speaker_at_a_segments_start_gets_chevrons_before_the_first_word() -> None:
    said = [seg(1.0, "Is there a second?"), seg(4.0, "Second.")]
    out = marked(said, {4})
    assert out[0] == said[0]
    assert out[1].text.strip() == ">> Second."
    assert [w.word.strip() for w in out[1].words] == [">>", "Second."]
    assert out[1].words[0].start == out[1].words[0].end == 4.0


def test_a_new_speaker_inside_a_segment_cuts_it_in_two() -> None:
    # Whisper kept "Move to approve. Second." in one segment; the second voice starts at "Second."
    words = (Word(1.0, 1.3, " Move"), Word(1.3, 1.5, " to"), Word(1.5, 2.0, " approve."),
             Word(3.0, 3.5, " Second."))
    out = marked([Segment(1.0, 3.5, " Move to approve. Second.", words, avg_logprob=-0.2)], {3})
    assert [s.text.strip() for s in out] == ["Move to approve.", ">> Second."]
    assert (out[0].start, out[0].end, out[1].start, out[1].end) == (1.0, 2.0, 3.0, 3.5)
    assert all(s.avg_logprob == -0.2 for s in out)
    # The transcript keeps it through its JSON, as staff see and edit it.
    again = transcript_json.loads(transcript_json.dumps(Transcript(tuple(out), 10.0)))
    assert again.text == "Move to approve. >> Second."


@pytest.mark.parametrize("max_chars", [32, 42])
def test_a_new_speakers_caption_begins_with_chevrons_and_fits_the_line(max_chars: int) -> None:
    # "Is there a motion?" then the next voice after 0.3 s (less than a pause that ends a
    # caption): the caption still ends there, and the next begins with ">> ".
    first = seg(1.0, "Is there a motion to approve the consent agenda as presented?", 0.3)
    second = seg(first.end + 0.3, "Commissioner Abernathy-Lindqvist so moves with pleasure.", 0.3)
    transcript = Transcript(tuple(marked([first, second], {len(first.words)})), 30.0)
    cues = segmentation.segment(transcript, CueRules(max_chars=max_chars))
    texts = [" ".join(c.lines) for c in cues]
    new = next(k for k, t in enumerate(texts) if "Commissioner" in t)
    assert texts[new].startswith(">> Commissioner")
    assert texts[new - 1].endswith("presented?")
    assert sum(t.count(">>") for t in texts) == 1
    assert all(len(line) <= max_chars for c in cues for line in c.lines)
    assert " ".join(texts).replace(">> ", "").split() == transcript.text.replace(">> ", "").split()


def test_every_caption_format_shows_the_chevrons() -> None:
    said = [seg(1.0, "Is there a second?"), seg(3.5, "Second."), seg(5.0, "Thank you.")]
    transcript = Transcript(tuple(marked(said, {4})), 10.0)
    files = render(transcript, ["scc", "vtt", "srt", "txt"], CaptionSettings())
    assert "&gt;&gt; Second." in files["vtt"]   # escaped, shown as >>
    assert ">> Second." in files["srt"] and ">> Second." in files["txt"]
    shown = [" ".join(c.lines) for c in pycaption_decode(files["scc"])]
    assert ">> Second." in shown, shown


def test_whispers_own_chevrons_do_not_cut_its_captions() -> None:
    """Whisper writes `>>` of its own (timed like a word) whether or not speaker changes are
    on; only the engine's mark (no length) or one staff type starts a new caption."""
    words = (Word(0.5, 0.9, " Yes."), Word(1.0, 1.2, " >>"), Word(1.2, 1.7, " No."),
             Word(1.75, 1.8, " >>"), Word(1.8, 2.2, " Maybe."))
    transcript = Transcript((Segment(0.5, 2.2, " Yes. >> No. >> Maybe.", words),), 10.0)
    cues = segmentation.segment(transcript, CueRules())
    assert len(cues) == 1
    assert " ".join(cues[0].lines) == "Yes. >> No. >> Maybe."


@pytest.mark.parametrize("length", [30, 34])
def test_chevrons_stay_with_a_word_too_long_to_share_their_line(length: int) -> None:
    long = "x" * length
    said = [seg(1.0, "Is there a second?"), seg(3.5, f"{long} thanks.")]
    cues = segmentation.segment(Transcript(tuple(marked(said, {4})), 10.0), CueRules(max_chars=32))
    lines = [line for c in cues for line in c.lines]
    assert ">>" not in lines
    assert all(len(line) <= 32 for line in lines)
    new = next(c for c in cues if c.lines[0].startswith(">>"))
    assert new.lines[0].startswith(">> x")
    assert "".join(lines).replace(">> ", "").count("x") == length


# One breath, no sentence end and no pause between the voices: only a speaker change cuts.
HEARD = (Word(0.0, 0.3, " I"), Word(0.3, 0.6, " move"), Word(0.6, 0.9, " we"),
         Word(0.9, 1.4, " approve"), Word(1.5, 1.8, " I"), Word(1.8, 2.2, " second"),
         Word(2.2, 2.5, " it"))


def shown(transcript: Transcript) -> tuple[list[str], list[str]]:
    """The search passages and the captions of `transcript`, as staff read them."""
    cues = segmentation.segment(transcript, CueRules())
    return [p.text for p in passages(transcript)], [" ".join(c.lines) for c in cues]


def test_the_transcribers_chevrons_start_a_passage_and_a_caption() -> None:
    engine = marked([Segment(0.0, 2.5, " I move we approve I second it", HEARD)], {4})
    assert shown(Transcript(tuple(engine), 10.0)) \
        == (["I move we approve", ">> I second it"], ["I move we approve", ">> I second it"])


def test_chevrons_staff_type_in_the_editor_start_a_passage_and_a_caption() -> None:
    machine = Transcript((Segment(0.0, 2.5, " I move we approve I second it", HEARD),), 10.0)
    saved = edited(machine, [EditedLine(0.0, 2.5, "I move we approve >> I second it")])
    assert shown(saved) \
        == (["I move we approve", ">> I second it"], ["I move we approve", ">> I second it"])
    # Saved again with a word corrected elsewhere, the typed `>>` still starts both.
    again = edited(saved, [EditedLine(0.0, 2.5, "I move we approve >> I second that")])
    assert shown(again)[0] == ["I move we approve", ">> I second that"]
    assert shown(again)[1][-1].startswith(">> I second")


def test_whispers_own_chevrons_start_neither_a_passage_nor_a_caption() -> None:
    words = (*HEARD[:4], Word(1.4, 1.5, " >>"), *HEARD[4:])
    machine = Transcript((Segment(0.0, 2.5, " I move we approve >> I second it", words),), 10.0)
    assert shown(machine) == (["I move we approve >> I second it"],
                              ["I move we approve >> I second it"])
    # Nor after staff correct another word of its line: the `>>` keeps Whisper's time.
    saved = edited(machine, [EditedLine(0.0, 2.5, "I move we approve >> I second that")])
    assert shown(saved) == (["I move we approve >> I second that"],
                            ["I move we approve >> I second that"])


def test_whispers_own_chevrons_moved_by_staff_are_staffs_mark() -> None:
    """Staff move Whisper's `>>` a word on, before the new voice: it starts a passage and a
    caption there like one typed in (no length), and the word moved past keeps its time."""
    words = (*HEARD[:4], Word(1.4, 1.5, " >>"), *HEARD[4:])
    machine = Transcript((Segment(0.0, 2.5, " I move we approve >> I second it", words),), 10.0)
    for text, where in (("I move we approve I >> second it", 5),
                        ("I move we approve I second >> it", 6),
                        ("I move >> we approve I second it", 2)):
        saved = edited(machine, [EditedLine(0.0, 2.5, text)])
        moved = saved.segments[0].words[where]
        assert moved.word == " >>" and moved.start == moved.end, text
        assert starts_speaker(moved.word, moved.start, moved.end,
                              whispered(saved.segments[0].words)), text
        assert [(w.start, w.end) for w in saved.segments[0].words if w.word != " >>"] \
            == [(w.start, w.end) for w in HEARD], text
    saved = edited(machine, [EditedLine(0.0, 2.5, "I move we approve I >> second it")])
    assert shown(saved) == (["I move we approve I", ">> second it"],
                            ["I move we approve I", ">> second it"])
    # Left where it was, with the words on either side corrected, it stays Whisper's.
    kept = edited(machine, [EditedLine(0.0, 2.5, "I moved we approve >> Aye second it")])
    assert kept.segments[0].words[4] == Word(1.4, 1.5, " >>")
    assert shown(kept)[0] == ["I moved we approve >> Aye second it"]


def test_whispers_own_chevrons_moved_past_a_corrected_word_are_staffs_mark() -> None:
    """Staff correct the word after Whisper's `>>` and move the `>>` past it: the corrected
    word takes the time up to the next kept word, and the `>>` starts a caption there."""
    words = (*HEARD[:4], Word(1.4, 1.5, " >>"), *HEARD[4:])
    machine = Transcript((Segment(0.0, 2.5, " I move we approve >> I second it", words),), 10.0)
    saved = edited(machine, [EditedLine(0.0, 2.5, "I move we approve Aye >> second it")])
    aye, moved = saved.segments[0].words[4:6]
    assert (aye.word, aye.start, aye.end) == (" Aye", 1.4, 1.8)
    assert (moved.word, moved.start, moved.end) == (" >>", 1.8, 1.8)
    assert shown(saved) == (["I move we approve Aye", ">> second it"],
                            ["I move we approve Aye", ">> second it"])


def test_whispers_own_chevrons_squeezed_by_new_line_times_stay_whispers() -> None:
    """A line's new end before Whisper's `>>` clamps it: it keeps 1 ms, not a speaker's mark."""
    heard = (Word(10.0, 10.4, " good"), Word(10.5, 11.0, " evening"), Word(11.2, 11.3, " >>"),
             Word(11.4, 11.9, " thanks"))
    words = retime(10.0, 11.2, "good evening >> thanks", heard)
    chevrons = next(w for w in words if w.word == " >>")
    assert chevrons.end > chevrons.start
    assert not starts_speaker(chevrons.word, chevrons.start, chevrons.end, whispered(words))
