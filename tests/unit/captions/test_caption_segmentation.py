"""Segmentation: word-timed transcript -> cues that keep the profile's rules."""

from __future__ import annotations

import pytest

from archivist.domain.captions import segmentation, timing
from archivist.domain.captions.breaks import quality
from archivist.domain.captions.cues import Token
from archivist.domain.captions.settings import CueRules
from archivist.domain.models import Segment, Transcript, Word

MEETING = (
    "Good evening and welcome to the regular meeting of the Springfield City Council. "
    "Council Member Lopez moved to approve the contract for $4,200,000 for the repaving of "
    "Maple Avenue between Fifth Street and the river, and the motion was seconded by "
    "Council Member Smith. Is there any discussion on item 7? Seeing none, all those in "
    "favor please say aye. The motion carries, and we will now open the public hearing on "
    "the budget, which includes 4 million dollars for road repairs this year.")


def speech(text: str, start: float = 1.0, per_word: float = 0.4,
           pauses: dict[int, float] | None = None) -> Transcript:
    """Return a transcript of `text`, one word every `per_word` s, with pauses before words."""
    words, t = [], start
    for i, w in enumerate(text.split()):
        t += (pauses or {}).get(i, 0.0)
        words.append(Word(t, t + per_word * 0.8, " " + w))
        t += per_word
    return Transcript((Segment(words[0].start, words[-1].end, text, tuple(words)),), t + 5)


def shown(cues) -> list[str]:
    return " ".join(" ".join(c.lines) for c in cues).split()


def check_rules(cues, rules: CueRules) -> None:
    for cue in cues:
        assert 1 <= len(cue.lines) <= rules.max_lines, cue
        assert all(0 < len(line) <= rules.max_chars for line in cue.lines), cue
        assert cue.end - cue.start <= rules.max_duration + 1e-9, cue
        assert cue.end > cue.start
    for a, b in zip(cues, cues[1:]):
        assert a.end <= b.start, (a, b)


@pytest.mark.parametrize("max_chars", [32, 42])
def test_meeting_keeps_every_rule_and_every_word(max_chars):
    rules = CueRules(max_chars=max_chars)
    t = speech(MEETING)
    cues = segmentation.segment(t, rules)
    check_rules(cues, rules)
    assert shown(cues) == MEETING.split()
    # At a normal speaking rate every caption can be read in time, and none flashes by.
    for cue in cues:
        assert len("".join(cue.lines)) / (cue.end - cue.start) <= rules.max_cps, cue
        assert cue.end - cue.start >= rules.min_duration, cue


def test_web_profile_uses_the_wider_lines():
    cues = segmentation.segment(speech(MEETING), CueRules(max_chars=42))
    assert max(len(line) for c in cues for line in c.lines) > 32


def _broken(cues, *phrases: str) -> list[str]:
    # Phrases split across a line or a caption.
    lines = [line for c in cues for line in c.lines]
    return [p for p in phrases if not any(p in line for line in lines)]


def test_names_and_numbers_stay_on_one_line():
    cues = segmentation.segment(speech(MEETING), CueRules())
    assert _broken(cues, "$4,200,000", "Maple Avenue", "Council Member Lopez", "Fifth Street",
                   "Council Member Smith", "item 7?", "4 million dollars") == []


def test_lines_break_at_punctuation_rather_than_mid_phrase():
    text = "Thank you, Madam Chair. I have two questions about the parking study."
    cues = segmentation.segment(speech(text), CueRules())
    assert cues[0].lines[0] in ("Thank you, Madam Chair.", "Thank you,")


def test_no_one_word_line_where_a_better_break_exists():
    text = "The committee approved the budget amendment unanimously."
    cues = segmentation.segment(speech(text), CueRules())
    assert len(cues) == 1
    assert all(len(line.split()) > 1 for line in cues[0].lines), cues[0]


def test_no_caption_spans_a_long_silence():
    text = "We will take a short recess. We are back in session."
    t = speech(text, pauses={6: 30.0})   # 30 s of silence after "recess."
    cues = segmentation.segment(t, CueRules())
    silence_start, silence_end = t.words[5].end, t.words[6].start
    assert shown(cues) == text.split()
    for cue in cues:
        assert not (cue.start < silence_start + 3 and cue.end > silence_end - 3), cue
    assert cues[0].lines == ("We will take a short recess.",)


def test_word_stretched_over_silence_does_not_hold_a_caption_up():
    # Whisper often starts the first word after a pause at the start of the pause.
    words = (Word(0.0, 20.0, " Okay."), Word(20.1, 20.4, " Next"), Word(20.5, 20.9, " item."))
    t = Transcript((Segment(0.0, 20.9, " Okay. Next item.", words),), 30)
    cues = segmentation.segment(t, CueRules())
    assert cues[0].start > 15.0


def test_captions_never_last_longer_than_the_maximum():
    text = " ".join(["slowly"] * 12)
    rules = CueRules(max_duration=4.0)   # not the default: the rule given is the rule kept
    cues = segmentation.segment(speech(text, per_word=1.5), rules)
    check_rules(cues, rules)
    assert max(c.end - c.start for c in cues) <= 4.0 < CueRules().max_duration
    assert shown(cues) == text.split()


def test_dense_speech_never_overlaps():
    text = " ".join(f"w{i}" for i in range(300))
    cues = segmentation.segment(speech(text, per_word=0.05), CueRules())
    check_rules(cues, CueRules())
    assert shown(cues) == text.split()


def test_words_at_one_instant_are_shifted_not_overlapped():
    words = tuple(Word(5.0, 5.0, f" word{i}") for i in range(40))
    t = Transcript((Segment(5.0, 5.0, "", words),), 10)
    cues = segmentation.segment(t, CueRules())
    check_rules(cues, CueRules())
    assert shown(cues) == [f"word{i}" for i in range(40)]


def test_a_word_wider_than_a_line_is_cut_into_pieces():
    long = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
    cues = segmentation.segment(speech(f"Welcome to {long} tonight."), CueRules())
    check_rules(cues, CueRules())
    assert "".join(shown(cues)) == f"Welcometo{long}tonight."


def test_segments_without_word_times_are_captioned():
    seg = Segment(10.0, 14.0, " Please state your name for the record.")
    cues = segmentation.segment(Transcript((seg,), 20), CueRules())
    assert shown(cues) == "Please state your name for the record.".split()
    assert cues[0].start == 10.0 - timing.ONSET


def test_spelling_is_applied_before_measuring():
    t = speech("wait… really")
    cues = segmentation.segment(t, CueRules(), spell=lambda w: w.replace("…", "..."))
    assert shown(cues) == ["wait...", "really"]


@pytest.mark.parametrize(("left", "right", "worse_than"), [
    ("Maple", "Avenue", ("Avenue", "between")),
    ("Member", "Lopez", ("Lopez", "moved")),
    ("4", "million", ("million", "for")),
    ("item", "7", ("7", "tonight")),
    ("Mr.", "Lopez", ("Lopez", "said")),
    ("the", "budget", ("budget", "for")),
])
def test_break_costs(left, right, worse_than):
    assert quality(left, right) > quality(*worse_than)


def test_sentence_end_is_the_best_break():
    assert quality("adjourned.", "Thank") == 0
    assert quality("Council,", "and") < quality("Council", "and") < quality("council", "meeting")


def test_text_corrected_by_hand_wins_over_stale_word_times():
    words = (Word(1.0, 1.4, " Council"), Word(1.5, 1.9, " Member"), Word(2.0, 2.4, " When"))
    t = Transcript((Segment(1.0, 2.4, " Council Member Nguyen", words),), 10)
    cues = segmentation.segment(t, CueRules())
    assert shown(cues) == ["Council", "Member", "Nguyen"] and cues[0].start == 1.0 - timing.ONSET
    t = Transcript((Segment(1.0, 2.4, " Council Member Tran Nguyen", words),), 10)
    assert shown(segmentation.segment(t, CueRules())) == "Council Member Tran Nguyen".split()


def test_word_given_no_time_after_a_pause_is_timed_as_said():
    # Whisper marks where "Present." ends but gives it no time: it was said just before.
    words = (Word(1.0, 1.3, " Council"), Word(1.3, 1.6, " member"), Word(1.6, 2.2, " Anderson."),
             Word(4.0, 4.0, " Present."), Word(4.0, 4.4, " Lopez."))
    t = Transcript((Segment(1.0, 4.1, "", words),), 10)
    toks = {tok.text: tok for tok in segmentation.tokens(t, 32)}
    assert toks["Present."].end == 4.0
    assert toks["Present."].start == pytest.approx(4.0 - 7 * segmentation.SECONDS_PER_LETTER)
    # Only into a pause: never over the word before, and words with time keep it.
    assert toks["Lopez."].start == 4.0
    assert (toks["Council"].start, toks["Anderson."].start) == (1.0, 1.6)


def _said(*parts: tuple[str, float, float]) -> Transcript:
    # (text, start, seconds a word) for each segment.
    segments = []
    for text, t, per_word in parts:
        words = []
        for w in text.split():
            words.append(Word(t, t + per_word * 0.8, " " + w))
            t += per_word
        segments.append(Segment(words[0].start, words[-1].end, text, tuple(words)))
    return Transcript(tuple(segments), t + 5)


def test_scc_cues_leave_time_to_send_the_next_caption():
    # A pop-on caption is sent while the one before is on screen: a short "Thank you."
    # before two full lines would make the second caption late.
    from archivist.domain.captions import charset, scc, timecode

    t = _said(("Thank you.", 5.0, 0.3),
              ("We have a quorum, so please rise for the Pledge of Allegiance and remain "
               "standing.", 6.2, 0.25))
    frame = timecode.seconds_at(1)
    for load in (None, scc.load_seconds):
        cues = segmentation.segment(t, CueRules(), charset.transliterate, tick=frame, load=load)
        events = [e for e in scc.schedule(cues) if scc.EOC in e[1]]
        late = [first + pairs.index(scc.EOC) - timecode.frame_at(c.start)
                for (first, pairs), c in zip(events, cues)]
        assert shown(cues) == t.text.split()
        assert (max(late) > 0) is (load is None), (cues, late)


def test_no_caption_spans_a_pause_or_stays_over_silence_past_its_reading_time():
    # "Present." then a pause over MAX_PAUSE (1.2 s), then the next name: two captions.
    t = speech("Present. Council member Lopez.", per_word=0.4,
               pauses={1: 1.2})
    first, second = segmentation.segment(t, CueRules())
    assert first.lines == ("Present.",) and second.lines == ("Council member Lopez.",)
    last_word_end = t.segments[0].words[0].end
    # Up for its minimum duration (1 s, more than "Present." needs to be read), no longer.
    assert first.end == pytest.approx(max(last_word_end, first.start + 1.0))
    assert second.start - first.end > timing.CLOSE_GAP


def test_the_next_speakers_words_are_not_shown_before_a_pause_between_speakers():
    # "The motion carries." then 0.8 s of silence and the next speaker: each sentence its own
    # caption (one caption would show "Thank you all." through the pause, before it is said),
    # and the second comes up as its first word is said, not in the pause.
    t = speech("The motion carries. Thank you all.", per_word=0.3, pauses={3: 0.8})
    first, second = segmentation.segment(t, CueRules())
    assert first.text == "The motion carries." and second.text == "Thank you all."
    thank = t.segments[0].words[3].start
    assert thank - 0.2 <= second.start <= thank


def test_pieces_of_one_word_keep_the_segment_word_times():
    # Whisper writes "$20,000" as " $20" and ",000": the text joins them. The segment's word
    # times stay (they were thrown away, and its words spread evenly over the pause in it).
    words = (Word(1.0, 1.3, " It"), Word(1.3, 1.6, " costs"), Word(1.6, 1.9, " $20"),
             Word(1.9, 2.2, ",000."), Word(6.0, 6.3, " One"), Word(6.3, 6.5, "-hour"),
             Word(6.5, 6.9, " drive."))
    t = Transcript((Segment(1.0, 6.9, "It costs $20,000. One-hour drive.", words),), 10)
    toks = segmentation.tokens(t, 32)
    assert [(x.text, x.start, x.end) for x in toks] == [
        ("It", 1.0, 1.3), ("costs", 1.3, 1.6), ("$20,000.", 1.6, 2.2), ("One-hour", 6.0, 6.5),
        ("drive.", 6.5, 6.9)]
    first, second = segmentation.segment(t, CueRules())
    assert first.lines == ("It costs $20,000.",) and second.lines == ("One-hour drive.",)


def test_first_word_after_a_pause_is_timed_at_the_end_of_an_overlong_time():
    # Whisper starts "Is" 1.1 s before its end, in the pause: it is said at the end.
    words = (Word(1.0, 1.4, " Thank"), Word(1.4, 1.8, " you."), Word(3.0, 4.14, " Is"),
             Word(4.14, 4.4, " there"), Word(4.4, 4.9, " anyone?"))
    t = Transcript((Segment(1.0, 4.9, "Thank you. Is there anyone?", words),), 10)
    toks = {tok.text: tok for tok in segmentation.tokens(t, 32)}
    assert toks["Is"].start == pytest.approx(4.14 - (0.3 + 2 * 2 * segmentation.SECONDS_PER_LETTER))
    # A word of believable length keeps its time; so does one with no pause before it.
    assert (toks["Thank"].start, toks["there"].start) == (1.0, 4.14)


def test_a_spoken_figure_keeps_the_time_it_is_said_in():
    # "$8,300,000" comes as the pieces "$8" ",300" ",000" and is said "eight million three
    # hundred thousand dollars" in 2.6 s (held 2203): its caption stays up until "and".
    words = (Word(83.71, 83.95, " is", 0.9), Word(83.95, 84.53, " $8", 0.9),
             Word(84.53, 85.51, ",300", 0.9), Word(85.51, 86.57, ",000", 0.9),
             Word(86.57, 87.0, " and", 0.9))
    said = segmentation.tokens(Transcript((Segment(83.71, 87.0, "is $8,300,000 and", words),),
                                          120.0), 32)
    assert [(t.text, t.start, t.end) for t in said][1] == ("$8,300,000", 83.95, 86.57)


def sentence(last_word_seconds: float) -> Transcript:
    """ "We will now take a short recess." said at 0.06 s a letter, its last word lasting
    `last_word_seconds` (as fitted to the voice), then a pause of 3 s before "Welcome back." """
    words, t = [], 1.0
    for w in "We will now take a short".split():
        words.append(Word(t, t + 0.06 * len(w), " " + w))
        t += 0.06 * len(w) + 0.05
    last = Word(t, t + last_word_seconds, " recess.")
    after = (Word(last.end + 3.0, last.end + 3.4, " Welcome"),
             Word(last.end + 3.45, last.end + 3.8, " back."))
    return Transcript((Segment(1.0, last.end, "We will now take a short recess.",
                               (*words, last)),
                       Segment(after[0].start, after[1].end, "Welcome back.", after)),
                      last.end + 10)


def test_a_caption_stays_up_while_a_last_word_cut_short_trails_off():
    # Slow speech in noise (held 2204): the word's end is fitted where its voice sinks under
    # the noise, before it stops; the word lasts no longer than its letters take at the pace
    # of the caption, so the caption stays TRAIL past it.
    cut = sentence(0.06 * 6)
    first, _ = segmentation.segment(cut, CueRules(max_chars=40))
    assert first.end == pytest.approx(cut.segments[0].end + timing.TRAIL)


def test_a_caption_ends_with_a_last_word_that_already_holds_its_fade():
    # A reverberant room (dev 2109): the room's ring is fitted into the last word, which runs
    # on past what its letters take at the caption's pace by more than TRAIL. The fade is
    # inside the word already; staying longer would be over the ring and the silence.
    rung = sentence(0.06 * 6 + timing.TRAIL + 0.05)
    first, _ = segmentation.segment(rung, CueRules(max_chars=40))
    assert first.end == pytest.approx(rung.segments[0].end)


def _run(*words: tuple[str, float, float]) -> tuple[Token, ...]:
    return tuple(Token(text, start, end, first_in_segment=k == 0)
                 for k, (text, start, end) in enumerate(words))


def _words_shown(run: tuple[Token, ...], rules: CueRules) -> list[tuple[list[str], list[str]]]:
    """Each cue's words as shown, beside the words the cue search says it holds."""
    return [(" ".join(cue.lines).split(), [t.text for t in run[i:j]])
            for cue, (i, j) in segmentation._cues_of(run, rules, None)]


@pytest.mark.parametrize("timed", [
    # A word with no length at a cue's end (its end is the next word's start): matching
    # times would end the cue one word early, and the trail would judge the wrong last word.
    (("We", 1.0, 1.2), ("will", 1.25, 1.5), ("now", 1.55, 1.8), ("take", 1.85, 2.1),
     ("a", 2.15, 2.2), ("recess.", 2.25, 2.6), ("Okay.", 2.6, 2.6),
     ("Welcome", 2.6, 3.0), ("back", 3.05, 3.3), ("everyone.", 3.35, 3.9)),
    # Word times the recognizer made overlap (a word starting before the one before it
    # ends): a cue's words cannot be found by their times, only from the search itself.
    (("We", 1.0, 1.2), ("will", 1.25, 1.5), ("now", 1.55, 1.8), ("take", 1.85, 2.1),
     ("a", 2.15, 2.2), ("short", 2.2, 2.9), ("recess.", 2.6, 2.9),
     ("Welcome", 2.6, 3.0), ("back", 3.05, 3.3), ("everyone.", 3.35, 3.9)),
], ids=["a zero-length word ends a cue", "word times overlap"])
def test_each_caption_knows_the_words_it_shows(timed):
    shown_words = _words_shown(_run(*timed), CueRules(max_chars=20, max_lines=1))
    assert len(shown_words) > 1
    assert all(words == held for words, held in shown_words)
