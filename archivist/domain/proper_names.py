"""A name written as a name: the capitals a caption editor gives the names a model wrote in
lowercase.

A small model writes many names in lowercase throughout a recording ("council member cast
you", "I live at 40 16 frontland Street", tiny.en on dev 2108), so nothing in the recording says
they are names; but where they stand does, as an editor reads it:
  * after a person's title: "mayor grant" is "mayor Grant", "council member lopez" is
    "council member Lopez" (the name's first word; not after an article or a possessive, "the
    mayor said", and not before a word no name is, "mayor thank you", "commissioner present");
  * after "my name is": "my name is samuel addy" is "My name is Samuel Addy";
  * before a street's kind after a house number or a word of place: "at 40 16 frontland
    street", "on mill street", "near cedar lane" are "Frontland Street", "Mill Street", "Cedar
    Lane" (not "at 33 74 late you drive": "you" is no street's name).
No word changes and no mark is added: only first letters are made capitals.
"""

from __future__ import annotations

from collections.abc import Sequence

from archivist.domain import votes
from archivist.domain.marks import FUNCTION_WORDS, MARKS, plain

# A person's title before their name. "council member" and "board member" are two words.
TITLES = frozenset({
    "councilmember", "councilman", "councilwoman", "councilor", "councillor", "commissioner",
    "mayor", "alderman", "alderwoman", "alderperson", "trustee", "supervisor", "chair",
    "chairman", "chairwoman", "chairperson", "president", "director", "senator",
    "representative", "mr", "mrs", "ms", "dr"})
# Written with a stop of their own ("Mr. Lopez"): no mark that ends the title.
ABBREVIATED = frozenset({"mr.", "mrs.", "ms.", "dr."})
TWO_WORD_TITLES = frozenset({("council", "member"), ("board", "member")})
# Before a title these say it is a role spoken of, not a name's title ("the mayor will", "our
# chair", "each council member").
_SPOKEN_OF = frozenset({
    "the", "a", "an", "this", "that", "our", "my", "your", "their", "his", "her", "its", "each",
    "every", "any", "another", "other", "former", "new", "vice", "deputy", "acting", "interim",
    "whose", "which", "no"})
# After a title these are no name: the title is the subject or is spoken to ("mayor thank
# you", "the chair will", "commissioner present", "mayor pro tem"), or a word that goes on
# ("the public works director about the project": extra 1001's script).
_NO_NAME = (FUNCTION_WORDS | votes.VOTE_ANSWERS | votes.NO_NAME_STARTS | frozenset({
    "will", "would", "can", "could", "should", "shall", "may", "might", "must", "has", "have",
    "had", "does", "did", "said", "says", "asked", "asks", "noted", "mentioned", "made",
    "moved", "seconded", "pro", "elect", "emeritus", "member", "members", "yes", "no",
    "mister", "madam", "madame", "recognizes", "calls", "thanks", "council", "board",
    "commission", "city", "county", "about", "after", "before", "into", "over", "under",
    "through", "during", "regarding", "concerning", "who", "which", "when", "where", "while",
    "because", "since", "until", "than", "also", "just", "here", "there", "what", "how",
    "why"}) | TITLES)
# A street's kind, after its name ("Mill Street"). Not "way" or "place", which are everyday
# nouns after a word of place too ("on the way", "in place").
STREET_KINDS = frozenset({
    "street", "avenue", "road", "drive", "lane", "boulevard", "parkway", "court", "terrace",
    "highway"})
# A street's name starts after one of these ("on mill street", "near cedar lane").
_PLACE_WORDS = frozenset({"on", "at", "along", "near", "off", "onto", "from", "via", "between"})
_NUMBER_WORDS = frozenset({
    "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand"})
# A street's name has at most this many words ("Pine Ridge Road").
_STREET_NAME_WORDS = 2
# A name after "my name is" has at most this many words ("Maria Lopez Castillo"), and none of
# these ("my name is also", "is not"): words that say something of the name, not the name.
_NAME_WORDS = 3
_NOT_A_NAME = frozenset({"also", "not", "actually", "still", "just", "really", "spelled",
                         "pronounced"})


def capitalised(words: Sequence[str]) -> list[str]:
    """`words` (as the model gives them, " mayor") with the names that stand after a title,
    after "my name is" and before a street's kind written with capitals; every other word as
    it was."""
    out = list(words)
    spoken = [i for i, w in enumerate(out) if w.strip()]
    said = [plain(out[i]) for i in spoken]
    for n in _after_titles(out, spoken, said) | _named(out, spoken, said) | _streets(
            out, spoken, said):
        out[spoken[n]] = _capital(out[spoken[n]])
    return out


def _after_titles(out: Sequence[str], spoken: Sequence[int], said: Sequence[str]) -> set[int]:
    """The first word of each name that stands after a title. (The title keeps the model's
    case: a title written with a capital inside sentences would count as a name wherever the
    recording says it, "thank you, mayor", and be asked of every sixth by the report.)"""
    found: set[int] = set()
    for n in range(len(said) - 1):
        size = 2 if tuple(said[n:n + 2]) in TWO_WORD_TITLES else 1 if said[n] in TITLES else 0
        name = n + size
        if not size or name >= len(said):
            continue
        if n > 0 and (said[n - 1] in _SPOKEN_OF or said[n - 1] in TITLES):
            continue
        if any(_marked(out[spoken[k]]) and out[spoken[k]].strip().lower() not in ABBREVIATED
               for k in range(n, name)):
            continue   # "thank you, mayor. the item": the title ends there
        if said[name] in _NO_NAME or not said[name].isalpha():
            continue
        found.add(name)
    return found


def _named(out: Sequence[str], spoken: Sequence[int], said: Sequence[str]) -> set[int]:
    """The words of the name after each "my name is", up to a mark, a function word or a
    number."""
    found: set[int] = set()
    for n in range(len(said) - 3):
        if tuple(said[n:n + 3]) != ("my", "name", "is") or _marked(out[spoken[n + 2]]):
            continue
        for k in range(n + 3, min(len(said), n + 3 + _NAME_WORDS)):
            if said[k] in FUNCTION_WORDS or said[k] in _NOT_A_NAME or not said[k].isalpha():
                break
            found.add(k)
            if _marked(out[spoken[k]]):
                break
    return found


def _streets(out: Sequence[str], spoken: Sequence[int], said: Sequence[str]) -> set[int]:
    """The words of each street's name and its kind: up to _STREET_NAME_WORDS words before the
    kind, after a word of place or a house number (digits, or two number words)."""
    found: set[int] = set()
    for n, word in enumerate(said):
        if word not in STREET_KINDS:
            continue
        for size in range(1, _STREET_NAME_WORDS + 1):
            first = n - size
            if first < 1 or not _name_word(said[first]) or _marked(out[spoken[first]]):
                break
            after_place = (said[first - 1] in _PLACE_WORDS
                           and not _marked(out[spoken[first - 1]]))
            if after_place or _house_number(said, first - 1):
                found.update(range(first, n + 1))
                break
    return found


def _name_word(word: str) -> bool:
    return (word.isalpha() and word not in FUNCTION_WORDS and word not in _NUMBER_WORDS
            and word not in STREET_KINDS)


def _house_number(said: Sequence[str], k: int) -> bool:
    """Whether a house number ends at `k`: digits ("33 74", "4,890"), or two number words
    ("fifty four"; one is an everyday word before a street's kind: "a two lane road")."""
    if said[k].isdigit():
        return True
    return k > 0 and said[k] in _NUMBER_WORDS and said[k - 1] in _NUMBER_WORDS


def _marked(word: str) -> bool:
    return word.rstrip()[-1:] in MARKS


def _capital(word: str) -> str:
    lead = len(word) - len(word.lstrip())
    return word[:lead] + word[lead:lead + 1].upper() + word[lead + 1:]


def as_typed(words: Sequence[str], vocabulary: Sequence[str]) -> list[str]:
    """`words` (as the model gives them) with each term of the station's vocabulary (the names
    it gives the model as hints: "Veterans Memorial Field") written with the capitals the
    station typed, wherever the model wrote the term's words in a row. Only capitals are added:
    the model's marks stay, and a term typed in lowercase lowers nothing."""
    out = list(words)
    spoken = [i for i, w in enumerate(out) if w.strip()]
    said = [plain(out[i]) for i in spoken]
    for term in vocabulary:
        typed = [t for t in term.split() if plain(t)]
        size = len(typed)
        if not size or not any(ch.isupper() for ch in term):
            continue
        wanted = [plain(t) for t in typed]
        for n in range(len(said) - size + 1):
            if said[n:n + size] == wanted:
                for k, t in enumerate(typed):
                    out[spoken[n + k]] = _cased_as(out[spoken[n + k]], t)
    return out


def _cased_as(word: str, typed: str) -> str:
    """`word` with a capital wherever `typed` has one, letter for letter (marks skipped)."""
    capitals = iter([ch.isupper() for ch in typed if ch.isalnum()])
    return "".join(ch.upper() if ch.isalnum() and next(capitals, False) else ch for ch in word)
