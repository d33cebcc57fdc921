"""The words a word error rate compares, from any caption or transcript text.

Lowercase; curly quotes made straight; `%` is "percent"; `$` and the commas inside a number
are dropped ("$4,200,000" -> "4200000"); a point between digits stays ("6.30"); hyphens and
slashes split words; every other non-alphanumeric character (apostrophes too: "don't" ->
"dont") is removed. Sound tags and notes in brackets ("[MUSIC]", "(inaudible)") and `♪` are
not words anyone said, so they are left out. Spelled-out whole numbers become digits on both
sides ("eight million three hundred thousand" -> "8300000", "forty" -> "40"): a person (or a
voice reading a script) says numbers in words and Whisper writes most of them in digits;
without this one sum counts as six errors. Numbers read in pieces ("fourteen twenty", a house
number) stay pieces, and decimals ("4.2 million") are left as they are.

The benchmarks (bench/caption_metrics.py) score against the corpus with this same function.
"""

from __future__ import annotations

import re


def normalise(text: str) -> list[str]:
    """Return the words of `text` as the word error rate compares them (see module docstring)."""
    t = re.sub(r"\[[^\]]*\]|\([^)]*\)|♪", " ", text)
    t = t.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    t = t.replace("%", " percent ")
    t = re.sub(r"(?<=\d),(?=\d)", "", t)           # 4,200,000 -> 4200000
    t = re.sub(r"(?<=\d)\.(?=\d)", "\0", t)        # keep the point of 6.30 through the next step
    t = re.sub(r"[-/—–]", " ", t)
    t = re.sub(r"[^\w\s\0]", "", t).replace("\0", ".")
    return _digits(t.split())


_ONES = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}


def _digits(words: list[str]) -> list[str]:
    """Spelled-out whole numbers as digits: "three hundred twenty one thousand" -> "321000"."""
    out: list[str] = []
    total = current = 0
    last = ""   # what the number so far ended with: "", "one", "teen", "ten", "hundred", "scale"

    def flush() -> None:
        nonlocal total, current, last
        if last:
            out.append(str(total + current))
        total = current = 0
        last = ""

    for w in words:
        if w in _ONES:
            v = _ONES[w]
            if last in ("one", "teen") or (last == "ten" and (v == 0 or v >= 10)):
                flush()   # "fourteen twenty", "five six": numbers read in pieces
            current += v
            last = "one" if v < 10 else "teen"
        elif w in _TENS:
            if last in ("one", "teen", "ten"):
                flush()
            current += _TENS[w]
            last = "ten"
        elif w == "hundred" and last in ("one", "teen", "ten") and current < 100:
            current *= 100
            last = "hundred"
        elif w in _SCALES and last in ("one", "teen", "ten", "hundred"):
            total += current * _SCALES[w]
            current = 0
            last = "scale"
        else:
            flush()
            out.append(w)
    flush()
    return out
