"""Speech the model wrote nothing for, decoded again (domain/captions/recovered.py): only the
words said inside the gap go in, and only where the second decode can be trusted."""

from __future__ import annotations

from archivist.domain.captions.recovered import spliced, trusted
from archivist.domain.models import Segment, Word


def said(start: float, text: str, step: float = 0.5, logprob: float = -0.4,
         no_speech: float = 0.1, probability: float = 0.8) -> Segment:
    """A segment saying `text` from `start`, a word every `step` seconds."""
    words = tuple(Word(start + i * step, start + i * step + step * 0.8, " " + w, probability)
                  for i, w in enumerate(text.split()))
    return Segment(words[0].start, words[-1].end, text, words, avg_logprob=logprob,
                   no_speech_prob=no_speech, compression_ratio=1.2)


def joined(*parts: Segment) -> Segment:
    """One segment of the words of `parts` (a decode's segment runs on over pauses)."""
    words = tuple(w for p in parts for w in p.words)
    return Segment(words[0].start, words[-1].end, " ".join(p.text for p in parts), words,
                   avg_logprob=-0.4, no_speech_prob=0.1, compression_ratio=1.2)


# As tiny.en on a roll call: "Board member Brandon." written, then "Present." left out, then
# the next name; the first decode's words either side of the gap (18.6 to 21.0 s).
AROUND = [said(16.6, "Board member Brandon."), said(21.0, "Board member Fish.")]
GAP = (AROUND[0].end, AROUND[1].start)


def text(segments: list[Segment]) -> str:
    return " ".join(s.text for s in segments)


def test_the_answer_between_two_names_goes_in_without_the_names_said_again() -> None:
    # The second decode heard the context too, timed a little differently.
    found = [joined(said(16.7, "Board member Brandon."), said(19.3, "Present."),
                    said(21.1, "Board member Fish."))]
    added = trusted(found, GAP, AROUND)
    assert text(added) == "Present."
    assert [s.text for s in spliced(AROUND, added)] == [
        "Board member Brandon.", "Present.", "Board member Fish."]


def test_what_the_model_doubts_or_invents_over_noise_stays_out() -> None:
    for doubted in (said(19.3, "Present.", logprob=-1.3), said(19.3, "Present.", no_speech=0.8),
                    said(19.3, "Present.", probability=0.1), said(19.3, "Thank you.")):
        assert trusted([doubted], GAP, AROUND) == []


def test_a_video_sign_off_heard_over_a_vote_stays_out() -> None:
    # Dev 2104's roll-call vote decoded again: "I hope you enjoyed this video." (its first
    # words in the gap would have gone in).
    wide = [said(10.0, "The clerk will call the roll."), said(30.0, "The motion fails.")]
    found = [said(14.0, "I hope you enjoyed this video.", step=1.0)]
    assert trusted(found, (wide[0].end, wide[1].start), wide) == []


def test_a_loop_is_not_trusted_at_all() -> None:
    # tiny.en made to write a roll-call vote it cannot hear: "Beau, beau, beau, ..."
    wide = [said(10.0, "The clerk will call the roll."), said(30.0, "The motion carries.")]
    found = [said(14.0, "Beau, beau, beau, beau, beau, beau.", step=0.4)]
    assert trusted(found, (wide[0].end, wide[1].start), wide) == []


def test_a_word_said_again_next_to_its_first_saying_is_dropped_but_not_a_later_one() -> None:
    first = [said(10.0, "Council member Moreno. Present."), said(20.0, "Mayor Tanaka.")]
    gap = (first[0].end, first[1].start)
    # "Present." again just after the first's, then the next name and its own "Present.".
    found = [joined(said(first[0].end + 0.2, "Present."), said(15.0, "Council member Becker."),
                    said(17.5, "Present."))]
    assert text(trusted(found, gap, first)) == "Council member Becker. Present."


def test_an_answer_heard_again_just_before_its_first_saying_after_the_gap_is_dropped() -> None:
    # Dev 2104: the gap's second decode ends "Guadalupe, Present." and the answer the first
    # decode kept after the gap, "present.", follows 0.6 s on with nothing heard between:
    # one answer said twice. The name stays.
    first = [said(23.0, "Commissioner Lopez,"), said(28.77, "present. Commissioner Castillo,")]
    gap = (first[0].end, first[1].start)
    found = [joined(said(26.0, "Commissioner Delgado,"), said(28.15, "Present.", step=0.02))]
    assert text(trusted(found, gap, first)) == "Commissioner Delgado,"


def test_a_second_member_saying_the_same_answer_just_after_the_first_goes_in() -> None:
    # "Is there a second?" "Second." and another member's "Second." 0.7 s on, which the
    # first decode left out: two answers, not one heard twice.
    first = [said(28.0, "Is there a second?"), said(30.0, "Second."),
             said(33.0, "Moved and seconded.")]
    found = [said(first[1].end + 0.7, "Second.")]
    assert text(trusted(found, (first[1].end, first[2].start), first)) == "Second."
    # ... and a voice vote's "Aye. Aye." after the first "Aye." keeps both.
    first = [said(40.0, "All in favor?"), said(42.0, "Aye.", step=0.4), said(45.0, "Opposed?")]
    found = [said(first[1].end + 0.7, "Aye. Aye.", step=0.4)]
    assert text(trusted(found, (first[1].end, first[2].start), first)) == "Aye. Aye."


def test_words_found_between_the_words_of_a_segment_go_into_it_in_order() -> None:
    # tiny.en's roll-call loop, its words spread over 17-26 s with gaps between them; the
    # answers found in a gap go in word by word, so the captions read them in order.
    loop = joined(said(17.5, "Commissioner Lopez, present."), said(24.0, "Commissioner Lopez, present."))
    added = said(21.4, "Commissioner Abdi. Present.")
    [one] = spliced([loop], [added])
    assert one.text == ("Commissioner Lopez, present. Commissioner Abdi. Present. "
                        "Commissioner Lopez, present.")
    assert [w.start for w in one.words] == sorted(w.start for w in one.words)
    assert (one.start, one.end) == (loop.start, loop.end)


def test_a_phrase_said_again_next_to_the_gap_is_dropped_whole() -> None:
    # "Council member" ends at 10.9, the next word is "Present." at 14.0; the second decode
    # heard the context and wrote "Council member Smith." from 10.9.
    first = [said(10.0, "Council member"), said(14.0, "Present.")]
    found = [said(10.9, "Council member Smith.", step=0.45)]
    added = trusted(found, (first[0].end, first[1].start), first)
    assert text(added) == "Smith."
    assert [s.text for s in spliced(first, added)] == ["Council member", "Smith.", "Present."]
    # ... and at the gap's end: "Present. Council member" before "Council member Fish."
    first = [said(10.0, "Mayor Tanaka."), said(15.0, "Council member Fish.")]
    found = [joined(said(12.0, "Present."), said(14.1, "Council member", step=0.45))]
    assert text(trusted(found, (first[0].end, first[1].start), first)) == "Present."


def test_a_word_heard_longer_keeps_between_the_words_either_side() -> None:
    first = [said(10.0, "Roll call."), said(14.0, "Present.")]
    heard = Word(12.7, 14.6, " here.", 0.8)
    early = Word(10.7, 11.5, " Clerk:", 0.8)   # starts inside the word before
    found = [Segment(10.7, 14.6, "Clerk: here.", (early, heard), avg_logprob=-0.4,
                     no_speech_prob=0.1, compression_ratio=1.2)]
    [one] = trusted(found, (first[0].end, first[1].start), first)
    assert [(w.start, w.end) for w in one.words] == [(first[0].end, 11.5), (12.7, 14.0)]
    assert (one.start, one.end) == (first[0].end, 14.0)


def test_a_word_heard_again_spelt_a_little_differently_is_still_an_echo() -> None:
    # Held 2203 (base): the kept "superintendent," and, right after it, the second decode's
    # "superintendant": one word heard twice, one letter apart.
    first = [said(10.0, "Thank you, superintendent,"), said(16.0, "Item four.")]
    gap = (first[0].end, first[1].start)
    found = [said(first[0].end + 0.2, "Superintendant. The budget.")]
    assert text(trusted(found, gap, first)) == "The budget."
    # ... and at the gap's end: "Councilmember" heard again before the kept "Council-member".
    first = [said(10.0, "Item four."), said(16.0, "Council-member Fish.")]
    found = [said(13.0, "The budget. Councilmembers", step=0.8)]
    assert text(trusted(found, (first[0].end, first[1].start), first)) == "The budget."


def test_a_different_word_or_a_short_one_next_to_the_gap_goes_in() -> None:
    # Words more than a letter apart are other words ("President." "Present."), and short
    # words and numbers must match exactly: "no" then "so" are two words.
    for kept, heard in (("superintendent,", "Supervisor."), ("President.", "Present."),
                        ("no.", "So."), ("10,000.", "10,001.")):
        first = [said(10.0, f"Thank you, {kept}"), said(16.0, "Item four.")]
        found = [said(first[0].end + 0.2, f"{heard} The budget.")]
        assert text(trusted(found, (first[0].end, first[1].start), first)) == \
            f"{heard} The budget."
