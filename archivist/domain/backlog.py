"""The backlog a scrape shows: jobs per state and city, how long each city's oldest waited, and
each city's word error rate against a person's words."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from archivist.domain.models import JobState

if TYPE_CHECKING:
    from archivist.domain.accuracy.measures import CityAccuracy
    from archivist.domain.models import JobCount
    from archivist.domain.ports import Repository


@dataclass(frozen=True, slots=True)
class Backlog:
    """The jobs in each state and city, how long each city's oldest active job has waited,
    and each city's word error rate against a person's words (where measured)."""

    jobs: Mapping[tuple[str, str], int]          # (state, city) -> jobs
    oldest_waiting: Mapping[str, float]          # city -> seconds
    accuracy: Mapping[str, CityAccuracy] = field(default_factory=dict)


def backlog(repository: Repository, cities: Iterable[Mapping[str, object]] = (),
            clock: Callable[[], datetime] = lambda: datetime.now(UTC),
            accuracy: Callable[[], Mapping[str, CityAccuracy]] | None = None) -> Backlog:
    """Read the backlog (and, given `accuracy`, each city's word error rate) from the
    database. Every city configured (`library.cities` entries)
    and every state appear, at 0 when empty, so a series does not vanish when its jobs do."""
    counted: list[JobCount] = repository.job_counts()
    configured = [str(c["name"]) for c in cities if isinstance(c, Mapping) and c.get("name")]
    names = list(dict.fromkeys([*configured, *(c.city for c in counted)]))
    jobs = {(str(state), city): 0 for state in JobState for city in names}
    oldest = dict.fromkeys(names, 0.0)
    now = clock()
    for each in counted:
        jobs[(str(each.state), each.city)] = each.jobs
        if each.state in (JobState.QUEUED, JobState.RUNNING) and each.oldest is not None:
            waited = max(0.0, (now - each.oldest).total_seconds())
            oldest[each.city] = max(oldest[each.city], waited)
    return Backlog(jobs, oldest, accuracy() if accuracy is not None else {})
