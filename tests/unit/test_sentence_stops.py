"""A sentence the model began with a capital after a pause, the one before left unended: the
stop is put back; names inside a sentence, and words that change, are not touched."""

from archivist.domain.models import Word
from archivist.domain.punctuation import Names, plain
from archivist.domain.sentence_stops import put_back, steps_ended


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
    """Dev 1001's close as tiny.en wrote it: the commas around each step become stops."""
    strung = [" " + w for w in ("Is there a motion to adjourn, so moved, second, all in favor, "
                                "this meeting is adjourned.").split()]
    out = steps_ended(strung)
    assert "".join(out) == (" Is there a motion to adjourn. So moved. Second. All in favor."
                            " This meeting is adjourned.")
    assert [plain(w) for w in out] == [plain(w) for w in strung]


def test_steps_not_set_off_by_the_model_are_left_alone():
    """Where the model's own marks do not bound a step, nothing says where it begins: "we
    are all in favor of it" is prose, and "second" as a number is no step."""
    for text in ("I move we say we are all in favor of the plan.",
                 "After the motion we heard the second report, and all in favor of it spoke.",
                 "Is there a motion to adjourn so moved second all in favor"):
        words = [" " + w for w in text.split()]
        assert steps_ended(words) == words
