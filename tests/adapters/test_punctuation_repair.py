"""Where punctuation collapses, the stretch is decoded again (adapters/whisper/decoding.py, watch.py): when the
watch raises it, and how a second try lends its marks to the first try's words."""

from __future__ import annotations

from archivist.adapters.whisper.watch import (
    PunctuationWatch,
    collapsed_runs,
    marked_like,
    roll_calls_written_out,
    vocabulary_cased,
)
from archivist.domain.models import Segment, Word
from archivist.domain.punctuation import density


def said(start: float, text: str) -> Segment:
    words = tuple(Word(start + i * 0.4, start + i * 0.4 + 0.3, " " + w) for i, w in enumerate(text.split()))
    return Segment(start, words[-1].end, text, words)


GOOD = "Thank you, Mayor. The project will replace the water main. Is there a motion?"
RUN_ON = "yes council member lopez how will residents reach their driveways during construction we will"
PUNCTUATED = "Yes, Council member Lopez. How will residents reach their driveways during construction? We will"


def watched(segments: list[Segment]) -> list[tuple[int, int]]:
    """(segments heard so far, where the collapse begins) each time the watch raises one."""
    watch, raised = PunctuationWatch(), []
    for n in range(1, len(segments) + 1):
        first = watch.collapse(segments[:n])
        if first is not None:
            raised.append((n, first))
    return raised


def test_a_collapse_is_raised_once_at_its_start() -> None:
    heard = [said(i * 6.0, GOOD) for i in range(12)] + [said(72.0 + i * 6.0, RUN_ON) for i in range(20)]
    raised = watched(heard)
    assert raised, "a run-on stretch after well-punctuated ones is a collapse"
    n, first = raised[0]
    # Where the words that fell below the floor begin: at most a segment early.
    assert 11 <= first < n and all(s.text == RUN_ON for s in heard[12:n])
    # Not again for the same stretch: the next try waits for as many words again.
    assert all(later_n - n >= 8 for later_n, _ in raised[1:])


def test_a_short_lapse_is_no_collapse() -> None:
    """In noise the model writes a stretch in lowercase and comes back by itself."""
    lapse = [said(72.0 + i * 6.0, RUN_ON) for i in range(4)]   # 56 words
    heard = [said(i * 6.0, GOOD) for i in range(12)] + lapse + [said(96.0 + i * 6.0, GOOD) for i in range(12)]
    assert watched(heard) == []


def test_steady_text_and_a_punctuated_opening_raise_nothing() -> None:
    assert watched([said(i * 6.0, GOOD) for i in range(40)]) == []
    # A roll call, all names and "Present.", then ordinary speech: no collapse.
    roll = [said(i * 3.0, "Council member Lopez. Present. Mayor Grant. Present.") for i in range(10)]
    assert watched(roll + [said(30.0 + i * 6.0, GOOD) for i in range(20)]) == []


ROLL_RUN_ON = ("council member herrera present council member mensah present council member "
               "lindqvist present mayor bergstrom present")
ROLL = ("Council member Herrera. Present. Council member Mensah. Present. Council member "
        "Lindqvist. Present. Mayor Bergstrom. Present.")


def text_of(segments: list[Segment]) -> list[str]:
    return [w.word for s in segments for w in s.words]


def test_an_opening_written_run_on_is_found_at_the_end_though_the_watch_never_raises_it() -> None:
    """The model starts with no text before it and may write the opening run on, then come
    back by itself: the latest runs never show it; the report's judgement, at the end, does."""
    opening = [said(i * 6.0, ROLL_RUN_ON) for i in range(8)]           # 128 words
    heard = opening + [said(48.0 + i * 6.0, GOOD) for i in range(40)]
    assert watched(heard) == []
    found = collapsed_runs(text_of(heard))
    assert found and found[0][0] == 0 and found[-1][1] <= 128 + 14   # the roll call's words
    assert collapsed_runs(text_of([said(i * 6.0, ROLL) for i in range(8)]
                                  + [said(48.0 + i * 6.0, GOOD) for i in range(40)])) == []


def test_only_the_run_on_runs_of_a_collapsed_sixth_are_found() -> None:
    """A roll call written run on in a sixth of otherwise whole sentences (dev 1003): only its
    runs are decoded again, not the sixth's well-heard words."""
    whole = [said(i * 6.0, GOOD) for i in range(60)]                    # 840 words
    roll = [said(360.0 + i * 6.0, ROLL_RUN_ON) for i in range(6)]       # 96 words
    heard = whole[:40] + roll + whole[40:]
    found = collapsed_runs(text_of(heard))
    assert found, "the sixth with the run-on roll call falls short of what its words carry"
    assert all(lo >= 560 - 60 and hi <= 560 + 96 + 60 for lo, hi in found)
    assert collapsed_runs(text_of(whole)) == []


def test_a_second_try_lends_its_marks_to_the_first_tries_words() -> None:
    """Where the two tries say the same words, the first's words take the second's capitals and
    marks; where they differ, the first's words stay, as heard with the text before them."""
    first = [said(0.0, "yes council member lopez how will residents reach their driveways"),
             said(5.0, "during construction we will")]
    second = [Word(i * 0.5, i * 0.5 + 0.3, " " + w, 0.5) for i, w in enumerate(
        ("Yes, Council member Lopez. How will residence reach their driveways "
         "during construction? We will").split())]
    marked = marked_like(first, second)
    assert [s.text for s in marked] == [
        "Yes, Council member Lopez. How will residents reach their driveways",
        "during construction? We will"]
    assert [w.start for s in marked for w in s.words] == [w.start for s in first for w in s.words]
    assert [w.probability for s in marked for w in s.words] == [
        w.probability for s in first for w in s.words]
    assert (density([w.word for s in marked for w in s.words]).per_100
            > density([w.word for s in first for w in s.words]).per_100)


def test_a_second_try_changes_no_word_only_its_marks() -> None:
    """"its" and "it's", "well" and "we'll" are different words, not a mark apart: the first
    try's word stays where the second try heard another."""
    first = [said(0.0, "well its on the agenda")]
    second = [Word(i * 0.5, i * 0.5 + 0.3, " " + w, 0.5)
              for i, w in enumerate("We'll, it's on the agenda.".split())]
    assert [s.text for s in marked_like(first, second)] == ["well its on the agenda."]


def test_a_second_try_keeps_how_the_first_joined_a_words_pieces() -> None:
    """tiny.en writes "short-term" as " short" "-term" (a piece glued on with its hyphen): a
    second try that writes " term" apart lends its marks, not its join, so the word stays
    "short-term" ("shortterm" cost held 2208 two word errors against bare faster-whisper)."""
    pieces = (" an", " ordinance", " on", " short", "-term", " rentals", " and", " one", "-hour")
    first = [Segment(0.0, 4.0, "".join(pieces).strip(),
                     tuple(Word(i * 0.4, i * 0.4 + 0.3, p) for i, p in enumerate(pieces)))]
    second = [Word(i * 0.4, i * 0.4 + 0.3, w) for i, w in enumerate(
        (" An", " ordinance", " on", " short", " term", " rentals", " and", " one", " -", "hour."))]
    assert [s.text for s in marked_like(first, second)] == [
        "An ordinance on short-term rentals and one-hour."]
    # Nor does the second try's hyphen glue words the first try wrote apart.
    apart = [said(0.0, "short term rentals")]
    glued = [Word(0.0, 0.3, " Short"), Word(0.4, 0.7, "-term"), Word(0.8, 1.1, " rentals.")]
    assert [s.text for s in marked_like(apart, glued)] == ["Short term rentals."]
    # A quote the second try opens a word with is a mark it lends, not a join.
    quoted = [Word(0.0, 0.3, " he"), Word(0.4, 0.7, " said"), Word(0.8, 1.1, '"Hello."')]
    assert [s.text for s in marked_like([said(0.0, "he said hello")], quoted)] == [
        'he said "Hello."']


def test_a_resumed_job_is_judged_whole_and_only_its_own_decoding_is_tried_again() -> None:
    """A worker restarted mid-job: the end's judgement reads the segments the earlier attempt
    kept too, and a collapse in them (decoded by that attempt) is not decoded again here."""
    from archivist.adapters.whisper.decoding import Recognition

    tried: list[tuple[int, int | None]] = []
    recognition = object.__new__(Recognition)
    recognition._again = lambda kept, first, end=None: tried.append((first, end)) or False  # type: ignore[method-assign]
    whole = [said(i * 6.0, GOOD) for i in range(60)]
    roll = [said(360.0 + i * 6.0, ROLL_RUN_ON) for i in range(6)]
    assert collapsed_runs(text_of(whole[:40] + roll + whole[40:]))   # the whole has a collapse
    recognition._mended([(s.start, s) for s in whole[40:]], before=whole[:40] + roll)
    assert tried == []   # all of it in what the earlier attempt kept
    # The same run-on roll call decoded in this run is tried again, by its place in this run.
    recognition._mended([(s.start, s) for s in roll + whole[40:]], before=whole[:40])
    assert tried and all(0 <= first < (end or 0) <= 6 + 5 for first, end in tried)


def test_a_run_on_roll_call_is_written_out_in_its_segments_words_and_times_kept() -> None:
    """No second try mends a roll call the model writes run on even alone (dev 2108's opening):
    its shape does, across segments, and the words and their times stay as heard."""
    heard = [said(0.0, "will the clerk please call the roll council member her air present"),
             said(6.0, "council member menseth present mayor bergstrom present"),
             said(10.0, "thank you we have a quorum")]
    written = roll_calls_written_out(heard)
    assert [s.text for s in written] == [
        "will the clerk please call the roll council member her air. Present.",
        "Council member menseth. Present. Mayor bergstrom. Present.",
        "Thank you we have a quorum"]
    assert ([(w.start, w.end) for s in written for w in s.words]
            == [(w.start, w.end) for s in heard for w in s.words])


def test_the_stations_vocabulary_is_written_as_typed_words_and_times_kept() -> None:
    heard = [said(0.0, "a grant for veterans memorial field"), said(4.0, "thank you")]
    written = vocabulary_cased(heard, ["Veterans Memorial Field"])
    assert [s.text for s in written] == ["a grant for Veterans Memorial Field", "thank you"]
    assert ([(w.start, w.end) for s in written for w in s.words]
            == [(w.start, w.end) for s in heard for w in s.words])


def test_an_everyday_word_in_the_vocabulary_keeps_its_case_where_it_names_nobody() -> None:
    """Review 1, item 2: vocabulary "Grant", "Park" wrote "the Grant will Park the car"."""
    heard = [said(0.0, "the grant will park the car"), said(4.0, "thank you mayor grant")]
    written = vocabulary_cased(heard, ["Grant", "Park", "Oyelaran"], {"grant", "park"}.__contains__)
    assert [s.text for s in written] == ["the grant will park the car", "thank you mayor Grant"]
