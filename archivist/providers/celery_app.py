"""Celery's settings from Archivist's: Redis when configured, else an embedded folder queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from archivist.providers import tasks

# Set in the environment of `archivist worker --beat`'s housekeeping worker: it shares the
# main worker's metrics directory and serves no metrics port of its own.
HOUSEKEEPER_ENV = "ARCHIVIST_HOUSEKEEPER"


def control_queue(config: dict[str, Any]) -> str:
    """The queue of the quick housekeeping tasks (scan, reconcile, publish), apart from the
    transcriptions so that they never wait behind an hour-long meeting."""
    return f"{config['worker']['queue']}.control"


def queue_dir(data_dir: str) -> Path:
    return Path(data_dir) / "queue"


def liveness_dir(data_dir: str) -> Path:
    """Where workers of the embedded queue leave their jobs' heartbeats (domain/jobs/watch.py)."""
    return queue_dir(data_dir) / "alive"


def celery_settings(config: dict[str, Any]) -> dict[str, Any]:
    """The Celery configuration for the effective Archivist configuration."""
    redis, worker = config["redis"], config["worker"]
    queue, control = worker["queue"], control_queue(config)
    common: dict[str, Any] = {
        # The database is the source of truth for jobs; the broker only carries job tickets.
        "task_ignore_result": True,
        "task_acks_late": True,                 # a killed worker's ticket is delivered again
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,        # transcriptions are long: take one at a time
        "worker_concurrency": int(worker["concurrency"]),
        "task_default_queue": queue,
        "task_default_priority": 4,             # kombu's scale, 0 first: our NORMAL (5)
        "task_queue_max_priority": 9,
        "worker_hijack_root_logger": False,
        "broker_connection_retry_on_startup": True,
        "broker_connection_timeout": float(redis["connect_timeout"]),
        # Our retry policy decides about retrying a send; kombu's own would wait unseen.
        "task_publish_retry": False,
        # A last resort only: jobs have their own limit, scaled to the recording's length.
        "task_time_limit": float(worker["max_job_hours"]) * 3600,
        # Each housekeeping ticket expires after two of its periods: a worker that was away
        # does not find a pile of them, and one that reads its queue a tick late (Redis's
        # priority lists are read in turn) still runs it. Expiring after one period dropped
        # every scan and catch-up publish of a station on 2 s periods.
        "beat_schedule": {
            "scan-city-mounts": _every(tasks.SCAN, worker["scan_every"]),
            "reconcile-jobs": _every(tasks.RECONCILE, worker["reconcile_every"]),
            "publish-due": _every(tasks.PUBLISH_DUE, worker["publish_every"]),
            # Browser copies of what was captioned lately, and the copy shelf under its cap.
            "playable-due": _every(tasks.PLAYABLE_DUE, worker["scan_every"]),
            "apply-pending-revisions": _every(tasks.APPLY_PENDING, worker["apply_every"]),
        },
        "task_routes": {name: {"queue": control} for name in tasks.HOUSEKEEPING},
        "beat_schedule_filename": str(Path(config["data_dir"]) / "beat-schedule"),
    }
    if redis["url"]:
        from archivist.providers.redis import check_url

        return common | {
            "broker_url": check_url(redis["url"]),
            "broker_transport_options": {
                "socket_connect_timeout": redis["connect_timeout"],
                "socket_timeout": redis["timeout"],
                # A ticket a dead worker held comes back only after this long; the reconciler
                # recovers its job much sooner (worker.stale_after), so this only bounds a leak.
                "visibility_timeout": float(worker["max_job_hours"]) * 3600 + 600,
                # Ten lists per queue, taken highest priority first.
                "priority_steps": list(range(10)),
                "sep": ":",
                "queue_order_strategy": "priority",
            },
        }
    folder = queue_dir(config["data_dir"])
    return common | {
        "broker_url": "filesystem://",
        "broker_transport_options": {
            "data_folder_in": str(folder / "out"),
            "data_folder_out": str(folder / "out"),
            "processed_folder": str(folder / "processed"),
            "store_processed": False,
            # Broadcast (control) messages; kombu's default is a folder in the working directory.
            "control_folder": str(folder / "control"),
        },
    }


def ensure_queue_dirs(config: dict[str, Any]) -> None:
    """Make the embedded queue's folders (at first use, never at import)."""
    Path(config["data_dir"]).mkdir(parents=True, exist_ok=True)
    if not config["redis"]["url"]:
        for name in ("out", "processed", "control"):
            (queue_dir(config["data_dir"]) / name).mkdir(parents=True, exist_ok=True)


def producer(config: dict[str, Any]) -> Any:
    """A Celery app for sending jobs (web, CLI); built on first use, connects on first send."""
    from celery import Celery

    app = Celery("archivist")
    app.conf.update(celery_settings(config))
    return app


def close(app: Any) -> None:
    app.close()


def is_transient(exc: BaseException) -> bool:
    """A broker that is briefly unreachable: worth sending again."""
    from kombu.exceptions import OperationalError

    if isinstance(exc, OperationalError | TimeoutError | ConnectionError):
        return True
    try:
        import redis as redis_lib
    except ImportError:  # pragma: no cover - redis ships with the project
        return False
    return isinstance(exc, redis_lib.ConnectionError | redis_lib.TimeoutError)


# Tickets live at least this long: on short periods (seconds, as in tests) a worker busy for a
# few seconds (a publish retrying) fell behind by more than two periods on the embedded broker
# and then dropped every ticket it read, the catch-up publish included, for good.
MIN_EXPIRY = 30.0


def _every(task: str, seconds: Any) -> dict[str, Any]:
    """A schedule entry: `task` every `seconds`, its ticket expiring after two periods (at
    least MIN_EXPIRY seconds)."""
    period = float(seconds)
    return {"task": task, "schedule": period, "options": {"expires": max(2 * period, MIN_EXPIRY)}}
