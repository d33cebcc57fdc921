"""Going on from a checkpoint: decode only what follows the segments an earlier attempt kept,
with the decoder's context primed as an uninterrupted run would have it."""

from __future__ import annotations

from collections.abc import Sequence

from archivist.adapters.whisper.decoding import Recognition
from archivist.domain.models import Segment
from archivist.domain.ports import Resumable

# Whisper's prompt holds at most 223 tokens of what was said before; this many words of the
# earlier segments' text is more than that, and faster-whisper keeps the last 223.
_CONTEXT_WORDS = 400


def resumed(recognition: Recognition, repair: bool, checkpoint: Resumable | None) -> list[Segment]:
    """The recording's segments: the checkpoint's, then the rest decoded after them (each save
    of the checkpoint holds all of them so far)."""
    done = list(checkpoint.segments) if checkpoint is not None else []
    if checkpoint is None:
        return recognition.run(repair=repair)
    if not done:
        return recognition.run(repair=repair, kept_so_far=checkpoint.decoded)
    rest = recognition.run(repair=repair, at=recognition.speech_time(done[-1].end),
                           prompt=context(done),
                           kept_so_far=lambda kept: checkpoint.decoded([*done, *kept]))
    return [*done, *rest]


def context(segments: Sequence[Segment]) -> str:
    """What an uninterrupted decode would hold as its previous text: the segments' own words."""
    words = " ".join(s.text.strip() for s in segments).split()
    return " ".join(words[-_CONTEXT_WORDS:])
