"""Going on from a checkpoint: decode only what follows the segments an earlier attempt kept,
with the decoder in the state an uninterrupted run would have there (the window it starts at
and the tokens of its context)."""

from __future__ import annotations

from collections.abc import Sequence

from archivist.adapters.whisper.decoding import Recognition, Window
from archivist.domain.models import Segment
from archivist.domain.ports import Resumable


def resumed(recognition: Recognition, repair: bool, checkpoint: Resumable | None) -> list[Segment]:
    """The recording's segments: the checkpoint's, then the rest decoded after them (each save
    of the checkpoint holds all of them so far, with the decoder's state after them)."""
    if checkpoint is None:
        return recognition.run(repair=repair)
    done = list(checkpoint.segments)
    window = _window(checkpoint) if done else None
    if window is None:   # nothing kept, or kept by another version: start from the beginning
        return recognition.run(repair=repair, kept_so_far=lambda kept, w: checkpoint.decoded(
            kept, _context(w)))
    rest = recognition.run(repair=repair, at=window.seek, prompt=window.tokens,
                           kept_so_far=lambda kept, w: checkpoint.decoded(
                               [*done, *kept], _context(w)), before=done)
    return [*done, *rest]


def _context(window: Window) -> dict[str, object]:
    return {"seek": window.seek, "tokens": list(window.tokens)}


def _window(checkpoint: Resumable) -> Window | None:
    try:
        tokens: Sequence[int] = [int(t) for t in checkpoint.context["tokens"]]
        return Window(float(checkpoint.context["seek"]), tuple(tokens))
    except (KeyError, TypeError, ValueError):
        return None
