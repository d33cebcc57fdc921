"""Hallucination and noise guards."""

from __future__ import annotations

from archivist.domain.captions import guards
from archivist.domain.models import Segment, Transcript, Word


def seg(start: float, text: str, prob: float = 0.9, per_word: float = 0.3, **figures) -> Segment:
    """Return a segment saying `text` from `start`, its words all of probability `prob`."""
    words = tuple(Word(start + per_word * i, start + per_word * (i + 0.8), " " + w, prob)
                  for i, w in enumerate(text.split()))
    end = words[-1].end if words else start
    return Segment(start, end, " " + text, words, **figures)


def words_of(t: Transcript) -> list[str]:
    return [w.word.strip() for w in t.words]


def test_clear_speech_is_kept_untouched():
    t = Transcript((seg(1, "Call the meeting to order."), seg(4, "Roll call, please.")), 60)
    assert guards.clean(t) == t


def test_silence_yields_no_captions_and_says_so():
    assert guards.clean(Transcript((), 600)).notes == ("no speech found",)


def test_whisper_on_silence_is_dropped_and_noted():
    # What Whisper typically writes over a silent recording.
    t = Transcript((
        seg(0.0, "Thank you.", prob=0.4, no_speech_prob=0.85, avg_logprob=-1.3),
        seg(30.0, "Thanks for watching!", prob=0.5, no_speech_prob=0.5, avg_logprob=-0.9),
        seg(90.0, "you", prob=0.2, no_speech_prob=0.7, avg_logprob=-1.6),
        seg(150.0, "Subtitles by the Amara.org community"),
    ), 300)
    clean = guards.clean(t)
    assert clean.segments == ()
    assert "no speech found" in clean.notes
    assert any("00:00:00" in note for note in clean.notes)


def test_music_tags_are_removed():
    t = Transcript((seg(0, "[Music]"), seg(5, "♪ ♪"), seg(9, "(applause)"),
                    seg(12, "[MUSIC PLAYING] Please rise for the pledge.")), 60)
    clean = guards.clean(t)
    assert words_of(clean) == "Please rise for the pledge.".split()
    assert any("sound tag" in note and "[Music]" in note for note in clean.notes)


def test_music_only_recording_says_no_speech():
    t = Transcript(tuple(seg(10.0 * i, "♪") for i in range(30)), 300)
    clean = guards.clean(t)
    assert clean.segments == () and "no speech found" in clean.notes


def test_a_looped_phrase_is_said_once_and_noted_with_its_span():
    loop = [seg(723.0 + 2 * i, "Thank you.") for i in range(6)]
    t = Transcript((seg(700, "Any further comments?"), *loop, seg(740, "Moving on.")), 900)
    clean = guards.clean(t)
    assert words_of(clean) == "Any further comments? Thank you. Moving on.".split()
    assert any("repeated 6 times at 00:12:03–00:12:13" in note for note in clean.notes)   # its span


def test_a_loop_said_once_before_the_guards_leaves_its_stretch_empty_and_the_same_note():
    # The transcriber collapses a loop to decode again the speech it filled: the stretch
    # between the first saying and the next words is then a gap, the note is the one the
    # guards would have written, and the stretch the loop filled is given.
    loop = [seg(29.0 + 0.3 * i, "Present.") for i in range(117)]
    segments = [seg(20.0, "Council member Lopez."), *loop, seg(65.5, "The consent agenda.")]
    said, notes, filled = guards.said_once(segments)
    assert filled == [(29.0, 29.0 + 0.3 * 116)]
    assert [s.text.strip() for s in said] == [
        "Council member Lopez.", "Present.", "The consent agenda."]
    assert said[1].end < 30.0 and said[2].start == 65.5
    assert notes == [n for n in guards.clean(Transcript(tuple(segments), 120)).notes
                     if "repeated" in n]
    assert notes == ['collapsed a phrase repeated 117 times at 00:00:29–00:01:03: "Present."']
    assert guards.said_once(said) == (said, [], [])


def test_a_loop_with_no_word_times_said_once_ends_where_its_one_saying_would():
    # A segment with text and no word times, "Present." 30 times over 0-30 s: said once, it
    # ends after its first thirtieth, so the rest is a gap the recovery decodes again; the note
    # gives the stretch the loop filled.
    loop = Segment(0.0, 30.0, " " + " ".join(["Present."] * 30), ())
    [said], notes, _filled = guards.said_once([loop])
    assert said.text == "Present." and (said.start, said.end) == (0.0, 1.0)
    assert notes == ['collapsed a phrase repeated 30 times at 00:00:00–00:00:29: "Present."']


def test_a_loop_inside_one_segment_is_collapsed():
    t = Transcript((seg(1, "we need to " + "go to the next item " * 5 + "now"),), 60)
    clean = guards.clean(t)
    assert " ".join(words_of(clean)) == "we need to go to the next item now"
    assert clean.segments[0].text == "we need to go to the next item now"


def test_ordinary_repetition_is_kept():
    text = "No, no, no. That is not what I said. Very very good."
    t = Transcript((seg(1, text),), 60)
    assert words_of(guards.clean(t)) == text.split()


def test_low_confidence_text_without_speech_is_dropped():
    t = Transcript((seg(1, "The meeting is called to order."),
                    seg(20, "so the the uh", prob=0.1, no_speech_prob=0.4, avg_logprob=-1.4)), 60)
    clean = guards.clean(t)
    assert words_of(clean) == "The meeting is called to order.".split()
    assert any("low-confidence" in note for note in clean.notes)


def test_an_unsure_thank_you_between_speakers_is_real_speech():
    t = Transcript((seg(10.0, "The boiler is forty years old."),
                    seg(12.0, "Thank you.", prob=0.5, no_speech_prob=0.3, avg_logprob=-0.8),
                    seg(13.5, "Is there a motion?"),
                    seg(25.0, "Thank you.", prob=0.5, no_speech_prob=0.39, avg_logprob=-0.74),
                    seg(40.0, "Thank you.", prob=0.5, no_speech_prob=0.7, avg_logprob=-0.8)), 60)
    clean = guards.clean(t)
    # The chair's, right after a speaker, stays; so does one alone that Whisper hardly doubts
    # (as real ones on the corpus); the one alone that it says is silence is dropped.
    assert words_of(clean) == ("The boiler is forty years old. Thank you. Is there a motion? "
                               "Thank you.").split()
    assert any("stock phrase" in note and "00:00:40" in note for note in clean.notes)


def test_confident_thank_you_is_real_speech():
    t = Transcript((seg(1, "Thank you.", prob=0.95, no_speech_prob=0.01, avg_logprob=-0.1),), 5)
    assert words_of(guards.clean(t)) == ["Thank", "you."]


def test_a_few_words_in_a_long_recording_say_almost_no_speech():
    t = Transcript((seg(100, "Okay."),), 3600)
    assert any(note.startswith("almost no speech") for note in guards.clean(t).notes)


def test_cleaning_twice_changes_nothing_more():
    t = Transcript((seg(0, "[Music]"), *(seg(10 + 2 * i, "Thank you.") for i in range(4)),
                    seg(30, "Public comment is now open.")), 60, notes=("from the lead",))
    once = guards.clean(t)
    assert once.notes[0] == "from the lead"
    assert guards.clean(once) == once


def test_wordless_segments_are_guarded_by_their_text():
    t = Transcript((Segment(0, 3, " [Music]"),
                    Segment(5, 8, " Welcome back. Welcome back. Welcome back."),
                    Segment(9, 12, " Item four.")), 60)
    clean = guards.clean(t)
    assert [s.text for s in clean.segments] == ["Welcome back.", " Item four."]


def test_fast_or_noisy_speech_the_model_was_unsure_of_is_kept():
    """Low word probabilities and a middling no-speech figure, but a fair log-probability:
    speech said fast or in noise (the voice-activity filter let it through), not silence."""
    t = Transcript((seg(1, "The meeting is called to order."),
                    seg(5, "We will take a three-minute recess.", prob=0.08,
                        no_speech_prob=0.45, avg_logprob=-0.36),
                    seg(9, "And go to hide.", prob=0.42, no_speech_prob=0.66, avg_logprob=-0.62)),
                   60)
    clean = guards.clean(t)
    assert words_of(clean) == ("The meeting is called to order. We will take a three-minute "
                               "recess. And go to hide.").split()
    assert not any("dropped" in note for note in clean.notes)


def test_a_number_the_model_gave_in_pieces_reads_as_one_after_a_tag_is_removed():
    # Whisper gives "$51,000,000" as three pieces, only the first with a leading space.
    words = (Word(1.0, 1.2, " [Music]", 0.9), Word(2.0, 2.4, " The", 0.9),
             Word(2.4, 2.8, " budget", 0.9), Word(2.8, 3.1, " is", 0.9),
             Word(3.1, 3.4, " $51", 0.9), Word(3.4, 3.6, ",000", 0.9),
             Word(3.6, 3.9, ",000.", 0.9))
    t = Transcript((Segment(1.0, 3.9, " [Music] The budget is $51,000,000.", words),), 60)
    clean = guards.clean(t)
    assert clean.segments[0].text == "The budget is $51,000,000."
