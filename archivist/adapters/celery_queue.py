"""The JobQueue port over Celery: the broker carries job tickets, the database keeps the jobs."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from archivist.domain.deadline import within
from archivist.domain.errors import GatewayUnavailable


def broker_priority(priority: int) -> int:
    """Kombu's priority (0 first) for ours (9 first)."""
    return max(0, min(9, 9 - int(priority)))


class CeleryJobQueue:
    """Sends tickets and requests to the worker's tasks by name (no import of the task module).

    `tasks` names the task for each kind of send ("transcribe", "publish_job",
    "publish_recording"). Every send is bounded by `deadline` seconds, retries included: a
    broker that accepts the connection and never answers cannot hold a web request or a worker.
    """

    def __init__(self, app: Any, queue: str, prepare: Callable[[], None],
                 retry: Callable[[Callable[[], Any]], Any], tasks: Mapping[str, str],
                 deadline: float = 1.5) -> None:
        self._app = app
        self._queue = queue
        self._prepare = prepare
        self._retry = retry
        self._tasks = dict(tasks)
        self._deadline = float(deadline)

    def enqueue(self, job_id: int, priority: int = 5, delay: float = 0.0) -> None:
        # A fresh task id each time: a ticket sent again is a new ticket, not a duplicate.
        options: dict[str, Any] = {"task_id": f"job-{job_id}-{uuid.uuid4().hex[:8]}",
                                   "priority": broker_priority(priority), "queue": self._queue}
        if delay > 0:
            options["countdown"] = delay
        self._send("transcribe", [job_id], options, f"cannot send job {job_id}")

    def publish(self, recording_id: int, show_id: int | None = None) -> None:
        """Send a publish request; the app's routes take it to the housekeeping queue."""
        self._send("publish_recording", [recording_id, show_id], {},
                   f"cannot ask to publish recording {recording_id}")

    def publish_job(self, job_id: int) -> None:
        """Ask for a finished job's recording to be published (housekeeping queue)."""
        self._send("publish_job", [job_id], {}, f"cannot ask to publish job {job_id}")

    def make_playable(self, recording_id: int) -> None:
        """Ask a worker for the recording's browser copy (ffmpeg takes minutes, so on the
        workers' queue, ahead of waiting transcriptions)."""
        self._send("make_playable", [recording_id], {"queue": self._queue, "priority": 0},
                   f"cannot ask for recording {recording_id}'s browser copy")

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

    def _send(self, kind: str, args: list[Any], options: dict[str, Any], what: str) -> None:
        self._prepare()
        name = self._tasks[kind]
        # The send runs with a deadline (domain/deadline.py) so that it can be given up on; a
        # send that answers after its deadline still delivers a ticket, which is harmless (a
        # ticket with nothing to claim does nothing).
        try:
            within(lambda: self._retry(lambda: self._app.send_task(name, args=args, **options)),
                   self._deadline, "queue", what)
        except GatewayUnavailable:
            raise
        except Exception as exc:  # kombu raises many kinds; callers need one
            raise GatewayUnavailable("queue", f"{what}: {_reason(exc)}") from exc


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
