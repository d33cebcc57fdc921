"""What was measured: a recording's word error rate against one reference, which reference
speaks for the recording, and each city's figure."""

from __future__ import annotations

import enum
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from archivist.domain.accuracy.wer import WordErrors


class Reference(enum.StrEnum):
    """Whose words the machine's are measured against, the preferred first."""

    APPROVED = "approved"   # the revision a person signed off in review
    HUMAN = "human"         # a caption file a person made (`<stem>.human.scc`, CART)


# The approved revision speaks for a recording when there is one: it is the station's own
# correction of exactly this transcript. A CART writer's captions paraphrase at speed, so
# they overstate the machine's errors; they count where nobody has approved a revision.
PREFERENCE = (Reference.APPROVED, Reference.HUMAN)


@dataclass(frozen=True, slots=True)
class Measure:
    """The machine revision's word errors against one reference, for one recording."""

    recording_id: int
    reference: Reference
    source: str            # "revision 3" or the caption file's name
    machine_revision: int
    errors: int
    words: int             # words in the reference
    measured_at: datetime
    by: str = ""           # who approved, for an approved revision

    @property
    def wer(self) -> float:
        return WordErrors(self.errors, self.words).rate

    def as_dict(self) -> dict[str, Any]:
        return {"wer": round(self.wer, 4), "reference": str(self.reference),
                "source": self.source, "machine_revision": self.machine_revision,
                "errors": self.errors, "words": self.words, "by": self.by or None,
                "measured_at": self.measured_at.isoformat().replace("+00:00", "Z")}

    def describe(self) -> str:
        """One line for a person: "WER 7.4 % (12 errors in 162 words) of machine revision 1
        against revision 3"."""
        against = self.source if self.reference is Reference.APPROVED \
            else f"{self.source}, a person's captions"
        errors = f"{self.errors} error{'s' if self.errors != 1 else ''}"
        return (f"WER {100 * self.wer:.1f} % ({errors} in {self.words} words) of "
                f"machine revision {self.machine_revision} against {against}")


def preferred(measures: Iterable[Measure]) -> Measure | None:
    """The measure that speaks for a recording (see PREFERENCE), or None."""
    ranked = sorted(measures, key=lambda m: PREFERENCE.index(m.reference))
    return ranked[0] if ranked else None


@dataclass(frozen=True, slots=True)
class CityAccuracy:
    """A city's word error rate: the mean over its measured recordings."""

    city: str
    wer: float
    recordings: int
    words: int

    def as_dict(self) -> dict[str, Any]:
        return {"city": self.city, "wer": round(self.wer, 4), "recordings": self.recordings,
                "words": self.words}


def by_city(measures: Iterable[tuple[str, Measure]]) -> dict[str, CityAccuracy]:
    """Each city's figure from (city, measure) pairs, one recording counted once (by its
    preferred measure)."""
    per_recording: dict[int, tuple[str, list[Measure]]] = {}
    for city, measure in measures:
        per_recording.setdefault(measure.recording_id, (city, []))[1].append(measure)
    cities: dict[str, list[Measure]] = {}
    for city, found in per_recording.values():
        best = preferred(found)
        if best is not None:
            cities.setdefault(city, []).append(best)
    return {city: CityAccuracy(city, statistics.fmean(m.wer for m in kept), len(kept),
                               sum(m.words for m in kept))
            for city, kept in sorted(cities.items())}
