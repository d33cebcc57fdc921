"""Where caption text may break: the cost of a break between two words.

Cheap after a sentence or a comma, then before a conjunction or preposition; dear after an
article or preposition, inside a name ("Council Member Lopez", "Maple Avenue") or a number
("4 million", "Item 7", "10:30 a.m.").
"""

from __future__ import annotations

from functools import lru_cache

SENTENCE_END = 0.0
CLAUSE_END = 2.0
BEFORE_CONJUNCTION = 3.0
BEFORE_PREPOSITION = 4.0
PLAIN = 7.0
AFTER_FUNCTION_WORD = 10.0
AFTER_ARTICLE = 15.0
INSIDE_NAME = 25.0
INSIDE_NUMBER = 30.0
INSIDE_WORD = 40.0     # only between the pieces of a word too wide for a line

LONE_WORD_LINE = 6.0
CUE_WEIGHT = 2.0       # a break between captions counts this many line breaks
IMBALANCE = 0.15       # per column of difference between neighbouring lines

CONJUNCTIONS = frozenset(
    "and but or nor so yet because although though while whereas if unless until since when "
    "whenever where whether that which who whom whose than".split())
PREPOSITIONS = frozenset(
    "of in on at to for with from by about into onto over under after before between through "
    "during without within among against toward towards upon across along around behind "
    "beyond per via near like".split())
ARTICLES = frozenset("a an the this these those my our your his her its their".split())
TITLES = frozenset(
    "mr. mrs. ms. dr. st. mt. ft. hon. rev. sen. rep. gov. gen. sgt. lt. capt. prof. no. vs."
    .split())
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred thousand million billion trillion".split())
UNITS = frozenset(
    "hundred thousand million billion trillion percent % dollars dollar cents cent a.m. p.m. am "
    "pm o'clock feet foot acres acre miles mile square years year months days hours minutes "
    "units votes".split())
NUMBER_LEADERS = frozenset(
    "$ # no. number item items section resolution ordinance bill file page chapter article "
    "case agenda account district ward route highway exit room suite lot unit parcel".split())

_PRONOUN_I = frozenset(("I", "I'm", "I'll", "I've", "I'd"))
_STRIP = ".,;:!?\"'()[]“”‘’«»"


def _bare(word: str) -> str:
    return word.strip(_STRIP).lower()


def _capitalized(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    bare = word.strip(_STRIP)
    return bool(letters) and letters[0].isupper() and bare not in _PRONOUN_I


def _numeric(word: str) -> bool:
    return any(c.isdigit() for c in word) or _bare(word) in NUMBER_WORDS


@lru_cache(maxsize=65_536)   # asked for every pair of words, of every revision, again
def quality(left: str, right: str, glued: bool = False) -> float:
    """Return the cost of breaking between `left` and `right` (0 = ideal)."""
    if glued:
        return INSIDE_WORD
    lower = left.lower().strip("\"'“”‘’()")
    if lower in TITLES:
        return INSIDE_NAME
    if left.endswith((".", "?", "!", ".\"", "?\"", "!\"", ".”", "?”", "!”")):
        return SENTENCE_END
    if left.endswith((",", ";", ":", "—", "--")) or right.startswith(("—", "--")):
        return CLAUSE_END
    bare_left, bare_right = _bare(left), _bare(right)
    if _numeric(left) and (_numeric(right) or bare_right in UNITS):
        return INSIDE_NUMBER
    if _numeric(right) and (bare_left in NUMBER_LEADERS or _capitalized(left)):
        return INSIDE_NUMBER
    if _capitalized(left) and _capitalized(right) and left[-1:] not in _STRIP:
        return INSIDE_NAME
    if bare_left in ARTICLES:
        return AFTER_ARTICLE
    if bare_left in PREPOSITIONS or bare_left in CONJUNCTIONS:
        return AFTER_FUNCTION_WORD
    if bare_right in CONJUNCTIONS:
        return BEFORE_CONJUNCTION
    if bare_right in PREPOSITIONS:
        return BEFORE_PREPOSITION
    return PLAIN


def cue_cost(quality: float, pause: float, new_segment: bool) -> float:
    """Return the cost of ending a caption at a break of `quality`, `pause` s before the next."""
    # A caption change is a bigger break than a line change: weigh it more.
    cost = CUE_WEIGHT * quality
    # A pause is where a listener hears the break: the best place to change captions.
    if pause >= 1.0:
        cost -= 8.0
    elif pause >= 0.5:
        cost -= 5.0
    elif pause >= 0.25:
        cost -= 2.0
    if new_segment:
        cost -= 1.0
    return cost
