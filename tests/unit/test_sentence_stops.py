"""A sentence the model began with a capital after a pause, the one before left unended: the
stop is put back; names inside a sentence, and words that change, are not touched."""

from archivist.domain.marks import plain
from archivist.domain.models import Word
from archivist.domain.punctuation import Names
from archivist.domain.sentence_stops import put_back, questions_ended, steps_ended


def _timed(*pieces: tuple[str, float]) -> list[Word]:
    """Words of each piece in a row, 0.3 s each, the piece after a pause of the given length."""
    words, t = [], 0.0
    for text, pause in pieces:
        t += pause
        for w in text.split():
            words.append(Word(t, t + 0.3, " " + w))
            t += 0.3
    return words


def test_a_capital_after_a_pause_ends_the_sentence_before():
    """Dev 2108 as tiny.en wrote it: "to order Will the clerk", "the report The estimated"."""
    heard = _timed(("I call this meeting to order", 0.0), ("Will the clerk please call", 1.6),
                   ("the roll", 0.0))
    out = put_back(heard, Names())
    assert "".join(out) == " I call this meeting to order. Will the clerk please call the roll"
    assert [plain(w) for w in out] == [plain(w.word) for w in heard]


def test_a_name_inside_a_sentence_is_left_alone():
    """No pause before our City Attorney; "I" after a pause is the speaker, not a sentence."""
    names = Names()
    names.add(" Yes, Attorney Murphy. Yes, City Attorney Murphy spoke.".split())
    heard = _timed(("we will hear from our City Attorney Murphy", 0.0), ("I think", 0.8))
    assert put_back(heard, names) == [w.word for w in heard]


def test_a_name_after_a_short_pause_is_left_alone_and_a_marked_word_kept():
    names = Names()
    names.add(" Yes, Member Lopez. Yes, Member Lopez spoke.".split())
    heard = _timed(("thank you council member", 0.0), ("Lopez for the question,", 0.35),
                   ("The clerk", 0.8))
    assert put_back(heard, names) == [w.word for w in heard]


def test_a_motions_steps_set_off_with_commas_are_sentences():
    """Dev 1001's close as tiny.en wrote it: the commas around each step become stops where
    another step or the answers follow ("all in favor, this meeting is adjourned" may be one
    sentence, as "all in favor, say aye" is)."""
    strung = [" " + w for w in ("Is there a motion to adjourn, so moved, second, all in favor, "
                                "this meeting is adjourned.").split()]
    out = steps_ended(strung)
    assert "".join(out) == (" Is there a motion to adjourn. So moved. Second. All in favor,"
                            " this meeting is adjourned.")
    voted = [" " + w for w in "Is there a motion? So moved, second, all in favor, aye.".split()]
    assert "".join(steps_ended(voted)) == " Is there a motion? So moved. Second. All in favor. Aye."
    assert [plain(w) for w in out] == [plain(w) for w in strung]


def test_steps_not_set_off_by_the_model_are_left_alone():
    """Where the model's own marks do not bound a step, nothing says where it begins: "we
    are all in favor of it" is prose, and "second" as a number is no step."""
    for text in ("I move we say we are all in favor of the plan.",
                 "After the motion we heard the second report, and all in favor of it spoke.",
                 "Is there a motion to adjourn so moved second all in favor"):
        words = [" " + w for w in text.split()]
        assert steps_ended(words) == words


def test_a_step_that_goes_on_as_a_sentence_is_left_alone():
    """The reviewer's sentences: a step followed by its own clause, and "second" that is no
    motion's (after "that we", or in a life story), keep their commas."""
    for text in ("Seeing none, we will move to item five",
                 "Hearing none, the motion carries",
                 "All in favor, say aye",
                 "I moved here in 2010, second, my kids went to school",
                 "I move that we, second, the motion",
                 "The motion to approve was made, second, we need to discuss it.",
                 "Motion carries, hearing none, we are adjourned."):
        words = [" " + w for w in text.split()]
        assert steps_ended(words) == words, text


def test_a_pause_inside_a_sentence_before_a_capital_is_no_stop():
    """The reviewer's sentences: a hesitation after a word no sentence ends on, before an
    acronym or a weekday, after closing quotes or a cut word: no stop is added."""
    names = Names()
    for pieces in ((("we met with", 0.0), ("Jennifer Lopez on Monday about it", 0.6)),
                   (("the meeting is on", 0.0), ("Monday the third", 0.6)),
                   (("we will fund the", 0.0), ("HVAC replacement", 0.6)),
                   (("the cost is $8,300,000", 0.0), ("OK", 0.6)),
                   (("he said \"We agree.\"", 0.0), ("The vote", 0.6)),
                   (("the contract (as signed.)", 0.0), ("The vote", 0.6)),
                   (("the con-", 0.0), ("Contract is here", 0.6)),
                   (("we will see\u2026", 0.0), ("The vote", 0.6))):
        heard = _timed(*pieces)
        assert put_back(heard, names) == [w.word for w in heard], pieces


def test_a_chairs_question_run_into_what_was_seen_is_ended():
    """tiny.en on dev 2108: "Is there any other business seeing none I will entertain"."""
    def written(text: str) -> str:
        words = [" " + w for w in text.split()]
        out = questions_ended(words)
        assert [plain(w) for w in out] == [plain(w) for w in words]
        return "".join(out).strip()

    assert written("adjourn. Is there any other business seeing none I will entertain a motion") == (
        "adjourn. Is there any other business? Seeing none, I will entertain a motion")
    assert written("Thank you. Is there anyone else seeing no one? I will close") == (
        "Thank you. Is there anyone else? Seeing no one? I will close")
    assert written("any discussion hearing none all in favor") == (
        "any discussion? Hearing none, all in favor")
    for text in ("Motion carries, hearing none, we are adjourned.",
                 "We waited and seeing none we left.",
                 "Is there a motion, seeing none we move on",
                 "Is there any other business? Seeing none, I will",
                 "The report is there. We are seeing none of it"):
        assert written(text) == text, text


def test_thank_you_before_a_capital_after_a_pause_is_a_sentence():
    """tiny.en on dev 2108: "Thank you My name is", 6 s apart; "you" otherwise ends no
    sentence the stop is put back for, and a name after it stays in the thanks."""
    heard = _timed(("Thank you", 0.0), ("My name is Karen", 6.0))
    assert "".join(put_back(heard, Names())) == " Thank you. My name is Karen"
    for pieces in ((("Thank you", 0.0), ("Mayor Grant", 0.6)),
                   (("I told you", 0.0), ("The vote", 0.6)),
                   (("Thank you,", 0.0), ("My name", 0.6))):
        heard = _timed(*pieces)
        assert put_back(heard, Names()) == [w.word for w in heard], pieces
