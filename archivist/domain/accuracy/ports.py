"""What accuracy needs from the database: the measures taken, per recording."""

from __future__ import annotations

from typing import Protocol

from archivist.domain.accuracy.measures import Measure, Reference


class Measures(Protocol):
    def record(self, measure: Measure) -> None:
        """Keep `measure`, replacing the recording's earlier one against the same reference."""
        ...

    def of(self, recording_id: int) -> list[Measure]:
        """A recording's measures (one per reference at most)."""
        ...

    def all(self) -> list[tuple[str, Measure]]:
        """Every measure, with its recording's city."""
        ...

    def measured(self, reference: Reference, recording_ids: list[int]) -> set[int]:
        """Which of `recording_ids` have a measure against `reference`."""
        ...
