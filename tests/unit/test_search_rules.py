"""What the index keeps and how a typed query is read (domain/search/passages.py)."""

from __future__ import annotations

from archivist.domain.models import Segment, Transcript, Word
from archivist.domain.search.passages import PASSAGE_CHARS, parse_query, passages, spoken_at
from tests.fakes import spoken


def test_a_query_is_words_and_quoted_phrases_only() -> None:
    assert parse_query('budget "Water Main"  budget').terms == (("budget",), ("water", "main"))
    # Punctuation inside a word splits it into a phrase, as "water-main" is said.
    assert parse_query('NEAR(a b) OR x*').terms == (("near", "a"), ("b",), ("or",), ("x",))
    assert parse_query('"unclosed phrase').terms == (("unclosed", "phrase"),)
    assert parse_query('" : * ( )').empty
    assert parse_query("Café").terms == (("cafe",),)
    # An underscore is punctuation, as the engines' tokenizers read it: never a word.
    assert parse_query("budget _ __ '_'").terms == (("budget",),)
    assert parse_query("snake_case _x_").terms == (("snake", "case"), ("x",))
    assert parse_query("_ __").empty


def test_passages_are_sentences_or_caption_sized_and_cut_at_a_good_break() -> None:
    long = ("The council will now consider the proposal for the water main replacement on "
            "Kessler Avenue and the new splash pad in the park.")
    found = passages(spoken((0.0, long), (100.0, "Second segment here.")))
    assert all(len(p.text) <= PASSAGE_CHARS for p in found)
    assert " ".join(p.text for p in found[:-1]) == long
    # Cut before a conjunction or preposition, never after an article or inside a name.
    assert not found[0].text.endswith((" the", " Kessler"))
    assert found[-1].text == "Second segment here." and found[-1].start == 100.0
    assert abs(found[1].start - len(found[0].words) * 0.35) < 1e-6


def test_a_long_pause_starts_a_new_passage() -> None:
    found = passages(spoken((0.0, "Before the long pause here"), (10.0, "after it")))
    assert [p.text for p in found] == ["Before the long pause here", "after it"]


def test_a_word_split_off_at_a_pause_joins_its_line() -> None:
    # Whisper's segments at every pause: "All those" / "in" / "favor." is one line.
    found = passages(spoken((0.0, "All those"), (1.8, "in"), (3.6, "favor."),
                            (6.0, "Aye."), (6.6, "The motion carries unanimously.")))
    assert [p.text for p in found] == ["All those in favor.", "Aye. The motion carries unanimously."]


def test_a_speaker_change_starts_a_new_passage() -> None:
    found = passages(spoken((0.0, "Is there a second?"), (1.6, ">> Second.")))
    assert [p.text for p in found] == ["Is there a second?", ">> Second."]


def test_whispers_word_pieces_are_joined_as_the_captions_join_them() -> None:
    pieces = ((" The", 0.0), (" fee", 0.3), (" is", 0.6), (" $", 0.9), ("3", 1.0), (",000", 1.2),
              (" for", 1.5), (" out", 1.8), ("-of", 2.0), ("-the", 2.2), ("-way", 2.4),
              (" lots", 2.6), (" at", 2.9), (" 7", 3.2), ("%.", 3.4))
    words = tuple(Word(start, start + 0.2, text, 0.9) for text, start in pieces)
    text = "".join(text for text, _ in pieces).strip()
    transcript = Transcript((Segment(0.0, 3.6, text, words),), duration=4.0)
    [passage] = passages(transcript)
    assert passage.text == "The fee is $3,000 for out-of-the-way lots at 7%."
    assert passage.words[3] == (0.9, "$3,000") and passage.words[5] == (1.8, "out-of-the-way")
    # Searching for the words inside a joined one still finds the second they are said.
    assert spoken_at(passage.words, parse_query('"of the way"'), 0.0) == 1.8
    assert spoken_at(passage.words, parse_query("lots"), 0.0) == 2.6


def test_an_edited_line_is_shown_as_written() -> None:
    # Text changed by hand, its word times stale: the line shows the text, timed within it.
    words = (Word(0.0, 0.4, " slash", 0.4), Word(0.4, 0.8, " fan", 0.4))
    edited = Transcript((Segment(0.0, 2.0, "the splash pad opens", words),), duration=3.0)
    [passage] = passages(edited)
    assert passage.text == "the splash pad opens"
    assert [w for _, w in passage.words] == ["the", "splash", "pad", "opens"]
    assert 0.0 <= passage.words[1][0] < passage.words[3][0] < 2.0


def test_the_match_time_is_the_first_word_of_the_earliest_term() -> None:
    words = ((1.0, "The"), (1.4, "budgets,"), (1.8, "for"), (2.2, "water"), (2.6, "main."))
    assert spoken_at(words, parse_query('"water main"'), 0.0) == 2.2
    assert spoken_at(words, parse_query("budget water"), 0.0) == 1.4
    assert spoken_at(words, parse_query('"main water"'), 9.9) == 9.9   # not in order: fallback


def test_a_word_with_a_british_and_an_american_spelling_is_searched_as_both() -> None:
    """Captions are respelled American now; transcripts kept before say "favour": a resident
    typing either spelling finds both."""
    from archivist.domain.search.passages import spellings
    from archivist.domain.spelling import american

    assert set(spellings(("favor",))) == {("favor",), ("favour",)}
    assert set(spellings(("favour",))) == {("favour",), ("favor",)}
    assert spellings(("budget",)) == (("budget",),)
    # A phrase: as typed first, then all one way and all the other.
    assert spellings(("harbour", "centre"))[0] == ("harbour", "centre")
    assert {("harbor", "center"), ("harbour", "centre")} <= set(spellings(("harbour", "centre")))
    assert {("organized",), ("organised",)} == set(spellings(("organized",)))
    # However long a phrase, its spellings stay few.
    assert len(spellings(("favour", "honour", "labour", "colour", "harbour", "centre"))) == 8
    [long] = parse_query('"' + "harbour centre " * 40 + '"').terms   # 2ⁿ of n words
    assert len(spellings(long)) == 8 and tuple(american(w) for w in long) in spellings(long)


def test_a_word_is_found_at_its_second_in_the_other_spelling() -> None:
    words = ((0.0, "The"), (0.4, "neighbourhood"), (1.2, "centre"), (2.0, "is"), (2.3, "open."))
    assert spoken_at(words, parse_query("neighborhood"), 9.0) == 0.4
    assert spoken_at(words, parse_query('"neighborhood center"'), 9.0) == 0.4


def test_a_word_with_an_apostrophe_is_searched_in_both_spellings() -> None:
    from archivist.domain.search.passages import spellings

    assert set(spellings(("neighbour's",))) == {("neighbour's",), ("neighbor's",)}
    assert set(spellings(("harbor's", "centre"))) >= {("harbour's", "centre"),
                                                      ("harbor's", "center")}
    words = ((0.0, "The"), (0.4, "neighbor's"), (1.2, "fence."))
    assert spoken_at(words, parse_query("neighbour's"), 9.0) == 0.4
