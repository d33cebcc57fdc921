"""CEA-608 character mapping and odd parity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archivist.domain.captions import charset


def test_odd_parity_on_every_byte():
    for byte in range(128):
        coded = charset.with_parity(byte)
        assert coded & 0x7F == byte
        assert bin(coded).count("1") % 2 == 1
    assert charset.with_parity(0x54) == 0x54   # 'T': already odd
    assert charset.with_parity(0x65) == 0xE5   # 'e': four ones
    assert charset.with_parity(0x00) == 0x80   # padding
    assert charset.with_parity(0x14) == 0x94   # control codes on CC1


@pytest.mark.parametrize(("byte", "char"), [
    (0x2A, "á"), (0x5C, "é"), (0x5E, "í"), (0x5F, "ó"), (0x60, "ú"),
    (0x7B, "ç"), (0x7C, "÷"), (0x7D, "Ñ"), (0x7E, "ñ"), (0x7F, "█"),
])
def test_basic_set_exceptions(byte, char):
    assert charset.encode(char) == [byte]


@pytest.mark.parametrize("literal", list("*\\^_`{|}~"))
def test_ascii_that_608_redefines_is_never_sent_as_that_byte(literal):
    codes = charset.encode(charset.transliterate(literal))
    assert ord(literal) not in codes
    assert all(isinstance(c, tuple) or c not in charset.BASIC_EXCEPTIONS for c in codes)


@pytest.mark.parametrize(("char", "code"), [
    ("®", (0x11, 0x30)), ("°", (0x11, 0x31)), ("½", (0x11, 0x32)), ("¿", (0x11, 0x33)),
    ("™", (0x11, 0x34)), ("¢", (0x11, 0x35)), ("£", (0x11, 0x36)), ("♪", (0x11, 0x37)),
    ("à", (0x11, 0x38)), ("è", (0x11, 0x3A)), ("â", (0x11, 0x3B)), ("ê", (0x11, 0x3C)),
    ("î", (0x11, 0x3D)), ("ô", (0x11, 0x3E)), ("û", (0x11, 0x3F)),
])
def test_special_characters(char, code):
    assert charset.encode(char) == [code]


@pytest.mark.parametrize(("char", "code"), [
    ("É", (0x12, 0x21)), ("Ü", (0x12, 0x24)), ("ü", (0x12, 0x25)), ("‘", (0x12, 0x26)),
    ("¡", (0x12, 0x27)), ("—", (0x12, 0x2A)), ("©", (0x12, 0x2B)), ("℠", (0x12, 0x2C)),
    ("•", (0x12, 0x2D)), ("“", (0x12, 0x2E)), ("”", (0x12, 0x2F)), ("À", (0x12, 0x30)),
    ("Ç", (0x12, 0x32)), ("ë", (0x12, 0x36)), ("«", (0x12, 0x3E)), ("»", (0x12, 0x3F)),
    ("Ã", (0x13, 0x20)), ("{", (0x13, 0x29)), ("}", (0x13, 0x2A)), ("\\", (0x13, 0x2B)),
    ("^", (0x13, 0x2C)), ("_", (0x13, 0x2D)), ("|", (0x13, 0x2E)), ("~", (0x13, 0x2F)),
    ("Ä", (0x13, 0x30)), ("ß", (0x13, 0x34)), ("¥", (0x13, 0x35)), ("¤", (0x13, 0x36)),
    ("¦", (0x13, 0x37)), ("Å", (0x13, 0x38)), ("Ø", (0x13, 0x3A)), ("ø", (0x13, 0x3B)),
    ("┌", (0x13, 0x3C)), ("┘", (0x13, 0x3F)),
])
def test_extended_characters_follow_a_plain_fallback(char, code):
    fallback, extended = charset.encode(char)
    assert extended == code
    assert isinstance(fallback, int) and fallback not in charset.BASIC_EXCEPTIONS


@pytest.mark.parametrize(("text", "shown"), [
    ("“Yes,” she said…", "“Yes,” she said..."),
    ("don’t", "don't"),
    ("5–6 p.m.", "5-6 p.m."),
    ("Nguyễn Łódź Ærø", "Nguyen Lódz AErø"),
    ("Zoë naïve São", "Zoë naïve São"),
    ("€20 × 3", "EUR20 x 3"),
    ("中文", "??"),
    ("tab\there", "tab here"),
])
def test_transliteration(text, shown):
    assert charset.transliterate(text) == shown


@given(st.text(max_size=60))
def test_transliteration_only_yields_characters_a_decoder_shows(text):
    shown = charset.transliterate(text)
    assert all(charset.representable(ch) for ch in shown)
    charset.encode(shown)   # never raises


def test_encode_refuses_untransliterated_text():
    with pytest.raises(ValueError):
        charset.encode("中")


def test_line_and_paragraph_separators_are_spaces_not_unknown_characters():
    # Found by hypothesis: U+2028/U+2029 inside a word became "?" on screen.
    assert charset.transliterate("order\u2028please\u2029now") == "order please now"
