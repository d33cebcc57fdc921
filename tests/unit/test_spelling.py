"""American spelling of the British spellings a model writes ("All those in favour"): the word's
case and marks kept, the station's vocabulary as typed, and words that are American too left
alone; `as_heard` changes nothing."""

from __future__ import annotations

import pytest

from archivist.domain.errors import ConfigError
from archivist.domain.spelling import AMERICAN, AS_HEARD, SPELLINGS, Spelling, american


def test_the_words_tiny_en_writes_british_read_american():
    assert american("All those in favour?") == "All those in favor?"
    assert american(" neighbour") == " neighbor"
    assert american("the harbour centre's licence") == "the harbor center's license"
    assert american("organisation, recognised, prioritising, summarisation") == (
        "organization, recognized, prioritizing, summarization")
    assert american("favours favoured favouring favourable favourably favourite") == (
        "favors favored favoring favorable favorably favorite")
    assert american("the neighbourhood's behaviour, its colourful labourers") == (
        "the neighborhood's behavior, its colorful laborers")
    assert american("a two-storey programme") == "a two-story program"
    assert american("three storeys, four kilometres, two litres") == (
        "three stories, four kilometers, two liters")
    assert american("travelled, cancelled, modelling, labelled, counsellor") == (
        "traveled, canceled, modeling, labeled, counselor")
    assert american("judgement, ageing, catalogue, analyse, paralysed") == (
        "judgment, aging, catalog, analyze, paralyzed")
    assert american("enrolment, instalment, fulfil, jewellery, aluminium, grey") == (
        "enrollment, installment, fulfill, jewelry, aluminum, gray")
    assert american("defence, offence, pretence, cheque, kerb, tyre") == (
        "defense, offense, pretense, check, curb, tire")
    assert american("paediatric anaesthetic, oestrogen, manoeuvre, mould, plough") == (
        "pediatric anesthetic, estrogen, maneuver, mold, plow")
    assert american("the councillor will practise") == "the councilor will practice"


def test_the_words_case_and_marks_are_kept():
    assert american("Favour") == "Favor"
    assert american("FAVOUR") == "FAVOR"
    assert american(" favour.") == " favor."
    assert american("favour,") == "favor,"
    assert american("‘“centre”’") == "‘“center”’"
    assert american("(neighbour's)") == "(neighbor's)"
    assert american("Neighbour’s") == "Neighbor’s"
    assert american("organisation-wide") == "organization-wide"
    assert american(">> Favour") == ">> Favor"


def test_a_word_written_in_mixed_case_is_a_name_and_stays():
    assert american("McFavour") == "McFavour"
    assert american("FaVoUr") == "FaVoUr"


def test_words_that_are_american_too_never_change():
    text = ("rise advise exercise premise promise compromise franchise enterprise surprise "
            "revise devise supervise comprise televise advertise merchandise expertise "
            "precise concise otherwise praise raise noise cruise arise despise improvise "
            "dialogue acre massacre mediocre genre ogre cancellation program tire tonne disc "
            "analyses paralyses hour four pour tour your flour sour course source glamour "
            "programming programmed fulfilled enrolled installed licensed license licensee "
            "practice aesthetic archaeology 2024 1st")
    assert american(text) == text
    assert american(text.upper()) == text.upper()


def test_numbers_stay():
    assert american("Item 4.2, 10 metres at 6:30") == "Item 4.2, 10 meters at 6:30"


def test_a_term_of_the_stations_vocabulary_keeps_its_spelling():
    spelled = Spelling(AMERICAN, vocabulary=["Harbour Grace", "Centre Street"])
    assert spelled("welcome to Harbour Grace, on Centre Street") == (
        "welcome to Harbour Grace, on Centre Street")
    assert spelled("harbour grace's centre street.") == "harbour grace's centre street."
    # Elsewhere its words are everyday words, written as the station spells them.
    assert spelled("the harbour centre is in favour") == "the harbor center is in favor"
    assert spelled.words([" Harbour", " Grace's", " harbour,", " Centre", " street"]) == [
        " Harbour", " Grace's", " harbor,", " Centre", " street"]


def test_as_heard_leaves_every_word_as_the_model_wrote_it():
    spelled = Spelling(AS_HEARD)
    assert spelled("All those in favour of the harbour centre") == (
        "All those in favour of the harbour centre")


def test_a_spelling_nobody_writes_is_refused_naming_the_choices():
    assert SPELLINGS == ("american", "as_heard")
    with pytest.raises(ConfigError, match="american, as_heard"):
        Spelling("americn")


def test_a_word_that_is_a_surname_too_changes_only_in_lowercase():
    assert american("Mr. Grey wore grey") == "Mr. Grey wore gray"


@pytest.mark.parametrize("said", [
    "Justice for Tyre Nichols.",           # a name: Memphis, 2023
    "The Town of Tyre, in Seneca County",  # Tyre, New York
    "Welcome to Sulphur Springs.",         # Sulphur Springs, Texas; Sulphur, Louisiana
    "White Sulphur Springs",               # West Virginia
    "Sabre is the city's largest employer",  # Sabre, in Southlake, Texas
])
def test_an_american_name_spelt_the_british_way_stays(said):
    assert american(said) == said
    assert american(said.upper()) == said.upper()


def test_the_everyday_words_of_those_names_still_read_american():
    assert american("a flat tyre, the sulphur smell, a cavalry sabre") == (
        "a flat tire, the sulfur smell, a cavalry saber")


def test_a_term_with_a_number_or_a_hyphen_keeps_its_spelling_where_it_is_said_only():
    spelled = Spelling(AMERICAN, vocabulary=["Theatre 99", "Harbour-Grace", "Harbour & Main"])
    # Theatre 99, Charleston's: its number is part of its name.
    assert spelled("Tonight at Theatre 99, then the theatre downtown") == (
        "Tonight at Theatre 99, then the theater downtown")
    # A hyphenated name is one name: the harbour elsewhere is everyday.
    assert spelled("Harbour-Grace's harbour") == "Harbour-Grace's harbor"
    assert spelled("the corner of Harbour & Main, by the harbour") == (
        "the corner of Harbour & Main, by the harbor")


def test_a_term_the_model_writes_in_pieces_keeps_its_words_and_their_times():
    """Whisper gives "Harbour-Front" as " Harbour" "-Front": the segment's text kept the term
    and its words did not ("Harbor" "-Front"), so the captions, which go by the text, could
    not match the words and spread the line's words evenly over its pause."""
    from archivist.domain.captions.segmentation import said_words
    from archivist.domain.models import Segment, Transcript, Word

    words = (Word(0.0, 0.4, " Welcome"), Word(0.4, 0.6, " to"), Word(0.6, 1.0, " Harbour"),
             Word(1.0, 1.5, "-Front"), Word(3.0, 3.6, " Centre."))   # a pause before "Centre"
    heard = Transcript((Segment(0.0, 3.6, " Welcome to Harbour-Front Centre.", words),), 3.6)
    for term in ("Harbour-Front Centre", "Harbour-Front"):
        (segment,) = Spelling(AMERICAN, [term]).transcript(heard).segments
        kept = "Centre." if term == "Harbour-Front Centre" else "Center."
        assert segment.text == f" Welcome to Harbour-Front {kept}"
        assert list(said_words(segment)) == [
            ("Welcome", 0.0, 0.4), ("to", 0.4, 0.6), ("Harbour-Front", 0.6, 1.5), (kept, 3.0, 3.6)]
