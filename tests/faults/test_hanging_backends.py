"""Backends that accept connections and never answer: start-up ignores them, health reports them.

The database, Redis and Cablecast all point at one port that accepts and stays silent, the
worst case for a client without timeouts (the system Archivist replaces hung exactly so).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from archivist import containers
from archivist.entrypoints.web import create_app
from archivist.providers import settings
from tests.environment import station_env

REPO = Path(__file__).resolve().parents[2]
HUNG = ("database", "redis", "cablecast")
# Seconds each gateway may wait, as the overlay sets them. libpq rounds connect_timeout
# below 2 up to 2, so the database gets 2.
TIMEOUT = {"database": 2, "redis": 1, "cablecast": 1}
DEADLINE = 8
SLACK = 1.5  # scheduling, thread start, the SQLite/whisper probes running alongside

OVERLAY = f"""\
database: {{connect_timeout: {TIMEOUT['database']}, retry: {{attempts: 1, deadline: 2.0}}}}
redis: {{connect_timeout: {TIMEOUT['redis']}, timeout: {TIMEOUT['redis']}, retry: {{attempts: 1}}}}
cablecast: {{connect_timeout: {TIMEOUT['cablecast']}, read_timeout: {TIMEOUT['cablecast']}, retry: {{attempts: 1}}}}
health: {{deadline: {DEADLINE}}}
web: {{health_detail: true}}
"""

STARTUP = ("import time; t = time.perf_counter(); "
           "from archivist.entrypoints.web import create_app; create_app(); "
           "print(time.perf_counter() - t)")


def base_env(tmp_path: Path) -> dict[str, str]:
    env = station_env()
    env["ARCHIVIST_DATA_DIR"] = str(tmp_path / "data")
    return env


@pytest.fixture
def hung_env(black_hole, tmp_path: Path) -> dict[str, str]:
    """An environment whose three network backends all lead into the black hole."""
    overlay = tmp_path / "short-timeouts.yml"
    overlay.write_text(OVERLAY, encoding="utf-8")
    return {**base_env(tmp_path),
            "ARCHIVIST_CONFIG": str(overlay),
            "ARCHIVIST_REDIS_URL": f"redis://127.0.0.1:{black_hole.port}/0",
            "ARCHIVIST_DATABASE_URL": f"postgresql+psycopg2://u@127.0.0.1:{black_hole.port}/db",
            "ARCHIVIST_CABLECAST_URL": f"http://127.0.0.1:{black_hole.port}"}


def startup_seconds(env: dict[str, str]) -> float:
    done = subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True,
                          text=True, timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return float(done.stdout.split()[-1])


def assert_hung_gateways_down(gateways: list[dict]) -> None:
    by_name = {g["name"]: g for g in gateways}
    for name in HUNG:
        g = by_name[name]
        assert g["status"] == "down", g
        assert g["seconds"] <= TIMEOUT[name] + SLACK, f"{name} took {g['seconds']}s: {g['detail']}"


@pytest.mark.e2e
def test_startup_takes_as_long_as_without_backends_and_connects_to_none(
        black_hole, hung_env: dict[str, str], tmp_path: Path) -> None:
    startup_seconds(base_env(tmp_path))  # compile and cache bytecode once
    # Taken in turns, so that the machine's load drifting over the run (other work starting
    # or ending) falls on both alike; each the best of three.
    turns = [(startup_seconds(hung_env), startup_seconds(base_env(tmp_path))) for _ in range(3)]
    hung, plain = min(t[0] for t in turns), min(t[1] for t in turns)
    assert hung <= plain * 1.5 + 0.25, f"start-up {hung:.3f}s with hung backends, {plain:.3f}s without"
    assert black_hole.accepted == 0, "building the app connected to a backend"


def built(container: containers.Container) -> containers.Container:
    """The probes and their clients built (SQLAlchemy, psycopg2, redis, requests imported; none
    connects): a first probe in this process would count those imports, seconds on a loaded
    machine, against a backend's timeout."""
    container.probes()
    return container


def test_health_report_names_each_hung_backend_down_within_its_timeout(
        hung_env: dict[str, str]) -> None:
    container = built(containers.build(settings.load(environ=hung_env)))
    started = time.monotonic()
    report = container.health_report()
    assert time.monotonic() - started < max(TIMEOUT.values()) + SLACK
    assert_hung_gateways_down([g.as_dict() for g in report])
    containers.shutdown(container)


def test_web_health_answers_503_within_the_deadline(hung_env: dict[str, str]) -> None:
    app = create_app(settings.load(environ=hung_env))
    built(app.container)
    started = time.monotonic()
    response = app.test_client().get("/health")
    assert time.monotonic() - started < max(TIMEOUT.values()) + SLACK
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "down"
    assert_hung_gateways_down(body["gateways"])
    containers.shutdown(app.container)


@pytest.mark.e2e
def test_health_command_reports_hung_backends_and_fails(
        black_hole, hung_env: dict[str, str], tmp_path: Path) -> None:
    errors = (tmp_path / "stderr").open("w+")
    process = subprocess.Popen([sys.executable, "-m", "archivist.entrypoints.cli", "health", "--json"],
                               env=hung_env, stdout=subprocess.PIPE, stderr=errors, text=True,
                               cwd=REPO)
    try:
        answer, answered = _answer(process, within=DEADLINE + 60)
        returncode = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        errors.close()
    assert returncode != 0, answer
    # Measured from its first connection into the black hole to its whole answer, not from the
    # process's start to its end: on a loaded 2-core machine Python and the imports took 6-26 s
    # before it (the time after it: the next test).
    assert black_hole.accepted_at, "no backend was asked"
    probing = answered - black_hole.accepted_at[0]
    assert probing < DEADLINE + SLACK, (f"archivist health answered {probing:.1f}s after its "
                                        "first probe", answer)
    body = json.loads(answer)
    # Accept the web body's shape or a bare list of gateways.
    assert_hung_gateways_down(body["gateways"] if isinstance(body, dict) else body)


# The command run as its console script does, with one object whose finalizer stands for the
# interpreter's teardown on a loaded 2-core machine (freeing ~90,000 objects and ~800 modules:
# up to 12 s after the answer). Nothing in that teardown is the command's to wait for.
SLOW_TEARDOWN = """\
import time
class Teardown:
    def __del__(self, sleep=time.sleep):
        sleep(30)
kept = Teardown()
from archivist.entrypoints.cli import main
main(["health", "--json"])
"""
EXIT_AFTER_ANSWER = 10  # seconds: close the gateways and flush, however loaded the machine


@pytest.mark.e2e
def test_health_command_exits_soon_after_its_answer_however_slow_the_teardown(
        black_hole, hung_env: dict[str, str]) -> None:
    process = subprocess.Popen([sys.executable, "-c", SLOW_TEARDOWN], env=hung_env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               cwd=REPO)
    try:
        answer, answered = _answer(process, within=DEADLINE + 60)
        returncode = process.wait(timeout=EXIT_AFTER_ANSWER + 60)
        exited = time.monotonic()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert exited - answered < EXIT_AFTER_ANSWER, (
        f"archivist health exited {exited - answered:.1f}s after its answer")
    assert returncode == 1, answer   # the hung backends are down: its status is kept
    assert json.loads(answer)["status"] == "down"


def _answer(process: subprocess.Popen[str], within: float) -> tuple[str, float]:
    """What the command printed up to its JSON's last line (a "}" or "]" alone), and when
    that line came (monotonic); fails if it has not come within `within` seconds."""
    lines: list[str] = []
    came: list[float] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.rstrip() in ("}", "]"):
                came.append(time.monotonic())
                return
    reader = threading.Thread(target=read, daemon=True, name="health-answer")
    reader.start()
    reader.join(within)
    assert came, f"no whole answer within {within:g}s: {''.join(lines)[-500:]!r}"
    return "".join(lines), came[0]
