"""Names a model wrote in lowercase get their capitals where they stand as names: after a
person's title, after "my name is", before a street's kind after a house number or a word of
place. Nothing else changes: no word, no mark, and no capital in prose that only looks so."""

from archivist.domain.marks import plain
from archivist.domain.proper_names import as_typed, capitalised


def _written(text: str) -> str:
    words = [" " + w for w in text.split()]
    out = capitalised(words)
    assert [plain(w) for w in out] == [plain(w) for w in words]   # no word changes
    assert [w.lower() for w in out] == [w.lower() for w in words]  # nor any mark
    return "".join(out).strip()


def test_a_name_after_a_title_gets_its_capital():
    """tiny.en on dev 2108: "Questions from the council members? Council member cast you"."""
    assert _written("Questions from the council members? Council member cast you that") == (
        "Questions from the council members? Council member Cast you that")
    assert _written("thank you mayor grant for the report") == (
        "thank you mayor Grant for the report")
    assert _written("we heard from commissioner lopez and Mr. ramirez.") == (
        "we heard from commissioner Lopez and Mr. Ramirez.")


def test_a_title_spoken_of_or_spoken_to_names_nobody():
    """An article or possessive before the title, a mark after it, or a word no name is
    after it (a verb, an answer, a function word, another title): the words stay as they are."""
    for text in ("the mayor said she agrees",
                 "our commissioner will look at it",
                 "thank you, mayor. the item concerns",
                 "thank you mayor and council members",
                 "thank you mayor council members",
                 "council member present council member here",
                 "council member I would like to know",
                 "the chair recognizes the speaker",
                 "mayor pro tem",
                 "each council member has a copy",
                 "council members agree",
                 "a presentation from the public works director about the project"):
        assert _written(text) == text, text


def test_a_name_after_my_name_is_gets_its_capitals():
    """tiny.en on dev 2108: "My name is Karen to not and I live at"; base: lowercase names."""
    assert _written("My name is samuel addy and I live at") == (
        "My name is Samuel Addy and I live at")
    assert _written("My name is Karen to not and I live at") == (
        "My name is Karen to not and I live at")
    assert _written("my name is rosa delgado, and I live here") == (
        "my name is Rosa Delgado, and I live here")
    assert _written("my name is 42 characters long") == "my name is 42 characters long"
    assert _written("My name is also You can go") == "My name is also You can go"


def test_a_street_after_a_house_number_or_a_word_of_place_gets_its_capitals():
    """tiny.en on dev 2108: "I live at 40 16 frontland Street", "the work on mill street"."""
    assert _written("and I live at 40 16 frontland Street.") == (
        "and I live at 40 16 Frontland Street.")
    assert _written("the work on mill street would close one lane") == (
        "the work on Mill Street would close one lane")
    assert _written("I live at twenty three fifty four prospect avenue") == (
        "I live at twenty three fifty four Prospect Avenue")
    assert _written("the bridge on county road nine") == "the bridge on County Road nine"
    assert _written("near pine ridge road") == "near Pine Ridge Road"


def test_a_street_spoken_of_is_left_alone():
    """No house number or word of place right before the name, or a word no street's name
    is ("the", "this", a number, another street's kind): the words stay as they are."""
    for text in ("The children walk to school on this street every morning",
                 "we will keep one lane open",
                 "a two lane road",
                 "the one way street",
                 "on the road to recovery",
                 "people drive too fast",
                 "the word con mill street would close",
                 "at 33 74 late you drive",
                 "on, mill street"):
        assert _written(text) == text, text


def test_the_stations_vocabulary_is_written_as_the_station_typed_it():
    """A city's vocabulary ("Veterans Memorial Field", "Councilmember Oyelaran") gives its
    capitals wherever the model wrote its words in a row; the model's marks stay, and a term
    typed in lowercase takes no capital away."""
    words = [" " + w for w in ("a grant for veterans memorial field. Thank you, "
                               "councilmember oyelaran, and zoning. The memorial").split()]
    out = as_typed(words, ["Veterans Memorial Field", "Councilmember Oyelaran", "zoning",
                           "the"])
    assert "".join(out).strip() == ("a grant for Veterans Memorial Field. Thank you, "
                                    "Councilmember Oyelaran, and zoning. The memorial")
    assert as_typed(words, []) == words
