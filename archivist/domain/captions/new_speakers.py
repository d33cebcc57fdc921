"""A new speaker's caption: the `>>` the transcriber or staff put before a new speaker's first
word (domain/speakers.py) begins a caption, on the line of that word."""

from __future__ import annotations

from dataclasses import replace

from archivist.domain.captions.cues import Token
from archivist.domain.speakers import SPEAKER_CHANGE


def joined(toks: list[Token], max_chars: int) -> list[Token]:
    """`toks` with each `>>` joined to the word after it, so a new speaker's first caption
    begins with `>> ` on the line of that word (counted in its width, never left alone on a
    line or in a caption: a word too long to share the line is cut, its rest glued after it);
    the words from there on are a new run, so the caption before ends there."""
    out: list[Token] = []
    for tok in toks:
        mark = out[-1] if out and out[-1].new_speaker and out[-1].text == SPEAKER_CHANGE else None
        if mark is None or tok.new_speaker:
            out.append(tok)
            continue
        room = max_chars - len(SPEAKER_CHANGE) - 1
        head, rest = tok.text[:room], tok.text[room:]
        split = tok.start + (tok.end - tok.start) * len(head) / len(tok.text) if rest else tok.end
        out[-1] = replace(tok, text=f"{SPEAKER_CHANGE} {head}", end=split, glued=False,
                          first_in_segment=mark.first_in_segment or tok.first_in_segment,
                          new_speaker=True)
        if rest:
            out.append(replace(tok, text=rest, start=split, first_in_segment=False, glued=True))
    return out
