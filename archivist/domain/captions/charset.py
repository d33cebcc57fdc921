"""CEA-608 characters: what each Unicode character becomes on a caption decoder.

A line of caption text becomes a list of codes: a `str` of one character is a byte of the
basic set; a `tuple` is a two-byte code (special or extended character, sent doubled like
any control code). Extended characters erase the cell before them, so each one is preceded
by a plain fallback character that decoders without the extended set keep showing.
"""

from __future__ import annotations

import unicodedata

# Basic set: ASCII, except these byte values that CEA-608 gives to other characters.
BASIC_EXCEPTIONS = {
    0x2A: "á", 0x5C: "é", 0x5E: "í", 0x5F: "ó", 0x60: "ú",
    0x7B: "ç", 0x7C: "÷", 0x7D: "Ñ", 0x7E: "ñ", 0x7F: "█",
}
BASIC = {chr(b): b for b in range(0x20, 0x80) if b not in BASIC_EXCEPTIONS}
BASIC.update({ch: b for b, ch in BASIC_EXCEPTIONS.items()})

# Special characters: channel 1 byte 0x11, second byte 0x30-0x3F.
_SPECIAL_ORDER = "®°½¿™¢£♪à\u00a0èâêîôû"   # 0x39 is the transparent space
SPECIAL = {ch: (0x11, 0x30 + i) for i, ch in enumerate(_SPECIAL_ORDER)}

# Extended characters: byte 0x12 (Spanish/French) or 0x13 (Portuguese/German), 0x20-0x3F.
_EXT_12 = "ÁÉÓÚÜü‘¡*’—©℠•“”ÀÂÇÈÊËëÎÏïÔÙùÛ«»"
_EXT_13 = "ÃãÍÌìÒòÕõ{}\\^_|~ÄäÖöß¥¤¦ÅåØø┌┐└┘"
EXTENDED = {ch: (0x12, 0x20 + i) for i, ch in enumerate(_EXT_12)}
EXTENDED.update({ch: (0x13, 0x20 + i) for i, ch in enumerate(_EXT_13)})

# The plain character a decoder without the extended set shows instead.
_FALLBACK_OVERRIDES = {
    "‘": "'", "’": "'", "“": '"', "”": '"', "«": '"', "»": '"', "—": "-", "¡": "!",
    "©": "c", "℠": "s", "•": ".", "*": ".", "{": "(", "}": ")", "\\": "/", "^": "'",
    "_": "-", "|": "!", "~": "-", "¦": "!", "ß": "s", "¥": "Y", "¤": "o",
    "Ø": "O", "ø": "o", "┌": "+", "┐": "+", "└": "+", "┘": "+",
}

# Characters that are neither in the tables nor reducible by NFKD.
_TRANSLITERATIONS = {
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2015": "—",
    "\u2026": "...", "\u201a": "'", "\u201b": "'", "\u201e": '"', "\u201f": '"',
    "\u2032": "'", "\u2033": '"', "\u00b4": "'", "`": "'", "\u02bc": "'",
    "\u2039": "<", "\u203a": ">", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u00ad": "",
    "\t": " ", "\n": " ", "\r": " ",
    "€": "EUR", "§": "Sec.", "¶": "P", "±": "+/-", "×": "x", "·": ".", "¬": "-",
    "¼": "1/4", "¾": "3/4", "⅓": "1/3", "⅔": "2/3", "¹": "1", "²": "2", "³": "3",
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "¨": "", "¯": "-", "¸": ",",
    "♫": "♪", "♩": "♪", "♬": "♪", "→": "->", "←": "<-", "≤": "<=", "≥": ">=", "≠": "!=",
    "\u25cf": "•", "ª": "a", "º": "o", "µ": "u",
}
UNKNOWN = "?"   # shown, never silent, for what has no reading in CEA-608 (e.g. CJK)


def representable(ch: str) -> bool:
    """Tell whether a decoder can show `ch` as it is."""
    return ch in BASIC or ch in SPECIAL or ch in EXTENDED


# Sent as plain characters although CEA-608 has them: an apostrophe is common and cheap,
# and a no-break space in speech is just a space (0x39 is a *transparent* space). Braces and
# the backslash are ASS markup to decoders that pass captions through ASS (ffmpeg): a brace
# before a backslash, the row break they insert included, hides text to the next brace (two
# rows became one), and a backslash before N, n or h breaks or spaces a line. Speech has
# neither, so the plain look-alikes go instead.
_PREFERRED = {"’": "'", "\u00a0": " ", "{": "(", "}": ")", "\\": "/"}


def _fold(ch: str) -> str:
    if ch in _PREFERRED:
        return _PREFERRED[ch]
    if representable(ch):
        return ch
    if ch in _TRANSLITERATIONS:
        return "".join(_fold(c) for c in _TRANSLITERATIONS[ch])
    decomposed = unicodedata.normalize("NFKD", ch)
    if decomposed != ch:
        # Accented names: keep what the decoder can show after dropping combining marks.
        kept = "".join(c for c in decomposed if not unicodedata.combining(c))
        composed = unicodedata.normalize("NFC", decomposed)
        if composed != ch and all(representable(c) for c in composed):
            return composed
        if kept and kept != ch:
            return "".join(_fold(c) for c in kept)
    if unicodedata.category(ch) in ("Zs", "Zl", "Zp"):  # spaces, line and paragraph separators
        return " "
    if unicodedata.category(ch) in ("Cc", "Cf", "Mn", "Me"):
        return ""
    return UNKNOWN


def transliterate(text: str) -> str:
    """Return `text` spelled only with characters a CEA-608 decoder can show."""
    return "".join(_fold(ch) for ch in text)


def fallback(ch: str) -> str:
    """Return the basic-set character sent before extended character `ch`."""
    if ch in _FALLBACK_OVERRIDES:
        return _FALLBACK_OVERRIDES[ch]
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base if len(base) == 1 and base in BASIC else "."


Code = int | tuple[int, int]


def encode(text: str) -> list[Code]:
    """Return the codes that draw `text` (already transliterated): bytes and two-byte codes."""
    codes: list[Code] = []
    for ch in text:
        if ch in BASIC:
            codes.append(BASIC[ch])
        elif ch in SPECIAL:
            codes.append(SPECIAL[ch])
        elif ch in EXTENDED:
            codes.append(BASIC[fallback(ch)])
            codes.append(EXTENDED[ch])
        else:
            raise ValueError(f"{ch!r} is not a CEA-608 character; transliterate first")
    return codes


def with_parity(byte: int) -> int:
    """Return `byte` (7 bits) with its high bit set so that it has an odd number of ones."""
    return byte | 0x80 if bin(byte & 0x7F).count("1") % 2 == 0 else byte & 0x7F
