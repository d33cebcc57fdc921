"""What staff do to jobs: cancel, retry, prioritise."""

from __future__ import annotations

from archivist.domain.errors import Conflict, NotFound
from archivist.domain.jobs.intake import Intake
from archivist.domain.jobs.outcomes import ACTIVE
from archivist.domain.models import Job, JobState
from archivist.domain.ports import Repository


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
