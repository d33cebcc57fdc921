"""Pipeline benchmark: what the job machinery costs, and the corpus through real workers.

Prints, side by side in one run:
  * throughput of no-op jobs (a transcriber that answers at once) through Redis + Celery +
    PostgreSQL (submit, ticket, claim, heartbeat, sidecars, transcript, succeed), against bare
    Celery no-op tasks on the same broker with the same worker settings (target: >= 0.5x);
  * wall time of the three corpus recordings through the real model with 1 and with 2 worker
    processes (scan, then workers until every job has succeeded).

Needs PostgreSQL (127.0.0.1:5432, database test) and Redis (127.0.0.1:6379) as the tests do.
Usage: .venv/bin/python bench/pipeline.py [--jobs N] [--concurrency C] [--skip-corpus]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _databases import throwaway_database

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "media"
POSTGRES = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/12"     # a database number of the bench's own


@contextmanager
def station(root: Path, concurrency: int, files: list[Path]) -> Iterator[dict[str, Any]]:
    """A PostgreSQL + Redis station over a mount holding `files`; yields env, mount, queue."""
    mount = root / "mnt"
    mount.mkdir()
    for f in files:
        shutil.copy(f, mount / f.name)
        old = time.time() - 3600
        os.utime(mount / f.name, (old, old))
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    (root / "station.yml").write_text(yaml.safe_dump({
        "library": {"cities": [{"name": "Riverton", "path": str(mount)}], "settle_seconds": 1},
        "worker": {"queue": queue, "concurrency": concurrency},
    }))
    with throwaway_database(POSTGRES) as url:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIST_")}
        # The bundled tiny.en, as the README's figures were measured (the default `auto` picks
        # base where it is installed): this measures the pipeline, not the model.
        env.update(ARCHIVIST_DATA_DIR=str(root / "data"), ARCHIVIST_CONFIG=str(root / "station.yml"),
                   ARCHIVIST_DATABASE_URL=url, ARCHIVIST_REDIS_URL=REDIS,
                   ARCHIVIST_WHISPER_MODEL="bundled",
                   PYTHONPATH=f"{ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}")
        yield {"env": env, "mount": mount, "queue": queue, "url": url}
        import redis

        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(match=f"{queue}*"):
            client.delete(key)
        client.close()


def start(cmd: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for p in procs:
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)


def wait_all_succeeded(repo: Any, count: int, timeout: float) -> None:
    from archivist.domain.models import JobState

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if repo.count_jobs(JobState.SUCCEEDED) >= count:
            return
        others = repo.count_jobs(JobState.FAILED) + repo.count_jobs(JobState.CANCELLED)
        if others:
            raise SystemExit(f"{others} job(s) did not succeed")
        time.sleep(0.05)
    raise SystemExit(f"not all {count} jobs succeeded within {timeout:.0f}s")


def noop_jobs(n: int, concurrency: int) -> float:
    """Seconds for `n` no-op jobs, from the first submit to the last success."""
    from archivist import containers
    from archivist.providers import settings

    with tempfile.TemporaryDirectory(prefix="archivist-bench-") as tmp:
        root = Path(tmp)
        sources = root / "src"
        sources.mkdir()
        files = []
        for i in range(n):
            files.append(sources / f"{i:05d}-1-Meeting ({20260101 + i}).mp4")
            files[-1].write_bytes(f"recording {i}".encode())
        with station(root, concurrency, files) as s:
            container = containers.build(settings.load(environ=s["env"]))
            container.repository().count_jobs  # noqa: B018 - the schema is made before timing
            container.repository().job(0)
            worker = start([sys.executable, str(HERE / "_noop_worker.py"),
                            f"--concurrency={concurrency}", "--without-heartbeat",
                            "--without-gossip", "--without-mingle"], s["env"], root)
            try:
                time.sleep(4)   # the worker is up and listening
                started = time.perf_counter()
                jobs = container.jobs()
                for f in sorted(s["mount"].iterdir()):
                    jobs.submit(f, city="Riverton")
                wait_all_succeeded(container.repository(), n, timeout=600)
                return time.perf_counter() - started
            finally:
                stop([worker])
                containers.shutdown(container)


def bare_tasks(n: int, concurrency: int) -> float:
    """Seconds for `n` bare Celery no-op tasks on the same broker, send to last done."""
    import redis

    queue = f"bench-bare-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, BENCH_BROKER=REDIS, BENCH_QUEUE=queue)
    os.environ.update(BENCH_BROKER=REDIS, BENCH_QUEUE=queue)
    sys.path.insert(0, str(HERE))
    import _bare_celery

    client = redis.Redis.from_url(REDIS)
    with tempfile.TemporaryDirectory(prefix="archivist-bench-"):
        worker = start([sys.executable, "-m", "celery", "-A", "_bare_celery", "worker",
                        f"--concurrency={concurrency}", "--loglevel=WARNING",
                        "--without-heartbeat", "--without-gossip", "--without-mingle"],
                       env, HERE)
        try:
            time.sleep(4)
            started = time.perf_counter()
            for i in range(n):
                _bare_celery.noop.apply_async(args=[i], queue=queue)
            deadline = time.monotonic() + 600
            while int(client.get(f"{queue}:done") or 0) < n:
                if time.monotonic() > deadline:
                    raise SystemExit("bare tasks did not finish")
                time.sleep(0.05)
            return time.perf_counter() - started
        finally:
            stop([worker])
            for key in client.scan_iter(match=f"{queue}*"):
                client.delete(key)
            client.close()


def corpus(workers: int) -> float:
    """Seconds for the corpus recordings through `workers` worker processes (1 transcription each)."""
    from archivist import containers
    from archivist.providers import settings

    files = sorted(p for p in CORPUS.iterdir() if p.suffix in (".mp4", ".ts"))
    with tempfile.TemporaryDirectory(prefix="archivist-bench-") as tmp:
        root = Path(tmp)
        with station(root, 1, files) as s:
            container = containers.build(settings.load(environ=s["env"]))
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", "scan"],
                           env=s["env"], cwd=root, check=True, stdout=subprocess.DEVNULL)
            procs = [start([sys.executable, "-m", "archivist.entrypoints.cli", "worker",
                            "--concurrency=1", "--without-heartbeat", "--without-gossip",
                            "--without-mingle", "-n", f"bench{i}@%h"], s["env"], root)
                     for i in range(workers)]
            try:
                wait_all_succeeded(container.repository(), len(files), timeout=1800)
                return time.perf_counter() - started
            finally:
                stop(procs)
                containers.shutdown(container)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--skip-corpus", action="store_true")
    args = parser.parse_args()

    ours = noop_jobs(args.jobs, args.concurrency)
    bare = bare_tasks(args.jobs, args.concurrency)
    print(f"no-op throughput, {args.jobs} jobs, concurrency {args.concurrency}:")
    print(f"  archivist jobs (Redis + Celery + PostgreSQL): {args.jobs / ours:7.1f} jobs/s "
          f"({ours:.1f} s)")
    print(f"  bare Celery no-op tasks (same Redis):         {args.jobs / bare:7.1f} tasks/s "
          f"({bare:.1f} s)")
    print(f"  ratio: {bare / ours:.2f}x of bare throughput (target >= 0.50x)")
    if args.skip_corpus:
        return
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}: skipping the corpus run")
        return
    one = corpus(1)
    two = corpus(2)
    print("corpus (3 meetings) through the real model, scan to last success:")
    print(f"  1 worker process:   {one:6.1f} s")
    print(f"  2 worker processes: {two:6.1f} s  ({one / two:.2f}x)")


if __name__ == "__main__":
    main()
