"""Punctuation health: a drop to run-on lowercase text shows against the opening."""

from archivist.domain.punctuation import density, health


def test_density_counts_marks_and_sentence_capitals_but_not_i():
    d = density(" Good evening, everyone. I move we adjourn.".split())
    assert d.words == 7
    assert round(d.marks_per_100, 1) == round(3 * 100 / 7, 1)
    assert round(d.capitals_per_100, 1) == round(100 / 7, 1)   # "Good"; not "I"


def test_steady_text_is_steady_and_collapse_is_seen():
    sentence = "The council will now hear public comment, please come forward.".split()
    run_on = "yes council member lopez how will residents reach their driveways".split()
    steady = health(sentence * 30)
    assert steady.steady and steady.worst_share == 1.0
    drift = health(sentence * 15 + run_on * 15)
    assert not drift.steady and drift.worst_share == 0.0
    assert len(drift.parts) == 6


def test_short_or_empty_text_is_not_called_collapsed():
    assert health([]).steady
    assert len(health("Hello there.".split()).parts) == 1
