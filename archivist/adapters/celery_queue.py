"""The JobQueue port over Celery: the broker carries job ids, the database keeps the jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from archivist.domain.errors import GatewayUnavailable

TASK = "archivist.transcribe"


class CeleryJobQueue:
    """Sends job ids to the `archivist.transcribe` task by name (no import of the task module)."""

    def __init__(self, app: Any, prepare: Callable[[], None], retry: Callable[[Callable[[], Any]], Any]) -> None:
        self._app = app
        self._prepare = prepare
        self._retry = retry

    def enqueue(self, job_id: int, priority: int = 5) -> None:
        self._prepare()
        try:
            self._retry(lambda: self._app.send_task(
                TASK, args=[job_id], task_id=f"job-{job_id}", priority=priority))
        except Exception as exc:  # kombu raises many kinds; callers need one
            raise GatewayUnavailable("queue", f"cannot enqueue job {job_id}: {exc}") from exc

    def revoke(self, job_id: int) -> None:
        # Revocation is advisory: the running task also checks the job's state in the database.
        self._app.control.revoke(f"job-{job_id}")
