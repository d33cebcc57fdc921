"""The Liveness port: a running job's heartbeat in Redis (a key that expires) or, on the
embedded station, in a file of the queue's folder (same machine, same clock)."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

log = logging.getLogger("archivist.jobs")


class QueueLiveness:
    """Heartbeats beside the broker: Redis when it is the broker, else `folder`."""

    def __init__(self, client: Any, folder: str | Path, queue: str) -> None:
        self._client = client            # a redis.Redis, or None on the embedded queue
        self._folder = Path(folder)
        self._prefix = f"archivist:{queue}:alive:"

    def beat(self, job_id: int, attempt: int, worker: str, ttl: float) -> None:
        try:
            if self._client is not None:
                self._client.set(self._prefix + str(job_id), f"{attempt} {worker}",
                                 px=max(1, int(ttl * 1000)))
                return
            self._folder.mkdir(parents=True, exist_ok=True)
            path = self._folder / f"{job_id}.json"
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps({"attempt": attempt, "worker": worker,
                                           "until": time.time() + ttl}))
            partial.replace(path)   # readers never see half a file
        except Exception as exc:  # a heartbeat must never stop the work
            log.warning("liveness beat failed", extra={"job_id": job_id, "error": _reason(exc)})

    def alive(self, job_id: int, attempt: int) -> bool:
        try:
            if self._client is not None:
                found = self._client.get(self._prefix + str(job_id))
                return found is not None and found.split(b" ", 1)[0] == str(attempt).encode()
            beat = json.loads((self._folder / f"{job_id}.json").read_text())
            return int(beat["attempt"]) == attempt and float(beat["until"]) > time.time()
        except FileNotFoundError:
            return False
        except Exception as exc:  # unknown means not known alive: the database decides
            log.warning("liveness unknown", extra={"job_id": job_id, "error": _reason(exc)})
            return False

    def forget(self, job_id: int) -> None:
        try:
            if self._client is not None:
                self._client.delete(self._prefix + str(job_id))
            else:
                (self._folder / f"{job_id}.json").unlink(missing_ok=True)
        except Exception as exc:  # it expires by itself
            log.warning("liveness forget failed", extra={"job_id": job_id, "error": _reason(exc)})


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
