"""What staff do to jobs: cancel, retry, prioritise."""

from __future__ import annotations

from dataclasses import dataclass, field

from archivist.domain.errors import Conflict, NotFound
from archivist.domain.jobs.intake import Intake
from archivist.domain.jobs.outcomes import ACTIVE, stored_id
from archivist.domain.models import Job, JobState
from archivist.domain.ports import Repository


@dataclass
class Retried:
    """What `retry_failed` did: the jobs queued again, and those left failed, each with why."""

    queued: list[Job] = field(default_factory=list)
    left: list[tuple[int, str]] = field(default_factory=list)


class StaffActions:
    """Staff's buttons and commands on one job; each says plainly why it cannot be done."""

    def __init__(self, repository: Repository, intake: Intake) -> None:
        self._repo = repository
        self._intake = intake

    def cancel(self, job_id: int) -> Job:
        """Cancel a queued or running job; a running one stops within a heartbeat."""
        job = self._repo.transition(job_id, ACTIVE, JobState.CANCELLED, error="cancelled by staff")
        return job or self._refuse(job_id, "cancel", "it is not queued or running")

    def retry(self, job_id: int) -> Job:
        """Queue a failed or cancelled job again, with a fresh budget of attempts."""
        job = self._repo.transition(job_id, [JobState.FAILED, JobState.CANCELLED],
                                    JobState.QUEUED, reset_attempts=True)
        if job is None:
            return self._refuse(job_id, "retry", "only failed or cancelled jobs can be retried")
        self._intake.send(job)
        return job

    def retry_failed(self, city: str | None = None) -> Retried:
        """Queue again every failed job (of one city) that is still its recording's latest: once
        what failed them is fixed (a model name, a mount). A failed job that a later job of the
        same recording replaced is left alone: running it would supersede that job's transcript,
        and with it the corrections and approval staff made since. One refusal (a job retried
        meanwhile from the web) is reported and the rest still go."""
        done = Retried()
        for job in self._failed(city):
            job_id = stored_id(job)
            latest = self._repo.latest_job(job.recording_id)
            if latest is not None and latest.id != job_id:
                done.left.append((job_id, f"replaced by job {latest.id} ({latest.state})"))
                continue
            try:
                done.queued.append(self.retry(job_id))
            except (Conflict, NotFound) as exc:
                done.left.append((job_id, str(exc)))
        return done

    def _failed(self, city: str | None) -> list[Job]:
        # All read before any is retried (a retried job leaves the list and would shift the
        # pages); a page shifted by a job failing meanwhile can repeat one: kept once.
        found: dict[int, Job] = {}
        while page := self._repo.jobs(state=JobState.FAILED, city=city, limit=500,
                                      offset=len(found)):
            fresh = {stored_id(job): job for job in page if stored_id(job) not in found}
            if not fresh:
                break
            found.update(fresh)
        return [found[job_id] for job_id in sorted(found)]

    def prioritize(self, job_id: int, priority: int) -> Job:
        """Change a job's priority; a queued job runs by its new place at the next free worker."""
        job = self._repo.set_priority(job_id, priority)
        if job is None:
            raise NotFound(f"job {job_id} does not exist")
        return job

    def _refuse(self, job_id: int, action: str, why: str) -> Job:
        job = self._repo.job(job_id)
        if job is None:
            raise NotFound(f"job {job_id} does not exist")
        raise Conflict(f"cannot {action} job {job_id}: it is {job.state}; {why}")
