"""Speech the voice detector heard and the model wrote nothing for: stretches a person must check.

Whisper can end a window early and jump past the rest of it: with names given as hints, the
bundled tiny.en hears the sample meeting remuxed to MKV or TS as one sentence at 0:21 and drops
the twenty seconds of speech before it (bare faster-whisper does the same). The captions are
then silently short; a note on the job and in the report names the stretch instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from archivist.domain.captions.compliance import clock
from archivist.domain.models import Segment

# A voiced stretch this long with no words in it is noted (shorter ones are coughs, crosstalk
# and noise the model rightly leaves out).
LEAST_SECONDS = 8.0
# Voiced spans closer than this are one stretch (the detector splits speech at every breath).
_JOIN = 2.0
# A segment's times may fall short of its voice by this much either side.
_REACH = 1.0


def unheard(voiced: Sequence[tuple[float, float]], segments: Sequence[Segment],
            least: float = LEAST_SECONDS) -> list[tuple[float, float]]:
    """The stretches of `voiced` (start, end seconds) that no segment covers, `least` or longer."""
    stretches: list[list[float]] = []
    for start, end in sorted(voiced):
        if stretches and start - stretches[-1][1] < _JOIN:
            stretches[-1][1] = max(stretches[-1][1], end)
        else:
            stretches.append([start, end])
    covered = sorted((s.start - _REACH, s.end + _REACH) for s in segments if s.text.strip())
    found = []
    for start, end in stretches:
        at = start
        for low, high in covered:
            if high <= at or low >= end:
                continue
            if low - at >= least:
                found.append((at, low))
            at = max(at, high)
        if end - at >= least:
            found.append((at, end))
    return found


def notes(voiced: Sequence[tuple[float, float]], segments: Sequence[Segment]) -> tuple[str, ...]:
    """One note for each stretch of speech with no captions."""
    return tuple(f"speech with no captions at {clock(start)}–{clock(end)} ({end - start:.0f} s): "
                 "the model wrote nothing for it; check this stretch (another model may hear it)"
                 for start, end in unheard(voiced, segments))
