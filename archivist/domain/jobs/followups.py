"""What follows a finished job, decided here and sent through the `JobQueue` port.

A job that succeeded in a city that publishes is published to Cablecast, as a task of its own
so transcription never waits on Cablecast; and every job that succeeded asks for its
recording's browser copy (made only if browsers cannot play the file). A queue that is down
loses nothing: the schedule's catch-ups publish what is due and ask for missing copies.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from archivist.domain.errors import GatewayUnavailable
from archivist.domain.models import Job, JobState
from archivist.domain.ports import JobQueue

log = logging.getLogger("archivist.jobs")


class FollowUps:
    """Sends what follows a job that has just finished."""

    def __init__(self, queue: JobQueue, publishing_cities: Collection[str] = ()) -> None:
        self._queue = queue
        self._publishing = frozenset(publishing_cities)

    def publishes(self, job: Job) -> bool:
        """A job whose captions go on to Cablecast: it succeeded in a city that publishes."""
        return job.state is JobState.SUCCEEDED and job.city in self._publishing

    def finished(self, job: Job) -> None:
        """Send what follows `job`: its browser copy and its publication, if it succeeded."""
        if job.id is not None and job.state is JobState.SUCCEEDED:
            try:
                self._queue.make_playable(job.recording_id)
            except GatewayUnavailable as exc:
                log.warning("browser copy not asked for; the catch-up will ask",
                            extra={"job_id": job.id, "reason": exc.reason})
        if job.id is None or not self.publishes(job):
            return
        try:
            self._queue.publish_job(job.id)
        except GatewayUnavailable as exc:
            log.warning("publish not sent; the catch-up will publish it",
                        extra={"job_id": job.id, "reason": exc.reason})
