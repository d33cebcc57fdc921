"""Written words as they are said, about: a figure in words, for how long a word takes to say.

Whisper writes figures in digits ("$7,000,000", "2026", "7:30", "15%") and a speaker says them
in words ("seven million dollars", "twenty twenty-six", "seven thirty", "fifteen percent").
Segmentation judges a word's time by the letters it is said with (a word stretched over a
pause, one given no time): counting the digits as written, each zero of "$7,000,000" would be
a letter to say. The reading is a rough one (what a speaker at a council meeting would most
likely say), good to a few letters; the captions still show the figure as written.
"""

from __future__ import annotations

import re

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ("", "thousand", "million", "billion", "trillion", "quadrillion")
_LONGEST = 10 ** (3 * len(_SCALES)) - 1   # past it a figure is read digit by digit
# Past 15 digits a figure without commas is a code or a count read out digit by digit; one
# with them is said by its thousands up to quadrillions.
_PLAIN = 15

# A figure as Whisper writes one: "$8,300,000", "4.2", "7:30", "21st", "15%", "1990s", "-5";
# or a phone number ("555-123-4567", "123-4567"), read out digit by digit.
_FIGURE = re.compile(
    r"(?<![\d,.-])(?P<phone>(?:\d{3}-)?\d{3}-\d{4})(?![\d-])"
    r"|(?P<minus>(?<![\w.,])[-\u2212](?=\$?\d))?"
    r"(?P<dollar>\$)?"
    r"(?:(?P<hour>\d{1,2}):(?P<minute>\d\d)"
    r"|(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?)"
    r"(?P<ordinal>st|nd|rd|th)?(?P<percent>%)?")


# Two figures joined by a dash and nothing else ("2020-2024", "5-10", "10-15%", "$5-$10"); a
# phone number, a date ("2026-11-03") or a longer chain is not one.
_PAIR = re.compile(
    r"(?<![\w.,\-\u2013])(?P<low>\$?\d[\d,]*(?:\.\d+)?%?)[-\u2013]"
    r"(?P<high>\$?\d[\d,]*(?:\.\d+)?%?)(?![\w\-\u2013]|[.,]\d)")
_PHONE = re.compile(r"(?:\d{3}-)?\d{3}-\d{4}")


def said(text: str) -> str:
    """`text` with every figure in it written out in words as it is usually said."""
    return _FIGURE.sub(_figure, _PAIR.sub(_range, text))


# Two figures that go up but are no range, said as written ("four-five"): a vote's tally
# (the word after it says so, "a 4-5 vote"; or the verb before it where the pair ends the
# clause, "failed 4-5." but not "approved 10-20 new homes"; or "the vote was 4-5"), a code
# section or numbered item named in the singular ("Sec. 12-34", "Ordinance No. 12-34"; plural
# "Sections 12-34" is a range), and 9-11 named as a date ("since 9-11", "the 9-11 memorial").
_TALLY_AFTER = frozenset("vote votes tally split margin decision ruling majority".split())
_TALLY_BEFORE = frozenset("vote voted votes pass passed passes fail failed fails carried carries "
                          "approved approves adopted adopts denied denies defeated rejected "
                          "lost won".split())
_NAMED_BY = frozenset("sec section § ordinance ord resolution res no number # bill case file "
                      "docket chapter article code".split())
# After a verb that takes a tally, a pair followed by one of these (or a mark, or nothing)
# ends its clause: "passed 4-3 with Smith absent", "failed 2-5 against staff's advice".
_CLAUSE_ENDS = frozenset("with against".split()) | _TALLY_AFTER
_BEING = frozenset("was is were are".split())
_DATE_AFTER = frozenset("since after before the of on post pre until during".split())
_WORD_BEFORE = re.compile(r"(\S*?)\.?\s*$")
_WORD_AFTER = re.compile(r"\s*([A-Za-z]*)")
_WORDS_BEFORE = re.compile(r"([A-Za-z]+)\W+([A-Za-z]+)\W*$")


def _range(m: re.Match[str]) -> str:
    # A range goes up and is said with "to" ("five to ten"); a tally ("a 5-4 vote") is said
    # as written ("five-four"), as is a phone number.
    low, high = (_value(m[side]) for side in ("low", "high"))
    if _PHONE.fullmatch(m[0]) or low is None or high is None or low >= high or _no_range(m):
        return m[0]
    return f"{m['low']} to {m['high']}"


def _no_range(m: re.Match[str]) -> bool:
    """True when figures that go up name one thing (a tally, a section, a date), not a range."""
    before_match = _WORD_BEFORE.search(m.string, 0, m.start())
    before = (before_match[1] if before_match else "").lower()
    after_match = _WORD_AFTER.match(m.string, m.end())
    after = (after_match[1] if after_match else "").lower()
    rest = m.string[m.end():].lstrip()
    ends_clause = not rest or not rest[0].isalnum() or after in _CLAUSE_ENDS
    return (after in _TALLY_AFTER or (before in _TALLY_BEFORE and ends_clause)
            or _a_vote_was(m) or before in _NAMED_BY
            or (m[0] == "9-11" and (before in _DATE_AFTER or not before)))


def _a_vote_was(m: re.Match[str]) -> bool:
    """True for a tally named as one: "the vote was 4-5", "the split is 3-4"."""
    words = _WORDS_BEFORE.search(m.string, 0, m.start())
    return words is not None and words[1].lower() in _TALLY_AFTER and words[2].lower() in _BEING


def _value(figure: str) -> float | None:
    try:
        return float(figure.strip("$%").replace(",", ""))
    except ValueError:
        return None


def letters(text: str) -> int:
    """The letters it takes to say `text` (its figures in words), about."""
    return sum(c.isalnum() for c in said(text))


def number(n: int) -> str:
    """A whole number in words, grouped by thousands: 8300000 -> "eight million three
    hundred thousand"."""
    if n > _LONGEST:
        return _digits(str(n))
    if n < 1000:
        return _below_thousand(n)
    groups: list[str] = []
    for scale in _SCALES:
        n, group = divmod(n, 1000)
        if group:
            groups.append(f"{_below_thousand(group)} {scale}".strip())
        if not n:
            break
    return " ".join(reversed(groups))


def _figure(m: re.Match[str]) -> str:
    if m["phone"] is not None:
        return _digits(m["phone"].replace("-", ""))
    if m["hour"] is not None:
        words = _clock(int(m["hour"]), m["minute"])
    else:
        words = _amount(m["whole"], m["fraction"], money=bool(m["dollar"]))
    if m["ordinal"]:
        words = _ordinal(words)
    if m["percent"]:
        words += " percent"
    if m["dollar"] and not (m["fraction"] and len(m["fraction"]) == 2):
        words += " dollar" if words == "one" else " dollars"
    if m["minus"]:
        words = "minus " + words
    return words


def _amount(whole: str, fraction: str | None, money: bool) -> str:
    digits = whole.replace(",", "")
    if len(digits) > 1 and digits.startswith("0"):
        words = _digits(digits)              # a code or a number read out: "007"
    elif "," not in whole and len(digits) == 4 and fraction is None and not money:
        words = _year(int(digits))           # "2026", "1420 Main Street"
    elif len(digits) > _PLAIN and ("," not in whole or len(digits) > len(str(_LONGEST))):
        words = _digits(digits)              # never int(): it refuses past 4300 digits
    else:
        words = number(int(digits))
    if fraction is None:
        return words
    if money and len(fraction) == 2:         # "$4.50": four dollars fifty cents
        cents = int(fraction)
        dollars = words + (" dollar" if words == "one" else " dollars")
        if not cents:
            return dollars
        cents_said = number(cents) + (" cent" if cents == 1 else " cents")
        return cents_said if digits.strip("0") == "" else f"{dollars} {cents_said}"   # "$0.50"
    return f"{words} point {_digits(fraction)}"


def _year(n: int) -> str:
    # Four digits without a comma: a year or a street number, said in pairs ("twenty
    # twenty-six", "fourteen twenty"), but "two thousand five" and "three thousand".
    high, low = divmod(n, 100)
    if high % 10 == 0 and low < 10:
        return number(n)
    if low == 0:
        return f"{number(high)} hundred"
    return f"{number(high)} {'oh ' if low < 10 else ''}{number(low)}"


def _clock(hour: int, minute: str) -> str:
    # "7:30" -> "seven thirty", "7:05" -> "seven oh five", "7:00" -> "seven".
    m = int(minute)
    if not m:
        return number(hour)
    return f"{number(hour)} {'oh ' if m < 10 else ''}{number(m)}"


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = [f"{_ONES[hundreds]} hundred"] if hundreds else []
    if rest or not hundreds:
        if rest < 20:
            words.append(_ONES[rest])
        else:
            tens, ones = divmod(rest, 10)
            words.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    return " ".join(words)


def _digits(digits: str) -> str:
    return " ".join(_ONES[int(d)] for d in digits)


_ORDINALS = {"one": "first", "two": "second", "three": "third", "five": "fifth",
             "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}


def _ordinal(words: str) -> str:
    # "twenty-one" -> "twenty-first", "forty" -> "fortieth", "seven" -> "seventh".
    head, _, last = words.rpartition(" ")
    stem, dash, unit = last.rpartition("-")
    if unit in _ORDINALS:
        unit = _ORDINALS[unit]
    elif unit.endswith("y"):
        unit = unit[:-1] + "ieth"
    else:
        unit += "th"
    return f"{head} {stem}{dash}{unit}".strip()
