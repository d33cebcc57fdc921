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
                 "a presentation from the public works director about the project",
                 # review 1, item 1: a role spoken of with words before the title, then a verb
                 "the planning director presented the report",
                 "the board president called the meeting to order",
                 "the committee chair reported",
                 "our finance director gave the update",
                 "the state representative office",
                 "finance director gave the update",
                 "thank you commissioner yeah",
                 "mayor um we have",
                 "commissioner well I think",
                 "trustee absent",
                 "council member excused",
                 "commissioner second",
                 "chair moves to adopt",
                 "mayor presiding",
                 "council member recused",
                 "director presents the plan",
                 "the vice mayor said",
                 # no article, and a noun after the title that is the role's, not a name
                 "state representative office hours",
                 "state representative district boundaries",
                 "mayor budget proposal",
                 "council member seat is vacant",
                 "commissioner district two",
                 "director position is open",
                 "county commissioner race",
                 "council member term limits",
                 "trustee election results",
                 "chair designee",
                 "supervisor appointment",
                 "president leadership",
                 "mayor reorganization plan",
                 "commissioner endorsement letter",
                 "council member sponsorship",
                 "mayor election",
                 "council member appointment",
                 "trustee nominations",
                 "president administration",
                 "mayor resignation letter"):
        assert _written(text) == text, text


def test_a_title_of_address_names_the_next_word():
    """A title said to or of a person by name, with the title's own words before or after it
    ("vice mayor", "mayor pro tem"), names the word after it."""
    assert _written("Council Member Anderson") == "Council Member Anderson"
    assert _written("thank you Mayor smith") == "thank you Mayor Smith"
    assert _written("vice mayor smith") == "vice mayor Smith"
    assert _written("thank you vice mayor smith") == "thank you vice mayor Smith"
    assert _written("mayor pro tem jones") == "mayor pro tem Jones"
    assert _written("a report from commissioner lopez") == "a report from commissioner Lopez"
    assert _written("and council member williams") == "and council member Williams"
    assert _written("thank you, mayor ahmed") == "thank you, mayor Ahmed"
    assert _written("council member jared") == "council member Jared"
    assert _written("State Representative Lopez") == "State Representative Lopez"
    assert _written("state representative lopez") == "state representative Lopez"
    assert _written("representative garcia") == "representative Garcia"
    assert _written("thank you state representative garcia") == (
        "thank you state representative Garcia")
    # Surnames that are everyday words or end like a noun are names after a title still.
    assert _written("council member ward") == "council member Ward"
    assert _written("commissioner clement") == "commissioner Clement"


def test_a_surname_that_ends_like_a_noun_is_a_name_after_a_title():
    """Surnames in -ness, -ship, -ment (no ending says a word is no name) and a role's noun
    after a personal title (Mr., Dr.: a name always follows) get their capitals."""
    assert _written("thank you council member blankenship") == (
        "thank you council member Blankenship")
    assert _written("mr. harkness") == "mr. Harkness"
    assert _written("mayor mcguinness") == "mayor Mcguinness"
    assert _written("commissioner casement") == "commissioner Casement"
    assert _written("dr. guinness") == "dr. Guinness"
    assert _written("ms. mackness") == "ms. Mackness"
    assert _written("thank you mr. staff") == "thank you mr. Staff"
    assert _written("Mrs. race") == "Mrs. Race"
    assert _written("dr election") == "dr Election"


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


def _typed(text: str, vocabulary: list[str], everyday=lambda word: True) -> str:
    return "".join(as_typed([" " + w for w in text.split()], vocabulary, everyday)).strip()


def test_an_everyday_word_in_the_vocabulary_is_a_name_only_where_it_stands_as_one():
    """Review 1, item 2: vocabulary "Grant", "Will", "Park", "May" left everyday words with
    capitals ("the Grant Will Park the car and May be"). A one-word term that is also an
    everyday word gets its capitals only after a title, next to another name, or where the
    model itself wrote it with a capital inside a sentence; a term of more words as typed."""
    vocabulary = ["Grant", "Will", "Park", "May"]
    assert _typed("the grant will park the car and may be", vocabulary) == (
        "the grant will park the car and may be")
    assert _typed("thank you mayor grant", vocabulary) == "thank you mayor Grant"
    assert _typed("thank you council member may", vocabulary) == "thank you council member May"
    everyday = {"grant", "will", "park", "may"}.__contains__
    assert "".join(as_typed([" " + w for w in "we asked grant oyelaran".split()],
                            [*vocabulary, "Oyelaran"], everyday)) == " we asked Grant Oyelaran"
    assert _typed("then Grant spoke. the grant will pay and grant agreed", vocabulary) == (
        "then Grant spoke. the grant will pay and Grant agreed")
    assert _typed("Grant spoke. and grant agreed", vocabulary) == (
        "Grant spoke. and grant agreed")   # a sentence's first word is no name's evidence
    assert _typed("a grant for lincoln park", ["Lincoln Park", "Park"]) == (
        "a grant for Lincoln Park")
    assert _typed("we thank oyelaran and the grant", ["Oyelaran", "Grant"], everyday) == (
        "we thank Oyelaran and the grant")


def test_a_typed_name_with_a_mark_of_its_own_is_written_whole():
    """"O'Brien" typed and "obrien" written: "O'Brien", not "OBrien" (the station's spelling,
    with the model's marks after it); a word with other letters is not the term."""
    assert _typed("thank you, commissioner obrien, for that", ["O'Brien"]) == (
        "thank you, commissioner O'Brien, for that")
    assert _typed("commissioner o'brien.", ["O'Brien"]) == "commissioner O'Brien."
    assert _typed("commissioner obriens report", ["O'Brien"]) == "commissioner obriens report"
    assert _typed("near veterans memorial field.", ["Veterans Memorial Field"]) == (
        "near Veterans Memorial Field.")
