"""The JobQueue port over Celery: the broker carries job tickets, the database keeps the jobs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from archivist.domain.errors import GatewayUnavailable

TASK = "archivist.transcribe"
PUBLISH_RECORDING = "archivist.publish_recording"
MAKE_PLAYABLE = "archivist.make_playable"


def broker_priority(priority: int) -> int:
    """Kombu's priority (0 first) for ours (9 first)."""
    return max(0, min(9, 9 - int(priority)))


class CeleryJobQueue:
    """Sends tickets to the `archivist.transcribe` task by name (no import of the task module)."""

    def __init__(self, app: Any, queue: str, prepare: Callable[[], None],
                 retry: Callable[[Callable[[], Any]], Any]) -> None:
        self._app = app
        self._queue = queue
        self._prepare = prepare
        self._retry = retry

    def enqueue(self, job_id: int, priority: int = 5, delay: float = 0.0) -> None:
        self._prepare()
        # A fresh task id each time: a ticket sent again is a new ticket, not a duplicate.
        options: dict[str, Any] = {"task_id": f"job-{job_id}-{uuid.uuid4().hex[:8]}",
                                   "priority": broker_priority(priority), "queue": self._queue}
        if delay > 0:
            options["countdown"] = delay
        try:
            self._retry(lambda: self._app.send_task(TASK, args=[job_id], **options))
        except Exception as exc:  # kombu raises many kinds; callers need one
            raise GatewayUnavailable("queue", f"cannot send job {job_id}: {_reason(exc)}") from exc

    def publish(self, recording_id: int, show_id: int | None = None) -> None:
        """Send a publish request; the app's routes take it to the housekeeping queue."""
        self._prepare()
        try:
            self._retry(lambda: self._app.send_task(PUBLISH_RECORDING,
                                                    args=[recording_id, show_id]))
        except Exception as exc:
            raise GatewayUnavailable("queue", f"cannot ask to publish recording {recording_id}: "
                                              f"{_reason(exc)}") from exc

    def make_playable(self, recording_id: int) -> None:
        """Ask a worker for the recording's browser copy (ffmpeg: minutes, so on the workers'
        queue, ahead of waiting transcriptions)."""
        self._prepare()
        options = {"queue": self._queue, "priority": broker_priority(9)}
        try:
            self._retry(lambda: self._app.send_task(MAKE_PLAYABLE, args=[recording_id], **options))
        except Exception as exc:
            raise GatewayUnavailable("queue", f"cannot ask for recording {recording_id}'s browser "
                                              f"copy: {_reason(exc)}") from exc

    def depth(self) -> int:
        """Tickets waiting in the broker's queue (every priority), not those a worker holds."""
        self._prepare()

        def count() -> int:
            with self._app.connection_for_read() as conn:
                conn.ensure_connection(max_retries=1)
                declared = conn.default_channel.queue_declare(queue=self._queue, passive=True)
                return int(declared.message_count)
        try:
            counted: int = self._retry(count)
        except Exception as exc:
            if "NOT_FOUND" in str(exc) or "no queue" in str(exc).lower():
                return 0   # nobody declared the queue yet: nothing waits in it
            raise GatewayUnavailable("queue", f"cannot count waiting jobs: {_reason(exc)}") from exc
        return counted


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
