"""Captions end with the recording: no caption stays up (and no SCC erase comes) after the
recording's last moment, though the trail and the minimum duration would hold it longer."""

from __future__ import annotations

import math
import re

from archivist.domain import captions
from archivist.domain.captions.settings import CaptionSettings
from archivist.domain.captions.timecode import FPS, parse
from archivist.domain.models import Segment, Transcript, Word


def ending_at_the_end(extra: float = 0.0) -> Transcript:
    """A slow last sentence whose last word ends `extra` seconds before the recording does."""
    words = tuple(Word(10.0 + 0.6 * i, 10.5 + 0.6 * i, " " + w)
                  for i, w in enumerate("The meeting is now adjourned.".split()))
    return Transcript((Segment(words[0].start, words[-1].end, "The meeting is now adjourned.",
                               words),), duration=words[-1].end + extra)


def _clock(text: str) -> float:
    h, m, s = text.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_no_caption_ends_after_the_recording_in_any_format() -> None:
    for extra in (0.0, 0.05):
        transcript = ending_at_the_end(extra)
        out = captions.render(transcript, ["scc", "vtt", "srt"], CaptionSettings())
        for name in ("vtt", "srt"):
            ends = [_clock(e) for e in re.findall(r"--> (\S+)", out[name])]
            assert ends and max(ends) <= transcript.duration, (name, extra, ends)
        frames = [parse(m) for m in re.findall(r"^(\d\d:\d\d:\d\d;\d\d)\t", out["scc"], re.M)]
        last = math.floor(transcript.duration * FPS)   # the last whole frame in the recording
        assert frames and max(frames) <= last, (extra, frames, last)
        # ... and the last caption still shows until then.
        assert max(ends) > transcript.duration - 0.2
