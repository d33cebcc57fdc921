"""Celery's settings from Archivist's: Redis when configured, else an embedded folder queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def queue_dir(data_dir: str) -> Path:
    return Path(data_dir) / "queue"


def celery_settings(config: dict[str, Any]) -> dict[str, Any]:
    """The Celery configuration for the effective Archivist configuration."""
    redis = config["redis"]
    common: dict[str, Any] = {
        # The database is the source of truth for jobs; the broker only carries job ids.
        "task_ignore_result": True,
        "task_acks_late": True,                 # a killed worker's job is delivered again
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,        # transcriptions are long: take one at a time
        "worker_concurrency": int(config["worker"]["concurrency"]),
        "task_default_queue": config["worker"]["queue"],
        "worker_hijack_root_logger": False,
        "broker_connection_retry_on_startup": True,
        "broker_connection_timeout": float(redis["connect_timeout"]),
    }
    if redis["url"]:
        return common | {
            "broker_url": redis["url"],
            "broker_transport_options": {
                "socket_connect_timeout": redis["connect_timeout"],
                "socket_timeout": redis["timeout"],
                # Longer than any transcription, so an unacknowledged job is not run twice.
                "visibility_timeout": 6 * 3600,
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
