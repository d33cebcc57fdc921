"""Punctuation health: each part is judged against what its own words would carry written out,
so a run-on lowercase stretch shows and a roll call's dense opening is no false alarm."""

from archivist.domain.punctuation import Names, density, expected, health


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


def test_a_roll_call_written_run_on_after_a_whole_opening_is_a_collapse():
    prose = PROSE.split() * 3
    whole = health(prose * 2 + ROLL.split() * 4 + prose * 2)
    assert whole.steady
    run_on = health(prose * 2 + [w.lower().strip(".") for w in ROLL.split()] * 4 + prose * 2)
    assert not run_on.steady
