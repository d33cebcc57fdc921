"""How the CLI's --json, the API and the pages show domain objects (plain JSON types)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from archivist.domain.models import Job


def job_summary(job: Job) -> dict[str, object]:
    """A job as the CLI's --json and the API show it (plain JSON types)."""
    def when(at: datetime | None) -> str | None:
        return at.isoformat() if at else None
    return {"id": job.id, "state": str(job.state), "path": str(job.path) if job.path else None,
            "city": job.city, "priority": int(job.priority), "progress": round(job.progress, 4),
            # A finished job has no time left: its last heartbeat's estimate is stale. Its
            # progress stays as it ended (how far a failed or cancelled job got).
            "eta_seconds": None if job.eta_seconds is None or job.state.finished
            else round(job.eta_seconds, 1),
            "attempts": job.attempts, "error": job.error, "notes": list(job.notes),
            "outputs": list(job.outputs), "worker": job.worker, "recording_id": job.recording_id,
            "created_at": when(job.created_at), "started_at": when(job.started_at),
            "finished_at": when(job.finished_at), "heartbeat_at": when(job.heartbeat_at),
            "retry_at": when(job.retry_at), "model": job.model or None}
