"""Checkpoints: the segments of a transcription decoded so far, kept every few minutes of
audio, so that an interrupted job (stopped, killed, out of memory, lost) goes on from there
instead of starting again."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from archivist.domain.jobs.ports import CheckpointStore
from archivist.domain.models import Segment

log = logging.getLogger("archivist.jobs")


@dataclass(slots=True)
class Checkpoint:
    """One recording's transcription so far, as the transcriber resumes and extends it."""

    store: CheckpointStore
    recording_id: int
    segments: tuple[Segment, ...]     # decoded by earlier attempts: go on after the last
    every: float                      # seconds of audio between saves
    context: Mapping[str, Any] = field(default_factory=dict)   # the transcriber's, opaque
    saved_until: float = 0.0
    latest: tuple[Sequence[Segment], Mapping[str, Any]] | None = None   # not saved yet

    @classmethod
    def resume(cls, store: CheckpointStore, recording_id: int, every: float) -> Checkpoint:
        """The checkpoint earlier attempts left for this recording (or an empty one)."""
        found, context = store.load(recording_id)
        segments = tuple(found)
        if segments:
            log.info("resuming from checkpoint", extra={"segments": len(segments),
                                                        "at": round(segments[-1].end, 1)})
        done_until = segments[-1].end if segments else 0.0
        return cls(store, recording_id, segments, every, dict(context), done_until)

    def decoded(self, segments: Sequence[Segment], context: Mapping[str, Any]) -> None:
        """All segments decoded so far (earlier attempts' included) and the transcriber's
        state after them; saved once `every` seconds of audio have passed since the last save."""
        self.latest = (segments, context)
        if segments and segments[-1].end - self.saved_until >= self.every:
            self.flush()

    def flush(self) -> None:
        """Save what is decoded now (the job is being handed back)."""
        if self.latest is None or not self.latest[0]:
            return
        segments, context = self.latest
        if segments[-1].end > self.saved_until:
            self.store.save(self.recording_id, segments, context)
            self.saved_until = segments[-1].end
        self.latest = None
