"""Captions: turn a transcript into caption and transcript files.

The rest of the application calls `render`; everything here is pure and standard-library.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import lru_cache, partial
from types import MappingProxyType

from archivist.domain import transcript_json
from archivist.domain.captions import (
    charset,
    guards,
    scc,
    segmentation,
    sound_tags,
    srt,
    text,
    timecode,
    webvtt,
)
from archivist.domain.captions.cues import Cue
from archivist.domain.captions.settings import CaptionSettings, CueRules
from archivist.domain.models import Transcript
from archivist.domain.sidecars import FORMATS

__all__ = ["EXTENSIONS", "FORMATS", "CaptionSettings", "Cue", "CueRules", "broadcast_cues",
           "forget", "profile_cues", "render", "render_cleaned", "web_cues"]

EXTENSIONS = MappingProxyType({name: f".{name}" for name in FORMATS})

# CEA-608 draws 32 columns and at most 4 rows, whatever the settings say.
_SCC_MAX_CHARS, _SCC_MAX_LINES = 32, 4


def broadcast_cues(transcript: Transcript, settings: CaptionSettings) -> list[Cue]:
    """Return the cues for SCC: CEA-608 characters only, within 32 columns."""
    rules = replace(settings.broadcast,
                    max_chars=min(settings.broadcast.max_chars, _SCC_MAX_CHARS),
                    max_lines=min(settings.broadcast.max_lines, _SCC_MAX_LINES, settings.scc_row))
    # Times on whole frames; cues chosen and spaced so each can be sent while the one before
    # is shown, with two frames more for an erase that may ride inside the sending.
    frame = timecode.seconds_at(1)
    cues = segmentation.segment(transcript, rules, spell=charset.transliterate, tick=frame,
                                load=_sending_to(settings.scc_row))
    tagged = sound_tags.tag(cues, transcript, charset.transliterate(settings.music_broadcast),
                            rules, tick=lambda t: round(t / frame) * frame)
    last = math.floor(transcript.duration * timecode.FPS + 1e-6)   # the recording's last frame
    return _until(tagged, timecode.seconds_at(last))


@lru_cache(maxsize=16)
def _sending_to(bottom_row: int) -> Callable[[tuple[str, ...]], float]:
    # One function a row, so cue segmentation knows a run it has seen under the same rules.
    return partial(_sending, bottom_row=bottom_row)


def _sending(lines: tuple[str, ...], bottom_row: int) -> float:
    return scc.load_seconds(lines, bottom_row) + _TWO_FRAMES


_TWO_FRAMES = timecode.seconds_at(2)


def web_cues(transcript: Transcript, settings: CaptionSettings) -> list[Cue]:
    """Return the cues for WebVTT and SRT."""
    return _until(sound_tags.tag(segmentation.segment(transcript, settings.web), transcript,
                                 settings.music_web, settings.web), transcript.duration)


def _until(cues: list[Cue], end: float) -> list[Cue]:
    """`cues`, none shown in the recording up after `end` (its last moment, on the format's
    grid): the trail and the minimum duration may hold the last past it. A cue speech too fast
    to caption in time pushed past the end stays as it is: its words are not lost. A duration
    of 0 is unknown."""
    if end <= 0 or not cues or cues[-1].end <= end:
        return cues
    return [replace(c, end=end) if c.start < end < c.end else c for c in cues]


def profile_cues(clean: Transcript, settings: CaptionSettings) -> dict[str, list[Cue]]:
    """Return the cues of each caption profile: "broadcast" (SCC) and "web" (WebVTT, SRT)."""
    return {"broadcast": broadcast_cues(clean, settings), "web": web_cues(clean, settings)}


def forget() -> None:
    """Drop what rendering remembers (each line's words and JSON, each run of speech's cues):
    the next render starts from nothing, as a new process's does."""
    from archivist.domain.captions import breaks

    for remembered in (segmentation._segment_tokens, segmentation._said_in,
                       segmentation._cues_of, scc._line_frames, scc._units, breaks.quality,
                       text._filled, transcript_json._remembered):
        remembered.cache_clear()


def render(transcript: Transcript, formats: Iterable[str],
           settings: CaptionSettings) -> dict[str, str]:
    """Return the text of each requested format, after removing suspect material."""
    return render_cleaned(guards.clean(transcript), formats, settings)


def render_cleaned(clean: Transcript, formats: Iterable[str], settings: CaptionSettings,
                   cues: Mapping[str, list[Cue]] | None = None) -> dict[str, str]:
    """Return the text of each requested format of a transcript `guards.clean` already passed.

    `cues` are those of `profile_cues`, when the caller has them already.
    """
    wanted = list(formats)
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown caption format {unknown[0]!r}; "
                         f"expected one of {', '.join(FORMATS)}")
    out: dict[str, str] = {}
    cues = cues or {}
    web: list[Cue] | None = cues.get("web")
    for name in wanted:
        if name == "scc":
            shown = cues.get("broadcast")
            out[name] = scc.write(shown if shown is not None else broadcast_cues(clean, settings),
                                  start_timecode=settings.scc_start_timecode, row=settings.scc_row)
        elif name in ("srt", "vtt"):
            web = web if web is not None else web_cues(clean, settings)
            out[name] = srt.write(web) if name == "srt" else webvtt.write(web)
        elif name == "txt":
            out[name] = text.write(clean)
        else:
            out[name] = transcript_json.dumps(clean)
    return out
