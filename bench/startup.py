"""Start-up phases as each process measures them itself: `archivist serve` (GET /health),
`archivist worker` (its metrics port) and `archivist health --json`, timed from the
interpreter's start to `import`, `container` and `ready`; the median of a few fresh starts.

Against a baseline in the same run: a bare `python -c pass` (the interpreter's own start,
measured from outside), so a slow machine shows as such.

And the web process's own cost side by side with its floor: `import` + `create_app()` against
importing Flask, dependency-injector and PyYAML alone (what any app of this design pays), each
timed inside a fresh interpreter in CPU seconds (the wall clock of a shared machine measures the
neighbours); the target is at most 1.5x the floor.

Usage: .venv/bin/python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ARCHIVIST = [sys.executable, "-m", "archivist.entrypoints.cli"]
PHASES = ("import", "container", "ready")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, seconds: float = 60) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return bytes(answer.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def env_in(folder: str) -> dict[str, str]:
    # Bytecode caches written and used, as an installed package runs: a shell that sets
    # PYTHONDONTWRITEBYTECODE would otherwise time the compiling of every changed module.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ARCHIVIST_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(ARCHIVIST_DATA_DIR=str(Path(folder) / "data"), ARCHIVIST_SECRET_KEY="bench")
    return env


def web(folder: str) -> dict[str, float]:
    port = free_port()
    proc = subprocess.Popen([*ARCHIVIST, "serve", "--port", str(port), "--no-worker"],
                            env=env_in(folder), stderr=subprocess.DEVNULL)
    try:
        body = json.loads(fetch(f"http://127.0.0.1:{port}/health"))
    finally:
        proc.terminate()
        proc.wait(30)
    return dict(body["startup"]["processes"]["web"])


def worker(folder: str) -> dict[str, float]:
    port = free_port()
    config = Path(folder) / "worker.yml"
    config.write_text(f"worker: {{metrics_port: {port}, metrics_host: 127.0.0.1, "
                      f"queue: bench-{port}}}\n")
    env = env_in(folder) | {"ARCHIVIST_CONFIG": str(config)}
    proc = subprocess.Popen([*ARCHIVIST, "worker", "--concurrency=1", "--without-gossip",
                             "--without-mingle", "--without-heartbeat"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        found: dict[str, float] = {}
        deadline = time.monotonic() + 60
        while "ready" not in found and time.monotonic() < deadline:   # ready comes a moment later
            text = fetch(f"http://127.0.0.1:{port}/metrics").decode()
            found = {line.split('phase="')[1].split('"')[0]: float(line.rsplit(" ", 1)[1])
                     for line in text.splitlines()
                     if line.startswith("archivist_startup_seconds{") and 'process="worker"' in line}
            time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(30)
    return found


def cli(folder: str) -> dict[str, float]:
    done = subprocess.run([*ARCHIVIST, "health", "--json"], env=env_in(folder),
                          capture_output=True, text=True, timeout=120)
    return dict(json.loads(done.stdout)["startup"]["processes"]["cli"])


# CPU seconds of the process (time.process_time): on a shared machine the wall clock mostly
# measures the neighbours; the work itself is what the floor and the app are compared by.
FLOOR = """
import time
started = time.process_time()
import dependency_injector.containers, dependency_injector.providers, dependency_injector.wiring
import flask, yaml
print(time.process_time() - started)
"""
WEB_APP = """
import time
started = time.process_time()
from archivist.entrypoints.web import create_app
create_app()
print(time.process_time() - started)
"""


def timed_inside(code: str, folder: str) -> float:
    done = subprocess.run([sys.executable, "-c", code], env=env_in(folder), capture_output=True,
                          text=True, check=True, timeout=120)
    return float(done.stdout.strip().splitlines()[-1])


def bare_python() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[dict[str, float]]] = {"web": [], "worker": [], "cli": []}
    baseline, floor, web_app = [], [], []
    with tempfile.TemporaryDirectory() as folder:   # untimed: writes the bytecode caches
        timed_inside(FLOOR, folder), timed_inside(WEB_APP, folder)
    for _ in range(args.runs):   # interleaved, so machine noise hits all alike
        baseline.append(bare_python())
        with tempfile.TemporaryDirectory() as folder:
            floor.append(timed_inside(FLOOR, folder))
            web_app.append(timed_inside(WEB_APP, folder))
        for name, measure in (("web", web), ("worker", worker), ("cli", cli)):
            with tempfile.TemporaryDirectory() as folder:
                results[name].append(measure(folder))
    print(f"== start-up phases, seconds from interpreter start, median of {args.runs}")
    print(f"{'baseline: python -c pass (whole run)':<40} {statistics.median(baseline):6.3f}")
    for name, runs in results.items():
        shown = "  ".join(f"{phase} {statistics.median(r[phase] for r in runs):6.3f}"
                          for phase in PHASES if all(phase in r for r in runs))
        print(f"{name:<40} {shown}")
    floor_s, web_s = statistics.median(floor), statistics.median(web_app)
    print(f"== web app import + create_app() against its floor (CPU seconds, median of {args.runs})")
    print(f"{'floor: flask + dependency-injector + yaml':<40} {floor_s:6.3f}")
    print(f"{'web: import + create_app()':<40} {web_s:6.3f}  = {web_s / floor_s:.2f}x the floor "
          "(target <= 1.5x)")


if __name__ == "__main__":
    main()
