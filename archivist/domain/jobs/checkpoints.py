"""Checkpoints: the segments of a transcription decoded so far, kept every few minutes of
audio, so that an interrupted job (stopped, killed, out of memory, lost) goes on from there
instead of starting again."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from archivist.domain.models import Segment
from archivist.domain.ports import CheckpointStore

log = logging.getLogger("archivist.jobs")


@dataclass(slots=True)
class Checkpoint:
    """One recording's transcription so far, as the transcriber resumes and extends it."""

    store: CheckpointStore
    recording_id: int
    segments: tuple[Segment, ...]     # decoded by earlier attempts: go on after the last
    every: float                      # seconds of audio between saves
    saved_until: float = 0.0

    @classmethod
    def resume(cls, store: CheckpointStore, recording_id: int, every: float) -> Checkpoint:
        """The checkpoint earlier attempts left for this recording (or an empty one)."""
        segments = tuple(store.load(recording_id))
        if segments:
            log.info("resuming from checkpoint", extra={"segments": len(segments),
                                                        "at": round(segments[-1].end, 1)})
        done_until = segments[-1].end if segments else 0.0
        return cls(store, recording_id, segments, every, done_until)

    def decoded(self, segments: Sequence[Segment]) -> None:
        """All segments decoded so far (earlier attempts' included); saved every `every` s."""
        if not segments or segments[-1].end - self.saved_until < self.every:
            return
        self.store.save(self.recording_id, segments)
        self.saved_until = segments[-1].end
