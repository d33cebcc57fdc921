"""The jobs subdomain's own ports: what a running job keeps beside the queue (its worker's
liveness, its transcription's checkpoints), apart from the database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from archivist.domain.models import Segment


class CheckpointStore(Protocol):
    """Where a transcription's segments so far are kept between attempts (the data dir)."""

    def load(self, recording_id: int) -> tuple[Sequence[Segment], Mapping[str, Any]]:
        """The segments saved for this recording and the transcriber's state after them;
        none if none (or unreadable)."""
        ...

    def save(self, recording_id: int, segments: Sequence[Segment],
             context: Mapping[str, Any]) -> None:
        """Keep these segments (replacing the last save); a failure is logged, not raised."""
        ...

    def drop(self, recording_id: int) -> None: ...


class Liveness(Protocol):
    """Workers' heartbeats kept beside the queue (Redis, or the queue's folder), apart from the
    database: a worker cut off from the database is still known to be alive and working.

    Calls never raise: a store that does not answer makes `alive` False (the database's
    heartbeat is then the only word, as before).
    """

    def beat(self, job_id: int, attempt: int, worker: str, ttl: float) -> None:
        """Say this attempt of the job is being worked on, for the next `ttl` seconds."""
        ...

    def alive(self, job_id: int, attempt: int) -> bool:
        """Has this attempt's worker beaten within its last `ttl`?"""
        ...

    def forget(self, job_id: int) -> None:
        """The attempt is over (finished, stopped or lost)."""
        ...
