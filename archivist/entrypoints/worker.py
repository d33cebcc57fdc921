"""The Celery worker: `celery -A archivist.entrypoints.worker worker` (or `archivist worker`).

Importing this module builds a Celery app object and nothing else: the configuration is read
when Celery first needs it. The main process builds its container when the worker starts
(children inherit it and rebuild its gateways after fork) and serves the metrics of every
process of the worker on `worker.metrics_port`.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from celery import Celery, signals

from archivist.providers import startup, tasks

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


@signals.setup_logging.connect
def _start_logging(loglevel: int | str | None = None, **_: Any) -> None:
    # Connected, so Celery leaves logging to us: one handler, our format, secrets blanked.
    from archivist.providers import logs

    default = logging.getLevelName(loglevel) if isinstance(loglevel, int) else loglevel
    logs.setup(_config(), default_level=str(default or "info"))


@signals.worker_init.connect
def _make_queue_dirs(**_: Any) -> None:
    from archivist.providers.celery_app import ensure_queue_dirs

    ensure_queue_dirs(_config())


@signals.worker_init.connect
def _serve_metrics(**_: Any) -> None:
    """Count every process of this worker in one directory and serve them on the metrics port.

    `archivist worker` sets the directory up before starting Celery (and its housekeeping
    worker, which shares it and serves nothing itself: HOUSEKEEPER_ENV is set there).
    """
    from archivist.adapters.prometheus import multiprocess
    from archivist.providers.celery_app import HOUSEKEEPER_ENV

    config = _config()
    if not os.environ.get(multiprocess.ENV):
        try:
            multiprocess.use_directory(config["data_dir"])
        except OSError as exc:   # the worker still works; its children go uncounted
            log.warning("metrics folder unavailable", extra={"reason": exc.strerror or str(exc)})
    c = container()
    startup.mark("worker", "container")
    port = int(config["worker"]["metrics_port"])
    if port and not os.environ.get(HOUSEKEEPER_ENV):
        multiprocess.serve(c.worker_scrape().registry(), config["worker"]["metrics_host"], port)


@signals.worker_ready.connect
def _ready(**_: Any) -> None:
    startup.mark("worker", "ready")


@signals.worker_process_init.connect
def _pool_child_started(**_: Any) -> None:
    from archivist.providers import stopping

    stopping.child_started()


@signals.worker_shutting_down.connect
def _stopping(**_: Any) -> None:
    """Warm shutdown (SIGTERM): running jobs hand back; gone within worker.stop_timeout."""
    from archivist.providers import stopping

    stopping.main_stopping(float(_config()["worker"]["stop_timeout"]))


@signals.worker_process_shutdown.connect
def _release_gateways(pid: int | None = None, **_: Any) -> None:
    from archivist.adapters.prometheus import multiprocess

    multiprocess.mark_dead(pid or os.getpid())
    if "container" in _state:
        from archivist import containers

        containers.shutdown(_state["container"])


@celery_app.task(name=tasks.TRANSCRIBE, bind=True, max_retries=None)
def transcribe(self: Any, job_id: int) -> str:
    """A ticket: claim the best queued job (this one, unless a more urgent one waits) and run it.

    What becomes of the job, and what follows it (publishing), is decided by the job rules
    (domain/jobs/); only a database that cannot even be asked sends the ticket back to the
    broker for later.
    """
    from archivist.domain.errors import GatewayUnavailable
    from archivist.providers import stopping

    stopping.job_started()
    if stopping.requested():   # stopping: leave the ticket for a worker that stays
        raise self.retry(countdown=1)
    c = container()
    try:
        run = c.jobs().take(job_id, c.config.captions.formats())
    except GatewayUnavailable as exc:
        log.warning("ticket deferred", extra={"ticket": job_id, "reason": exc.reason})
        raise self.retry(countdown=30) from exc
    ran = run.job.id if run.job else None
    log.info("ticket done", extra={"ticket": job_id, "job_id": ran, "outcome": str(run.outcome)})
    return run.outcome


@celery_app.task(name=tasks.MAKE_PLAYABLE, ignore_result=True)
def make_playable(recording_id: int) -> str:
    """Make a recording's browser copy if browsers cannot play its file (ffmpeg)."""
    from archivist.domain.errors import ArchivistError

    try:
        done = container().playback().make(recording_id)
    except ArchivistError as exc:
        log.warning("browser copy failed", extra={"recording": recording_id, "reason": str(exc)})
        return "failed"
    return str(done.state)


@celery_app.task(name=tasks.PLAYABLE_DUE, ignore_result=True)
def playable_due() -> int:
    """Ask for the browser copies that lately captioned recordings lack; keep the shelf under
    its cap (the beat runs this)."""
    from archivist.domain.errors import ArchivistError
    from archivist.domain.models import JobState

    c = container()
    try:
        asked = c.playback().catch_up(c.repository().jobs(state=JobState.SUCCEEDED, limit=50))
        for recording_id in asked:
            c.job_queue().make_playable(recording_id)
        c.playback().evict()
    except ArchivistError as exc:
        log.warning("browser copies catch-up failed", extra={"reason": str(exc)})
        return 0
    return len(asked)


@celery_app.task(name=tasks.PUBLISH, ignore_result=True)
def publish(job_id: int) -> str:
    """Publish a finished job's recording to Cablecast; a failure is saved and retried later."""
    from archivist.domain.errors import ArchivistError

    c = container()
    try:
        job = c.repository().job(job_id)
        done = c.publications().publish_job(job) if job is not None else None
    except ArchivistError as exc:
        # Saved nowhere only when even the database is out: the catch-up will find it due.
        log.warning("publishing failed", extra={"job_id": job_id, "reason": str(exc)})
        return "failed"
    return str(done.state) if done else "not published"


@celery_app.task(name=tasks.PUBLISH_RECORDING, ignore_result=True)
def publish_recording(recording_id: int, show_id: int | None = None) -> str:
    """Publish one recording as staff asked (perhaps to the show they chose); the result is saved."""
    from archivist.domain.errors import ArchivistError

    try:
        done = container().publications().publish_recording(recording_id, show_id)
    except ArchivistError as exc:
        log.warning("publishing failed", extra={"recording": recording_id, "reason": str(exc)})
        return "failed"
    return str(done.state)


@celery_app.task(name=tasks.PUBLISH_DUE, ignore_result=True)
def publish_due() -> int:
    """Publish what is due: never published, failed, or waiting for its VOD (the beat runs this)."""
    from archivist.domain.errors import ArchivistError

    try:
        return len(container().publications().catch_up())
    except ArchivistError as exc:
        log.warning("publishing what is due failed", extra={"reason": str(exc)})
        return 0


@celery_app.task(name=tasks.APPLY_PENDING, ignore_result=True)
def apply_pending() -> int:
    """Retry bringing caption files and Cablecast in step with corrected transcripts whose
    last attempt failed (a mount away, Cablecast down); the beat runs this."""
    from archivist.domain.errors import ArchivistError

    try:
        c = container()
        # Most runs find nothing pending: one query, without building the applier (it brings
        # in the caption writers and the Cablecast client).
        if not c.revisions().pending_reviews(1):
            return 0
        return len(c.applier().retry_pending())
    except ArchivistError as exc:
        log.warning("applying pending revisions failed", extra={"reason": str(exc)})
        return 0


@celery_app.task(name=tasks.SCAN, ignore_result=True)
def scan() -> dict[str, int]:
    """Scan every city's mount and queue what is new (the beat schedule runs this)."""
    from archivist.domain.errors import ArchivistError

    try:
        report = container().scanner().scan()
    except ArchivistError as exc:
        log.warning("scan failed", extra={"reason": str(exc)})
        return {"queued": 0}
    return {"queued": len(report.queued), "skipped": len(report.skipped),
            "unreachable": len(report.unreachable), "not_queued": len(report.not_queued)}


@celery_app.task(name=tasks.RECONCILE, ignore_result=True)
def reconcile() -> dict[str, int]:
    """Recover jobs of silent workers and send tickets the broker lost (the beat runs this)."""
    from archivist.domain.errors import ArchivistError

    try:
        done = container().jobs().reconcile()
    except ArchivistError as exc:
        log.warning("reconcile failed", extra={"reason": str(exc)})
        return {"tickets": 0}
    return {"recovered": len(done.recovered), "given_up": len(done.given_up),
            "tickets": done.tickets}


startup.mark("worker", "import")
