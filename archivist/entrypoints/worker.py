"""The Celery worker: `celery -A archivist.entrypoints.worker worker` (or `archivist worker`).

Importing this module builds a Celery app object and nothing else: the configuration is read
when Celery first needs it, and each worker process builds its own container after fork.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery import Celery, signals

log = logging.getLogger("archivist.worker")

celery_app = Celery("archivist")
_state: dict[str, Any] = {}
_lock = threading.Lock()


def _config() -> dict[str, Any]:
    with _lock:
        if "config" not in _state:
            from archivist.providers import settings

            _state["config"] = settings.load()
        return _state["config"]


def _celery_defaults() -> dict[str, Any]:
    from archivist.providers.celery_app import celery_settings

    return celery_settings(_config())


# A promise: Celery calls it the first time it reads its configuration.
celery_app.add_defaults(_celery_defaults)


def container() -> Any:
    """This process's container, built on first use."""
    with _lock:
        if "container" not in _state:
            from archivist import containers

            _state["container"] = containers.build(_state.get("config"))
        return _state["container"]


@signals.worker_init.connect
def _make_queue_dirs(**_: Any) -> None:
    from archivist.providers.celery_app import ensure_queue_dirs

    ensure_queue_dirs(_config())


@signals.worker_process_shutdown.connect
def _release_gateways(**_: Any) -> None:
    if "container" in _state:
        from archivist import containers

        containers.shutdown(_state["container"])


@celery_app.task(name="archivist.transcribe", bind=True, max_retries=3)
def transcribe(self: Any, job_id: int) -> str:
    """Run one queued job: transcribe its recording and write the sidecars beside it."""
    from archivist.domain.errors import GatewayUnavailable

    c = container()
    formats = c.config.captions.formats()
    repo = c.repository()

    def cancelled() -> bool:
        job = repo.job(job_id)
        return job is not None and job.state.value == "cancelled"

    try:
        outcome = c.captioning().run_job(job_id, formats, cancelled=cancelled)
    except GatewayUnavailable as exc:
        # The database or storage blinked: try the job again later instead of losing it.
        raise self.retry(exc=exc, countdown=30) from exc
    log.info("event=task_done job=%s status=%s", job_id, outcome.status)
    return outcome.status
