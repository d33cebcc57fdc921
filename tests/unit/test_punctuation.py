"""Punctuation health: each part is judged against what its own words would carry written out,
so a run-on lowercase stretch shows and a roll call's dense opening is no false alarm."""

import pytest

from archivist.domain.punctuation import Names, density, expected, health, sentence_words
from archivist.domain.votes import motion_steps, votes


def test_density_counts_marks_and_sentence_capitals_but_not_i():
    d = density(" Good evening, everyone. I move we adjourn.".split())
    assert d.words == 7
    assert round(d.marks_per_100, 1) == round(3 * 100 / 7, 1)
    assert round(d.capitals_per_100, 1) == round(100 / 7, 1)   # "Good"; not "I"


def test_steady_text_is_steady_and_collapse_is_seen():
    sentence = "The council will now hear public comment, please come forward.".split()
    run_on = "yes council member lopez how will residents reach their driveways".split()
    steady = health(sentence * 30)
    assert steady.steady and steady.worst_share > 0.8
    drift = health(sentence * 15 + run_on * 15)
    assert not drift.steady and drift.worst_share == 0.0
    assert len(drift.parts) == 6


def test_a_dense_roll_call_opening_is_no_false_alarm():
    """Names and one-word answers open the meeting (120 marks and capitals per 100 words);
    the business after it is plainer prose, and whole: steady."""
    roll = ("Will the clerk please call the roll? Council Member Anderson? Present. Council "
            "Member Lopez? Present. Council Member Nguyen? Present. Mayor Brooks? Present.").split()
    prose = ("Thank you, Mayor. The next item is the budget for the water main on Maple Street. "
             "The committee reviewed it last week, and it now comes to the council. Are there "
             "any questions? Yes, we heard from residents about the cost.").split()
    found = health(roll * 3 + prose * 12)
    assert found.parts[0].per_100 > 2 * found.parts[-1].per_100   # the opening is far denser
    assert found.steady
    collapsed = health(roll * 3 + prose * 6 + [w.lower().strip(".,?") for w in prose * 6])
    assert not collapsed.steady


def test_names_the_recording_capitalises_raise_what_a_stretch_should_carry():
    names = Names()
    names.add("Thank you, Council Member Anderson. Yes, Member Anderson agrees.".split())
    plain = "we will hear from the public now and then vote".split()
    named = "we will hear from member anderson now and then vote".split()
    assert "anderson" in names and "Anderson?" in names and "thank" not in names
    assert expected(named, names) > expected(plain, names)


def test_a_word_written_with_a_capital_once_or_twice_in_many_is_no_name():
    """A model that writes "The" or "Member" after a comma a couple of times has not named them:
    counting them would raise what every stretch is expected to carry."""
    names = Names()
    names.add(("Yes, The vote. Yes, Member Lopez. " + "I heard the member and the clerk. " * 10
               + "Ask Lopez. " * 2).split())
    assert "the" not in names and "member" not in names and "lopez" in names


def test_short_or_empty_text_is_not_called_collapsed():
    assert health([]).steady
    assert len(health("Hello there.".split()).parts) == 1


ROLL = ("Council member Herrera. Present. Council member Mensah. Present. Council member "
        "Lindqvist. Present. Mayor Bergstrom. Present.")
PROSE = ("Thank you, Mayor. The next item is the budget for the water main on Maple Street. "
         "The committee reviewed it last week, and it now comes to the council.")


def test_a_roll_calls_answers_are_sentences_of_their_own():
    """Written out, a roll call is a sentence a name and one an answer: run on, it carries far
    less than that, written out as the script has it, about what it should."""
    names = Names()
    written = ROLL.split()
    run_on = [w.lower().strip(".") for w in written]
    assert density(run_on).per_100 < 0.6 * expected(run_on, names)
    assert density(written).per_100 >= expected(written, names)
    # "present" as a verb, once, is no roll call.
    once = "We will present the budget to the council next week and then vote".split()
    assert expected(once, names) == expected([w for w in once if w != "present"] + ["report"], names)


def test_a_model_repeating_present_is_not_called_collapsed():
    """A roll-call loop ("Present." over and over) says no names: each answer is one sentence,
    not two (the loop itself is the guards' business, and is noted)."""
    loop = ["Present."] * 60
    assert density(loop).per_100 >= expected(loop, Names())


def test_a_loop_of_answers_is_judged_as_the_talk_it_stands_for():
    """Held 2203, tiny.en: "Present." said over a whole roll call and the talk after it, some
    of it without its stop. The loop's words stand for speech they do not say, mostly prose:
    asked an answer's sentence each, its sixth was called collapsed where the script over the
    same time carries a third of what it has (a false alarm). A loop with no marks at all is
    still a collapse."""
    prose = PROSE.split() * 2
    opening = "Commissioner Lindquist. Present.".split()
    half_marked = ["Present.", "present"] * 30
    assert health(opening + half_marked + prose * 5).steady
    assert not health(opening + ["present"] * 60 + prose * 5).steady


def test_a_roll_call_written_run_on_after_a_whole_opening_is_a_collapse():
    prose = PROSE.split() * 3
    whole = health(prose * 2 + ROLL.split() * 4 + prose * 2)
    assert whole.steady
    run_on = health(prose * 2 + [w.lower().strip(".") for w in ROLL.split()] * 4 + prose * 2)
    assert not run_on.steady


VOTE = ("The clerk will call the roll. Herrera? Aye. Mensah? Aye. Lindqvist? Aye. Castillo? "
        "Aye. The motion carries, four to zero.")


def test_a_vote_heard_as_other_words_and_written_run_on_is_a_collapse():
    """A vote's "Aye" written "I" and its names heard as other words ("Herrera? Aye." as "her
    air I"): after the call, those are the vote's answers, and a vote written run on carries
    far less than its words would written out."""
    names = Names()
    run_on = ("The clerk will call the roll her air I mensith I blend this I cast you I "
              "the motion carries four to zero.").split()
    written = ("The clerk will call the roll. Her air. I. Mensith. I. Blend this. I. Cast "
               "you. I. The motion carries four to zero.").split()
    assert density(run_on).per_100 < 0.6 * expected(run_on, names)
    assert density(written).per_100 >= 0.68 * expected(written, names)
    assert density(VOTE.split()).per_100 >= expected(VOTE.split(), names)
    assert not health(PROSE.split() * 4 + run_on * 2 + PROSE.split() * 6).steady


def test_long_sentences_well_punctuated_are_no_false_alarm():
    """A staff report read in long sentences (dev 1002: 13-20 words each) carries fewer marks
    than meeting talk; judged at the recording's own sentence length, it is steady, and a
    collapse in it still shows."""
    report = ("The district expects enrollment to decline by about two percent next year, "
              "which means the budget must be planned carefully over the coming months. Staff "
              "reviewed three options for the elementary schools and the middle school, and "
              "we recommend the second option because it fits the enrollment forecast.").split()
    assert sentence_words(report * 6) > 12 - 0.01
    assert health(report * 6).steady
    assert not health(report * 4 + [w.lower().strip(".,") for w in report] * 2).steady
    talk = "Thank you. The motion carries. Is there any other business? Seeing none.".split()
    assert sentence_words(talk * 20) == 8   # meeting talk: at least the usual length


def test_a_motions_steps_strung_with_commas_are_a_collapse_in_long_sentences():
    """Dev 1001's close as tiny.en wrote it: a staff report in long sentences, then a motion's
    steps (second, any discussion, all in favor) strung with commas, which written out are
    sentences of their own."""
    report = ("The district expects enrollment to decline by about two percent next year, "
              "which means the budget must be planned carefully over the coming months.").split()
    strung = ("Is there a motion to approve the resolution, second, any discussion hearing "
              "none all in favor the resolution is adopted. Is there a motion to adjourn, so "
              "moved, second, all in favor, this meeting is adjourned.").split()
    written = ("Is there a motion to approve the resolution? Second. Any discussion? Hearing "
               "none. All in favor. The resolution is adopted. Is there a motion to adjourn? So "
               "moved. Second. All in favor. This meeting is adjourned.").split()
    assert not health(report * 20 + strung * 3).steady
    assert health(report * 20 + written * 3).steady


def test_second_as_a_number_is_no_step_of_a_motion():
    names = Names()
    ordinal = "I move we adopt the second option and hear the second reading next".split()
    assert expected(ordinal, names) == expected(
        [w.replace("second", "third") for w in ordinal], names)


def test_i_after_the_call_in_prose_is_no_vote():
    """The reviewer's sentence: "I know I said I would" after the call is the speaker."""
    said = ("Madam Clerk, please call the roll. I know I said I would wait but I think we can go "
            "ahead now").split()
    assert votes(said) == []
    heard = "The clerk will call the roll her air I mensith eye blend this I cast you I".split()
    assert len(votes(heard)) == 1


def test_only_a_votes_own_answers_count_not_a_small_models_mishearings():
    """tiny.en hears dev 2108's "Aye" as "high" and "call the roll" as "call the rule": those
    are its own, and ordinary words, so they make no vote (the vote's answers said as "I" or
    "yes" do)."""
    assert votes("The clerk will call the roll her air high mensith I blend this I cast you "
                 "high".split()) == []
    assert votes("Please call the rule her air I mensith I cast you I".split()) == []
    assert len(votes("Please call the roll. Smith yes Jones no Lee yes Kim abstain".split())) == 1
    # A name before each answer: not a word no name ends on ("and I", "is no").
    assert votes("We call the roll and I said the answer is no and yes".split()) == []


def test_second_after_a_motion_left_open_is_no_step():
    assert motion_steps("i move that we second the motion".split()) == []
    assert motion_steps("i move we approve the budget second".split()) == [(6, 1)]


def test_a_vote_written_out_with_i_is_judged_as_one_written_with_aye():
    """density() counts no "I" as a capital, so a vote's "I." is asked for no capital either:
    written out with "I" or with "Aye", it is judged the same against what it carries."""
    names = Names()
    with_i = ("The clerk will call the roll. Her air. I. Mensith. I. Blend this. I. Cast "
              "you. I. The motion carries four to zero.").split()
    with_aye = [w.replace("I.", "Aye.") for w in with_i]
    assert votes(with_i) and votes(with_aye)
    assert (density(with_i).per_100 - expected(with_i, names)) == pytest.approx(
        density(with_aye).per_100 - expected(with_aye, names))


def test_i_with_a_mark_after_it_is_no_capital_either():
    """"I." and "I," are "I" as much as "I" is: no sentence capital, and no name."""
    assert density(" and so do I. yes I, for one".split()).capitals_per_100 == 0
    names = Names()
    names.add("Yes, I, for one, agree. And I, too, agree. Then I, like I, do".split())
    assert "I" not in names
