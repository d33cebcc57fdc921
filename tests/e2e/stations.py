"""A station for end-to-end tests: its config, real worker processes and the `archivist` command.

Either a multi-machine station (PostgreSQL and Redis, each test in a database and a Redis
database number of its own) or a one-box station (SQLite and the embedded folder queue).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from archivist import containers
from archivist.domain.models import Job
from archivist.providers import settings
from tests.e2e import redis_keys
from tests.environment import station_env
from tests.servers import unused_port

POSTGRES = os.environ.get("ARCHIVIST_TEST_POSTGRES_URL",
                          "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
# Tests keep out of Redis database 0, which a station's real broker may be using.
REDIS = os.environ.get("ARCHIVIST_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
METRICS_PORT_TRIES = 3   # ports a worker is started on before its metrics are given up


@contextmanager
def postgres_database() -> Iterator[str]:
    """A PostgreSQL database of its own, dropped afterwards; yields its URL."""
    import psycopg2

    name = f"archivist_e2e_{uuid.uuid4().hex[:8]}"
    dsn = POSTGRES.replace("postgresql+psycopg2://", "postgresql://")
    admin = psycopg2.connect(dsn, connect_timeout=5)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


class Station:
    """Config, environment and processes of one test station."""

    def __init__(self, root: Path, database_url: str = "", redis_url: str = "",
                 **overlay: Any) -> None:
        self.root = root
        self.mount = root / "mnt" / "riverton"
        self.mount.mkdir(parents=True)
        self.queue = f"e2e-{uuid.uuid4().hex[:8]}"
        config = {
            "library": {"cities": [{"name": "Riverton", "path": str(self.mount)}],
                        "settle_seconds": 1},
            # No metrics port unless a test asks: workers of parallel tests would contend for it.
            "worker": {"queue": self.queue, "heartbeat_seconds": 0.5, "stale_after": 6,
                       "reconcile_every": 2, "scan_every": 2, "retry_delay": 2,
                       "metrics_port": 0},
        }
        for section, values in overlay.items():
            if isinstance(values, dict):
                config.setdefault(section, {}).update(values)
            else:   # a bare keyword is a worker setting
                config["worker"][section] = values
        self.config = config
        (root / "station.yml").write_text(yaml.safe_dump(config))
        self.env = station_env()
        self.env.update(ARCHIVIST_DATA_DIR=str(root / "data"),
                        ARCHIVIST_CONFIG=str(root / "station.yml"),
                        ARCHIVIST_DATABASE_URL=database_url, ARCHIVIST_REDIS_URL=redis_url)
        self.redis_url = redis_url
        self.container = containers.build(settings.load(environ=self.env))
        self.workers: list[subprocess.Popen[str]] = []
        self.logs: list[Path] = []

    def publishing_city(self, cablecast: dict[str, Any]) -> None:
        """Make the city publish to Cablecast with these settings."""
        self.config["library"]["cities"][0]["cablecast"] = cablecast
        self.rewrite()

    def rewrite(self, **changes: dict[str, Any]) -> Path:
        """Change settings and write the config again (the container is rebuilt)."""
        for section, values in changes.items():
            self.config[section].update(values)
        path = self.root / "station.yml"
        path.write_text(yaml.safe_dump(self.config))
        containers.shutdown(self.container)
        self.container = containers.build(settings.load(environ=self.env))
        return path

    @property
    def repo(self) -> Any:
        return self.container.repository()

    def archivist(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run the `archivist` command as an operator would, with this station's settings."""
        return subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", *args],
                              env=self.env, capture_output=True, text=True, timeout=timeout,
                              cwd=self.root)

    def start_worker(self, *extra: str) -> subprocess.Popen[str]:
        """`archivist worker` in a process group of its own (so kill -9 takes its children)."""
        log = self.root / f"worker-{len(self.workers)}.log"
        self.logs.append(log)
        proc = subprocess.Popen(
            [sys.executable, "-m", "archivist.entrypoints.cli", "worker", *extra,
             "--concurrency=1", "--without-heartbeat", "--without-gossip", "--without-mingle",
             "-n", f"{self.queue}-{len(self.workers)}@%h"],   # the queue names every Redis key
            env=self.env, cwd=self.root, stdout=log.open("w"), stderr=subprocess.STDOUT,
            text=True, start_new_session=True)
        self.workers.append(proc)
        return proc

    def start_worker_serving_metrics(self, *extra: str, ports: Iterable[int] = ()
                                     ) -> tuple[subprocess.Popen[str], int]:
        """`archivist worker` serving its metrics on 127.0.0.1, and the port it serves them on.

        A port free when picked may be taken before the worker binds it (by another test's
        worker): the worker then serves nothing and a scrape would read the other process.
        So a worker that says it could not have its port is stopped and started again on
        another: `ports` in turn, else fresh ones.
        """
        tries = list(ports) or [unused_port() for _ in range(METRICS_PORT_TRIES)]
        for port in tries:
            self.rewrite(worker={"metrics_port": port, "metrics_host": "127.0.0.1"})
            proc = self.start_worker(*extra)
            if self._serves_metrics(proc, self.logs[-1]):
                return proc, port
            self.kill(proc)
        raise AssertionError(f"no metrics port of {tries} could be had\n{self.log_text()}")

    @staticmethod
    def _serves_metrics(proc: subprocess.Popen[str], log: Path, seconds: float = 60) -> bool:
        """True once the worker says it serves metrics, False once it says it cannot."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and proc.poll() is None:
            said = {e.get("event") for e in events(log.read_text(errors="replace"))}
            if "serving metrics" in said or "metrics port unavailable" in said:
                return "serving metrics" in said
            time.sleep(0.2)
        raise AssertionError(f"the worker never said whether it serves metrics\n"
                             f"{log.read_text(errors='replace')}")

    def kill(self, proc: subprocess.Popen[str], sig: int = signal.SIGKILL) -> None:
        """Signal the worker and every process it started, then reap it."""
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)

    def log_text(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')}" for p in self.logs)

    def wait_for(self, job_id: int, done: Callable[[Job], bool], seconds: float = 180,
                 what: str = "finished") -> Job:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            job = self.repo.job(job_id)
            if job is not None and done(job):
                return job
            time.sleep(0.3)
        raise AssertionError(f"job {job_id} not {what} after {seconds}s: {self.repo.job(job_id)}"
                             f"\n{self.log_text()}")

    def finished(self, job_id: int, seconds: float = 180) -> Job:
        return self.wait_for(job_id, lambda j: j.state.finished, seconds)

    def close(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                self.kill(proc, signal.SIGTERM)
        containers.shutdown(self.container)
        if self.redis_url:   # the broker's keys and kombu's bindings for this station go too
            redis_keys.remove(self.redis_url, self.queue)
            left = redis_keys.leftovers(self.redis_url, self.queue)
            assert not left, f"left in Redis: {left}"


def make_recording(source: Path, target: Path, seconds: float | None = None,
                   repeat: int = 1) -> Path:
    """A recording on a mount: the source cut short, or played `repeat` times over."""
    target.parent.mkdir(parents=True, exist_ok=True)
    args = ["ffmpeg", "-v", "error", "-y"]
    if repeat > 1:
        args += ["-stream_loop", str(repeat - 1)]
    args += ["-i", str(source)]
    if seconds:
        args += ["-t", str(seconds)]
    # The sample's streams as they are (H.264, AAC): encoding them again cost about a CPU-second
    # per 30 s of recording, and the recording is the same to the worker either way.
    args += ["-c", "copy", str(target)]
    subprocess.run(args, check=True, timeout=300)
    old = time.time() - 3600   # written an hour ago: settled
    os.utime(target, (old, old))
    return target


def events(log: str) -> list[dict[str, Any]]:
    """The JSON log lines in worker output (Celery's own banner is not JSON)."""
    found = []
    for line in log.splitlines():
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except ValueError:
                pass
    return found


def job_finished(log: str, job_id: int, state: str) -> int:
    """How many times worker logs say this job finished in this state."""
    return sum(1 for e in events(log) if e.get("event") == "job finished"
               and e.get("job_id") == job_id and e.get("state") == state)


def finished_runs(log: str, job_id: int) -> int:
    """How many times worker logs say this job finished with captions."""
    return job_finished(log, job_id, "succeeded")
