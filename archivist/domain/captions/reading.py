"""Reading caption files someone else made (a CART writer's SCC, WebVTT or SRT): the words
they show, in order, without their times or layout.

SCC is decoded as a CEA-608 decoder would draw it on caption channel 1 or 2: parity dropped,
a control code sent twice in a row counted once, a row change, indent, carriage return,
mid-row code or end of caption read as a space between words, a backspace or an extended
character taking back the character before it.
"""

from __future__ import annotations

import html
import re

from archivist.domain.captions.charset import BASIC_EXCEPTIONS, EXTENDED, SPECIAL
from archivist.domain.errors import ArchivistError

HEADER = "Scenarist_SCC V1.0"
_EVENT = re.compile(r"^\s*\d\d:\d\d:\d\d[:;.,]\d\d\s+(.*)$")
_WORD = re.compile(r"[0-9a-fA-F]{4}")
_TAG = re.compile(r"<[^>]*>")
# Two-byte codes that draw a character: special ones add it, extended ones replace the one before.
_SPECIAL = {code: ch.replace("\u00a0", " ") for ch, code in SPECIAL.items()}
_EXTENDED = {code: ch for ch, code in EXTENDED.items()}


class CaptionFileError(ArchivistError):
    """A caption file that cannot be read as the format its name says."""


def caption_text(text: str, fmt: str) -> str:
    """The words of a caption file of format `fmt` ("scc", "vtt" or "srt")."""
    if fmt == "scc":
        return scc_text(text)
    if fmt in ("vtt", "srt"):
        return cue_text(text)
    raise CaptionFileError(f"cannot read captions of format {fmt!r} (scc, vtt or srt)")


def cue_text(text: str) -> str:
    """The words of a WebVTT or SRT file: each cue's lines, markup and entities removed."""
    words: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        rows = block.strip("\n").split("\n")
        timing = next((k for k, row in enumerate(rows) if "-->" in row), None)
        if timing is None:
            continue   # the header, a NOTE, STYLE or REGION block
        for row in rows[timing + 1:]:
            words.append(html.unescape(_TAG.sub("", row)).replace("\xa0", " ").strip())
    return " ".join(w for w in words if w)


def scc_text(text: str) -> str:
    """The words an SCC file draws. Raises CaptionFileError for a file that is not SCC."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != HEADER:
        raise CaptionFileError(f"not an SCC file: the first line is not {HEADER!r}")
    shown: list[str] = []
    previous: tuple[int, int] | None = None
    for number, line in enumerate(lines[1:], start=2):
        event = _EVENT.match(line)
        if event is None:
            if line.strip():
                raise CaptionFileError(f"line {number}: expected a timecode and hex words")
            continue
        for word in event.group(1).split():
            if not _WORD.fullmatch(word):
                raise CaptionFileError(f"line {number}: {word!r} is not a hex word")
            first, second = int(word[:2], 16) & 0x7F, int(word[2:], 16) & 0x7F
            if 0x10 <= first <= 0x1F:
                code = (first & 0x17, second)    # channel 2 codes read as channel 1
                if code == previous:
                    previous = None              # the repeat of a doubled code
                    continue
                previous = code
                _control(code, shown)
            else:
                previous = None
                shown.extend(_basic(b) for b in (first, second) if b >= 0x20)
    return " ".join("".join(shown).split())


def _basic(byte: int) -> str:
    return BASIC_EXCEPTIONS.get(byte, chr(byte))


def _control(code: tuple[int, int], shown: list[str]) -> None:
    """Draw a two-byte code: a special or extended character, else a break between words."""
    if code in _SPECIAL:
        shown.append(_SPECIAL[code])
    elif code in _EXTENDED:
        if shown:
            shown.pop()                          # an extended character replaces its fallback
        shown.append(_EXTENDED[code])
    elif code == (0x14, 0x21):                   # backspace
        if shown:
            shown.pop()
    elif _moves_cursor(code):
        shown.append(" ")
    # Other commands (erase a memory, resume a mode) draw nothing: a writer may send one
    # between an extended character and the fallback it replaces.


def _moves_cursor(code: tuple[int, int]) -> bool:
    """A row or indent (preamble address, tab offset), a mid-row code (drawn as a space), a
    carriage return or an end of caption: what stands between two words."""
    first, second = code
    return (second >= 0x40 or (first == 0x11 and 0x20 <= second <= 0x2F)
            or (first == 0x17 and 0x21 <= second <= 0x23)
            or (first in (0x14, 0x15) and second in (0x2D, 0x2F)))
