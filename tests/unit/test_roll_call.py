"""A roll call written run on is written out: each answer a sentence, the name before it ended,
names the recording capitalises elsewhere capitalised; no word changes, prose is left alone."""

from archivist.domain.marks import plain
from archivist.domain.punctuation import Names, density
from archivist.domain.roll_call import written_out


def _words(text: str) -> list[str]:
    return [" " + w for w in text.split()]


def _names(text: str) -> Names:
    names = Names()
    names.add(_words(text))
    return names


def _written(words: list[str]) -> str:
    """`words` written out, as one text."""
    return "".join(written_out(words, Names()))


def _left_alone(text: str, names: Names | None = None) -> bool:
    """True when `text` comes out of written_out word for word as it went in."""
    words = _words(text)
    return written_out(words, names or Names()) == words


def test_a_run_on_roll_call_is_written_out_word_for_word():
    run_on = _words("will the clerk please call the roll council member her air present "
                    "council member menseth present council member lindqvist present "
                    "mayor bergstrom present thank you we have a quorum")
    names = _names("Thank you, Council Member Lindqvist. We heard Council Member Lindqvist. "
                   "And Mayor Bergstrom spoke. Thanks, Mayor Bergstrom.")
    out = written_out(run_on, names)
    assert "".join(out) == (" will the clerk please call the roll Council Member her air. Present."
                            " Council Member menseth. Present. Council Member Lindqvist. Present."
                            " Mayor Bergstrom. Present. Thank you we have a quorum")
    assert [plain(w) for w in out] == [plain(w) for w in run_on]     # the same words
    assert all(o.startswith(" ") for o in out)                       # spaces kept
    assert density(out).per_100 > density(run_on).per_100


def test_a_roll_call_already_written_out_is_left_as_it_is():
    assert _left_alone("Council member Herrera. Present. Council member Mensah? Present. "
                       "Council member Castillo, present, Mayor Bergstrom. Here.")


def test_prose_that_says_present_or_here_is_left_alone():
    """Answers far apart, or fewer than three, are no roll call."""
    assert _left_alone("staff will present the report here tonight and we will hear from "
                       "residents who are present before the council votes on it here next week",
                       _names("The Council. The Council. Yes, Council."))
    assert _left_alone("council member lopez present council member anderson present thank you")


def test_a_vote_of_ayes_is_written_out_too():
    vote = _words("all in favor aye aye aye any opposed")
    assert _written(vote) == " all in favor. Aye. Aye. Aye. Any opposed"


def test_a_roll_call_the_model_punctuated_its_own_way_is_left_as_it_is():
    """Commas between the answers are the model's reading: no stop is forced between a name and
    its answer there (dev 2102: "Chuck Estee, or present?")."""
    assert _left_alone("commission of Whitaker, present, commission of Ramirez, present, "
                       "Chuck Estee, or present? Thank you.",
                       _names("Yes, Whitaker spoke. Yes, Whitaker voted."))


def test_punctuated_sentences_with_three_answers_are_left_alone():
    """Answers close together in an ordinary sentence are no roll call: the words around them
    are not names, or the model punctuated them itself."""
    for text in ("Those present and voting aye are here with us today.",
                 "The mayor is here, the clerk is present, and the attorney is here as well."):
        assert _left_alone(text, _names("Yes, Mayor Lopez. Yes, Mayor Lopez."))


def test_answers_with_a_sentence_ended_among_them_are_left_alone():
    assert _left_alone("council member lopez present. council member anderson present "
                       "council member kim present")


def test_dev_2108s_opening_roll_call_as_tiny_en_writes_it_is_written_out():
    """Names heard as other words ("cast you", "length this") are still names."""
    opening = _words("Will the clerk please call the rule? Council member her air present "
                     "council member menseth present council member length this present "
                     "council member cast you present mayor Bergstrom present Thank you.")
    assert _written(opening) == (
        " Will the clerk please call the rule? Council member her air. Present. Council member"
        " menseth. Present. Council member length this. Present. Council member cast you."
        " Present. Mayor Bergstrom. Present. Thank you.")


def test_a_vote_heard_as_other_words_after_the_call_is_written_out():
    """A closing vote with its names heard as other words and its "Aye" written "I" ("Herrera?
    Aye." as "her air I"): after the call, each answer a sentence, the name before it ended;
    no word changes."""
    for heard in ("Seconded. The clerk will call the roll her air I mensith I blend this I "
                  "cast you I the motion carries four to zero.",
                  "Seconded. The clerk will call the roll. Her air I mensith I blend this I "
                  "cast you I. The motion carries four to zero."):
        vote = _words(heard)
        out = written_out(vote, Names())
        assert "".join(out) == (
            " Seconded. The clerk will call the roll. Her air. I. Mensith. I. Blend this. I."
            " Cast you. I. The motion carries four to zero.")
        assert [plain(w) for w in out] == [plain(w) for w in vote]


def test_a_vote_written_out_by_the_model_is_left_as_it_is():
    vote = _words("The clerk will call the roll. Herrera? Aye. Mensah? Aye. Lindqvist? Aye.")
    assert written_out(vote, Names()) == vote


def test_i_in_prose_is_no_vote():
    """Without the call, or where the sentence goes on after it, "I" is the speaker."""
    for text in ("i think i said i would i know",
                 "Before I call the roll, I want to say I think I heard you.",
                 "we will call the roll later tonight when everyone is back in the room"):
        prose = _words(text)
        assert written_out(prose, Names()) == prose


def test_a_vote_whose_names_the_model_ended_but_not_its_answers_is_written_out():
    """A second try lent a vote stops after the names only: "Her air. yes Mensith."."""
    vote = _words("The clerk will call the roll. Her air. yes Mensith. I blend this. I cast "
                  "you. no. The motion carries.")
    assert _written(vote) == (
        " The clerk will call the roll. Her air. Yes. Mensith. I. Blend this. I. Cast you. No."
        " The motion carries.")
    # The call not ended, the first name's capital after it.
    vote = _words("Second The clerk will call the roll Her air. yes Mensith. I blend this. I "
                  "cast you. yes The motion carries for to zero.")
    assert _written(vote) == (
        " Second The clerk will call the roll. Her air. Yes. Mensith. I. Blend this. I. Cast"
        " you. Yes. The motion carries for to zero.")


def test_a_small_models_mishearings_of_a_vote_are_left_as_they_are():
    """tiny.en's "high" for "Aye" and "call the rule" (dev 2108) are its own, and ordinary
    words: no vote is written out of them."""
    for text in ("The clerk will call the roll her air high mensith high cast you high the "
                 "motion carries.",
                 "The clerk will call the rule her air I mensith I cast you I the motion "
                 "carries."):
        assert _left_alone(text), text


def test_i_and_yes_or_no_after_the_call_in_prose_are_no_vote():
    """The reviewer's sentences: after the call, "I" is the speaker where a name stands before
    no answer, or a word the speaker says follows it ("I know", "I said"); a vote said in a
    roll call's shape is still written out."""
    names = _names("Yes, Madam Clerk. Yes, Madam Clerk.")
    for text in ("Madam Clerk, please call the roll. I know I said I would wait but I think we "
                 "can go ahead now",
                 "Before we call the roll I want to say I am proud and I hope you are too",
                 "we will call the roll in a moment. Hi everyone, I hope I see you all",
                 "Before I call the roll I think we need to hear yes or no on the high school.",
                 "Let me call the role of the high school in this, no, the role of yes men.",
                 "the clerk will call the roll. I think I know I said no"):
        assert _left_alone(text, names), text
    vote = _words("Okay, call the roll. Smith yes Jones no Lee yes")
    assert _written(vote) == (
        " Okay, call the roll. Smith. Yes. Jones. No. Lee. Yes.")


def test_i_before_a_vote_word_and_the_chairs_talk_after_the_call_are_no_vote():
    """The reviewer's sentences: "I" before a vote's word ("i vote yes", "i abstain", "i
    object") is the speaker, never a vote's "Aye"; and an answer the chair's talk follows ("yes
    thank you", "no problem", "eye on", "no then") is no vote's answer but at the vote's end."""
    for text in ("the clerk will call the roll smith i vote yes jones i vote no lee i vote yes",
                 "please call the roll before that mayor yes thank you no problem council member "
                 "yes go ahead",
                 "please call the roll keep your eye on smith yes jones no",
                 "please call the roll is there any objection no then smith yes jones yes"):
        assert _left_alone(text), text
    for text, written in (
            ("call the roll smith yes jones no lee yes kim i abstain and the motion carries",
             " call the roll. Smith. Yes. Jones. No. Lee. Yes. Kim i abstain and the motion"
             " carries"),
            ("call the roll smith yes jones no lee yes kim i object to that mayor",
             " call the roll. Smith. Yes. Jones. No. Lee. Yes. Kim i object to that mayor")):
        assert _written(_words(text)) == written, text
    # A vote the motion's close follows is still written out.
    vote = _words("the clerk will call the roll smith yes jones no lee yes the motion carries")
    assert _written(vote) == (
        " the clerk will call the roll. Smith. Yes. Jones. No. Lee. Yes. The motion carries")


def test_the_clerks_yes_to_the_call_is_no_vote_and_the_vote_after_it_is_written_out():
    """The clerk answers the chair's call ("Yes.") before the first name: a sentence of its
    own, not one of the vote's answers, and the vote after it is still a vote."""
    vote = _words("The clerk will call the roll yes smith aye jones no lee aye the motion carries")
    assert _written(vote) == (
        " The clerk will call the roll. Yes. Smith. Aye. Jones. No. Lee. Aye. The motion carries")
    # Its "Yes." alone, or with prose after it, is no vote.
    for text in ("the clerk will call the roll yes I know I said I would",
                 "call the roll yes thank you and then we go on"):
        assert _left_alone(text), text


def test_a_vote_whose_first_name_comes_after_the_clerks_few_words_is_written_out():
    """The clerk may say a few words before the first name ("thank you mayor", a title and a
    long name): the first answer may be further from the call than one answer from the next."""
    vote = _words("The clerk will call the roll thank you mayor council member van der berg aye "
                  "council member lee aye mayor kim no the motion carries")
    assert _written(vote) == (
        " The clerk will call the roll. Thank you mayor council member van der berg. Aye."
        " Council member lee. Aye. Mayor kim. No. The motion carries")


def test_the_chair_asking_for_yes_or_no_is_no_answer_and_the_vote_after_it_is_written_out():
    """"Please answer yes or no" after the call is the chair's request, not two answers: the
    vote that follows it is written out, the request a sentence of its own."""
    vote = _words("The clerk will call the roll please answer yes or no smith yes jones no lee "
                  "yes the motion carries")
    assert _written(vote) == (
        " The clerk will call the roll. Please answer yes or no. Smith. Yes. Jones. No. Lee."
        " Yes. The motion carries")
    vote = _words("please call the roll please answer yes or no on the motion smith yes jones no "
                  "lee yes")
    assert _written(vote) == (
        " please call the roll. Please answer yes or no on the motion. Smith. Yes. Jones. No."
        " Lee. Yes.")
    assert _left_alone("the clerk will call the roll please answer yes or no when your name is "
                       "called and we will go on from there")


def test_a_roll_call_ends_where_the_chairs_talk_begins():
    """The chair's talk after the last answer ("thank you, we are all here") is no part of the
    roll call, and does not keep the roll call from being written out."""
    roll = _words("council member lopez present council member anderson present mayor grant "
                  "present thank you we are all here tonight")
    assert _written(roll) == (
        " council member lopez. Present. Council member anderson. Present. Mayor grant. Present."
        " Thank you we are all here tonight")


def test_a_call_whose_sentence_goes_on_ends_at_the_first_name_not_at_roll():
    """"Call the roll on item seven ..." is one sentence up to the first name: no stop after
    "roll" (the sentence went on), the stop before the name."""
    vote = _words("madam clerk would you please call the roll on item seven which is the budget "
                  "smith aye jones aye lee aye")
    assert _written(vote) == (
        " madam clerk would you please call the roll on item seven which is the budget. Smith."
        " Aye. Jones. Aye. Lee. Aye.")
    vote = _words("please call the roll and answer yes or no council member smith yes jones no "
                  "lee yes motion carries")
    assert _written(vote) == (
        " please call the roll and answer yes or no. Council member smith. Yes. Jones. No. Lee."
        " Yes. Motion carries")


def test_an_account_of_how_each_voted_is_no_vote():
    """"Smith said no": a resident telling how each voted, not the clerk calling the roll."""
    assert _left_alone("when they call the roll yes smith said no jones said yes lee said no")
    assert _left_alone("after they call the roll smith voted no jones votes yes lee says no")


def test_the_clerks_yeah_to_the_call_is_a_sentence_of_its_own():
    vote = _words("call the roll yeah smith aye jones aye lee aye")
    assert _written(vote) == (
        " call the roll. Yeah. Smith. Aye. Jones. Aye. Lee. Aye.")
