"""A name written as a name: the capitals a caption editor gives the names a model wrote in
lowercase.

A small model writes many names in lowercase throughout a recording ("council member cast
you", "I live at 40 16 frontland Street", tiny.en on dev 2108), so nothing in the recording says
they are names; but where they stand does, as an editor reads it:
  * after a person's title: "mayor grant" is "mayor Grant", "council member lopez" is
    "council member Lopez" (the name's first word; not after an article or a possessive, "the
    mayor said", and not before a word no name is, "mayor thank you", "commissioner present",
    nor a noun of the role's, "state representative district", "mayor budget proposal");
  * after "my name is": "my name is samuel addy" is "My name is Samuel Addy";
  * before a street's kind after a house number or a word of place: "at 40 16 frontland
    street", "on mill street", "near cedar lane" are "Frontland Street", "Mill Street", "Cedar
    Lane" (not "at 33 74 late you drive": "you" is no street's name).
No word changes and no mark is added: only first letters are made capitals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from archivist.domain import votes
from archivist.domain.marks import ENDS, FUNCTION_WORDS, MARKS, plain

# A person's title before their name. "council member" and "board member" are two words.
TITLES = frozenset({
    "councilmember", "councilman", "councilwoman", "councilor", "councillor", "commissioner",
    "mayor", "alderman", "alderwoman", "alderperson", "trustee", "supervisor", "chair",
    "chairman", "chairwoman", "chairperson", "president", "director", "senator",
    "representative", "mr", "mrs", "ms", "dr"})
# Written with a stop of their own ("Mr. Lopez"): no mark that ends the title.
ABBREVIATED = frozenset({"mr.", "mrs.", "ms.", "dr."})
TWO_WORD_TITLES = frozenset({("council", "member"), ("board", "member")})
# Before a title (up to _LOOK_BACK words back, over the words that describe the role) these
# say it is a role spoken of, not a name's title ("the mayor will", "our chair", "the planning
# director presented", "each council member").
_SPOKEN_OF = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "our", "my", "your", "their", "his",
    "her", "its", "each", "every", "any", "another", "other", "new", "whose", "which", "no"})
_LOOK_BACK = 3
# These end the look back: the clause goes on before them ("a report from commissioner lopez",
# "thank you mayor grant", "and council member lopez").
_CLAUSE_WORDS = (FUNCTION_WORDS - _SPOKEN_OF) | frozenset({
    "about", "after", "before", "into", "over", "under", "through", "during", "thank",
    "thanks", "than", "like", "if", "so", "then", "now", "also", "me", "us", "him", "them"})
# Part of the title before it ("vice mayor Smith") or after it ("mayor pro tem Jones").
_TITLE_BEFORE = frozenset({"vice", "deputy", "acting", "interim", "former"})
_TITLE_AFTER = (("pro", "tem"), ("pro", "tempore"), ("elect",))
# After a title these are no name: the title is the subject or is spoken to ("mayor thank
# you", "the chair will", "commissioner present", "commissioner um"), a motion's or a roll
# call's word ("commissioner second", "trustee absent", "mayor presiding"), or a word that goes
# on ("the public works director about the project": extra 1001's script).
_NO_NAME = (FUNCTION_WORDS | votes.VOTE_ANSWERS | votes.NO_NAME_STARTS | frozenset({
    "will", "would", "can", "could", "should", "shall", "may", "might", "must", "has", "have",
    "had", "does", "did", "is", "was", "said", "gave", "made", "took", "went", "came", "saw",
    "got", "spoke", "met", "led", "ran", "sat", "read", "left", "thought", "brought", "told",
    "pro", "elect", "emeritus", "member", "members", "yes", "no", "mister", "madam", "madame",
    "council", "board", "commission", "committee", "office", "city", "county", "about",
    "after", "before", "into", "over", "under", "through", "during", "regarding",
    "concerning", "who", "which", "when", "where", "while", "because", "since", "until",
    "than", "also", "just", "here", "there", "what", "how", "why", "um", "uh", "uhm", "er",
    "ah", "hmm", "mm", "yeah", "yep", "yup", "nope", "well", "okay", "ok", "right", "alright",
    "sure", "sorry", "hi", "hello", "oh", "absent", "excused", "recused", "present", "aye",
    "nay", "second", "first", "presiding", "speaking", "again", "too", "please"}) | TITLES)
# After a title these are the role's own, in one noun phrase with it and with no article
# before it ("state representative district", "mayor budget proposal", "council member seat
# is vacant", "trustee election results"): no name. Listed by name, each a noun that follows a
# title in a meeting: no ending says a word is no name ("Blankenship", "Harkness", "Casement",
# "McGuinness"), and not the everyday words that are surnames too ("Ward", "Post", "Jobs",
# "Powers").
_ROLE_NOUNS = frozenset({
    "district", "districts", "seat", "seats", "race", "races", "position", "positions",
    "role", "term", "terms", "staff", "staffer", "staffers", "aide", "aides", "candidate",
    "candidates", "campaign", "campaigns", "primary", "vacancy", "vacancies", "offices",
    "hours", "budget", "budgets", "salary", "salaries", "pay", "stipend", "proposal",
    "proposals", "plan", "plans", "agenda", "priorities", "priority", "forum", "debate",
    "area", "region", "department", "division", "team", "search", "hiring", "review",
    "contract", "duties", "veto", "signature", "approval", "letter", "letters", "memo",
    "update", "updates", "comments", "remarks", "designee", "designees", "nominee",
    "nominees", "appointee", "appointees", "authority", "emergency", "award", "platform",
    "election", "elections", "reelection", "appointment", "appointments", "reappointment",
    "nomination", "nominations", "confirmation", "administration", "leadership",
    "reorganization", "endorsement", "endorsements", "sponsorship", "resignation",
    "retirement", "transition", "succession", "selection", "recruitment", "evaluation",
    "evaluations", "compensation", "statement", "statements", "announcement",
    "proclamation", "proclamations", "recommendation", "recommendations", "investigation",
    "impeachment", "recall"})
# A personal title: a name always follows it ("Mr. Staff", "Dr. Race"), never a role's noun.
# ("Miss" is no title here at all: "we miss the deadline".)
_PERSONAL_TITLES = frozenset({"mr", "mrs", "ms", "dr"})


# A word that reads as a verb after a title: one of these, or its -s, -es, -ed form
# ("director presents", "chair moves", "president called"), or any longer word in -ed but
# the names that end so.
_VERBS = frozenset({
    "move", "call", "say", "report", "present", "ask", "note", "want", "think", "agree",
    "make", "take", "give", "get", "go", "come", "see", "know", "need", "like", "look",
    "seem", "feel", "believe", "recommend", "support", "oppose", "request", "add", "mention",
    "speak", "talk", "open", "close", "second", "thank", "recognize", "recognise", "yield",
    "explain", "state", "vote", "suggest", "propose", "mean", "work", "serve", "reply",
    "answer", "respond", "share", "raise", "bring", "tell", "let", "put", "join", "lead",
    "welcome", "introduce", "invite", "adjourn", "chair", "do", "be", "have", "abstain",
    "recuse", "pass", "appreciate", "understand", "wonder", "hope", "wish"})
_NAMES_IN_ED = frozenset({
    "ahmed", "mohammed", "mohamed", "muhammed", "hamed", "javed", "naveed", "saeed", "fareed",
    "rasheed", "reed", "sneed", "creed", "mead", "ned", "ted", "fred", "jed", "jared",
    "alfred", "manfred", "wilfred", "winifred", "mildred", "sigfried", "siegfried"})


def _verb(word: str) -> bool:
    """Whether `word` reads as a verb (after a title: "the president called")."""
    if word in _VERBS or (word.endswith("ed") and len(word) >= 5 and word not in _NAMES_IN_ED):
        return True
    stems = [word[:-1]] if word.endswith("s") else []
    if word.endswith("es"):
        stems.append(word[:-2])
    if word.endswith("ies"):
        stems.append(word[:-3] + "y")
    if word.endswith("ed"):
        stems += [word[:-1], word[:-2]]
    return any(stem in _VERBS for stem in stems)


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
    """The first word of each name that stands after a title used as a form of address or of
    reference to a person ("thank you mayor Grant", "vice mayor Smith", "mayor pro tem Jones"):
    not a role spoken of (a determiner or a possessive up to _LOOK_BACK words before it, to the
    clause's start: "the planning director presented"), and not before a word no name is (a
    filler, a roll call's or a motion's word, a verb). (The title keeps the model's case: a
    title written with a capital inside sentences would count as a name wherever the recording
    says it, "thank you, mayor", and be asked of every sixth by the report.)"""
    found: set[int] = set()
    for n in range(len(said) - 1):
        size = 2 if tuple(said[n:n + 2]) in TWO_WORD_TITLES else 1 if said[n] in TITLES else 0
        if not size:
            continue
        name = n + size
        for after in _TITLE_AFTER:
            if tuple(said[name:name + len(after)]) == after:
                name += len(after)
        if name >= len(said):
            continue
        first = n
        while first > 0 and said[first - 1] in _TITLE_BEFORE and not _marked(
                out[spoken[first - 1]]):
            first -= 1
        if first > 0 and said[first - 1] in TITLES:
            continue   # "council member present council member here": the roll's words
        if _spoken_of(out, spoken, said, first):
            continue
        if any(_marked(out[spoken[k]]) and out[spoken[k]].strip().lower() not in ABBREVIATED
               for k in range(n, name)):
            continue   # "thank you, mayor. the item": the title ends there
        if said[name] in _NO_NAME or not said[name].isalpha() or _verb(said[name]):
            continue
        if said[name] in _ROLE_NOUNS and said[n] not in _PERSONAL_TITLES:
            continue   # "mayor budget proposal", but "Mr. Staff"
        found.add(name)
    return found


def _spoken_of(out: Sequence[str], spoken: Sequence[int], said: Sequence[str],
               title: int) -> bool:
    """Whether the title starting at `title` is a role spoken of: a determiner or possessive
    (_SPOKEN_OF) up to _LOOK_BACK words before it, over words that describe the role ("the
    board president", "our finance director"), not past a mark or a word the clause goes on
    with ("a report from commissioner lopez")."""
    for k in range(title - 1, max(-1, title - 1 - _LOOK_BACK), -1):
        if _marked(out[spoken[k]]):
            return False
        if said[k] in _SPOKEN_OF:
            return True
        if said[k] in _CLAUSE_WORDS or said[k] in TITLES or not said[k].isalpha():
            return False
    return False


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


def as_typed(words: Sequence[str], vocabulary: Sequence[str],
             everyday: Callable[[str], bool] = lambda word: True) -> list[str]:
    """`words` (as the model gives them) with each term of the station's vocabulary (the names
    it gives the model as hints: "Veterans Memorial Field") written as the station typed it,
    wherever the model wrote the term's words in a row. A term of one word that is also an
    everyday word (`everyday`, its plain form: "Grant", "Park", "May"; by default every one)
    is written so only where it stands as a name: after a title ("mayor Grant"), next to
    another name ("Grant Oyelaran", a word of another term or one the model capitalised inside
    a sentence), or where the model itself wrote it with a capital inside a sentence elsewhere
    in the recording (but not after a determiner: "the grant"); "the grant will park the car"
    stays. Only a word's case and its own
    marks change ("obrien" is "O'Brien"): its words and the model's marks after it stay, and a
    term typed in lowercase lowers nothing."""
    out = list(words)
    spoken = [i for i, w in enumerate(out) if w.strip()]
    said = [plain(out[i]) for i in spoken]
    terms = [[t for t in term.split() if plain(t)] for term in vocabulary
             if any(ch.isupper() for ch in term)]
    named = {plain(t) for typed in terms for t in typed
             if len(typed) > 1 or not everyday(plain(typed[0]))}
    capitalised_by_model = {said[k] for k in range(len(said))
                            if _inside_sentence(out, spoken, k) and said[k] != "i"
                            and out[spoken[k]].strip()[:1].isupper()}
    for typed in terms:
        size = len(typed)
        wanted = [plain(t) for t in typed]
        for n in range(len(said) - size + 1):
            if said[n:n + size] != wanted:
                continue
            if size == 1 and wanted[0] not in named and not _beside_a_name(
                    words, spoken, said, n, named) and not (
                    wanted[0] in capitalised_by_model and not (n and said[n - 1] in _SPOKEN_OF)):
                continue   # an everyday word ("the grant will") where nothing says it's a name
            for k, t in enumerate(typed):
                out[spoken[n + k]] = _cased_as(out[spoken[n + k]], t)
    return out


def _inside_sentence(out: Sequence[str], spoken: Sequence[int], k: int) -> bool:
    """Whether the `k`th spoken word is inside a sentence (not its first word)."""
    return k > 0 and out[spoken[k - 1]].rstrip()[-1:] not in ENDS


def _beside_a_name(words: Sequence[str], spoken: Sequence[int], said: Sequence[str], n: int,
                   names: set[str]) -> bool:
    """Whether the `n`th spoken word stands as a name: after a title, or next to a name (a
    word of `names`, or one the model wrote with a capital inside a sentence) with no mark
    between."""
    def a_name(k: int) -> bool:
        return said[k] in names or (_inside_sentence(words, spoken, k) and said[k] != "i"
                                    and words[spoken[k]].strip()[:1].isupper())

    if n > 0 and not _marked(words[spoken[n - 1]]):
        after_title = said[n - 1] in TITLES or (
            n > 1 and tuple(said[n - 2:n]) in TWO_WORD_TITLES)
        if after_title or a_name(n - 1):
            return True
    return n + 1 < len(said) and not _marked(words[spoken[n]]) and a_name(n + 1)


def _cased_as(word: str, typed: str) -> str:
    """`word` written as `typed` (its case and its own marks: "O'Brien"), keeping the space
    before it and the model's marks after it ("obrien," is "O'Brien,")."""
    body = word.strip()
    tail = len(body) - len(body.rstrip("".join(MARKS)))
    lead = word[:len(word) - len(word.lstrip())]
    ending = word[len(word.rstrip()):]
    marks = body[len(body) - tail:] if tail else ""
    core = typed.rstrip("".join(MARKS)) or typed
    return lead + core + marks + ending
