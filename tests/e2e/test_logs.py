"""What a station's logs look like to whoever reads them: one JSON event a line with the job and
city it is about, at the configured level, and never a password, key or token."""

from __future__ import annotations

import http.cookiejar
import json
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml

from archivist.domain.models import JobState
from tests.e2e.conftest import SAMPLE
from tests.e2e.stations import REDIS, Station, events, make_recording, postgres_database
from tests.servers import unused_port

DB_PASSWORD = "pg-Pass/7781@x"          # '/' and '@' as people type them in a URL
CABLECAST_PASSWORD = "cc-Pass-4412"
SECRET_KEY = "sk-d3adb33f-station-key"
STAFF_PASSWORD = "staff-Pass-99821"


@pytest.mark.slow
def test_no_secret_reaches_the_logs_and_job_lines_say_which_job(tmp_path: Path) -> None:
    closed = unused_port()   # Cablecast "away": every publish fails and says why
    with postgres_database() as url:
        with_password = url.replace("postgres@", f"postgres:{DB_PASSWORD}@", 1)
        station = Station(tmp_path, database_url=with_password, redis_url=REDIS,
                          cablecast={"url": f"http://127.0.0.1:{closed}", "user": "archivist",
                                     "password": CABLECAST_PASSWORD, "connect_timeout": 1,
                                     "retry": {"attempts": 2, "backoff": 0.1, "max_backoff": 0.2,
                                               "deadline": 2.0}},
                          web={"secure_cookies": False})   # the session cookie over plain HTTP
        station.env.update(ARCHIVIST_SECRET_KEY=SECRET_KEY, ARCHIVIST_LOG_LEVEL="debug")
        try:
            station.publishing_city({"location": 3, "sidecar": "beside", "chapters": True})
            _run_a_station(station, tmp_path)
        finally:
            station.close()


def _run_a_station(station: Station, tmp_path: Path) -> None:
    stderr: list[str] = []

    def archivist(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", *args],
                              env=station.env, input=stdin, capture_output=True, text=True,
                              timeout=120, cwd=station.root)
        stderr.append(done.stderr)
        return done

    token = archivist("token", "create", "ops").stdout.strip().splitlines()[-1]
    assert archivist("user", "add", "dana", "--password-stdin",
                     stdin=STAFF_PASSWORD + "\n").returncode == 0
    archivist("health")
    archivist("config", "show")
    archivist("-v", "scan")

    recording = make_recording(SAMPLE, station.mount / SAMPLE.name, seconds=12)
    station.start_worker("--beat")
    job_id = _wait_for_job(station)
    assert station.finished(job_id).state is JobState.SUCCEEDED
    served = _serve_and_use(station, token, tmp_path)
    _wait_for_event(station, "publishing failed")
    logs = "\n".join([*stderr, station.log_text(), served])

    for secret in (DB_PASSWORD, urllib.parse.quote(DB_PASSWORD, safe=""), CABLECAST_PASSWORD,
                   SECRET_KEY, token, STAFF_PASSWORD):
        assert secret not in logs, f"{secret!r} logged"
    # The staff password typed into the name field was blanked, not left out.
    assert '"staff": "****"' in served

    lines = events(station.log_text())
    job_lines = [e for e in lines if e.get("job_id") == job_id]
    said = {e["event"] for e in job_lines}
    assert {"job started", "job finished"} <= said, said
    assert all(e.get("city") == "Riverton" for e in job_lines if e["event"].startswith("job "))
    started = next(e for e in job_lines if e["event"] == "job started")
    assert started["path"] == str(recording) and started["level"] == "info"
    # Third-party libraries' lines go the same way (Celery's, for one).
    assert any(e["logger"].startswith("celery") for e in lines)


def _wait_for_job(station: Station, seconds: float = 60) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        jobs = station.repo.jobs()
        if jobs:
            return jobs[0].id
        time.sleep(0.3)
    raise AssertionError(f"nothing queued\n{station.log_text()}")


def _wait_for_event(station: Station, event: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(e.get("event") == event for e in events(station.log_text())):
            return
        time.sleep(0.5)
    raise AssertionError(f"no {event!r} in\n{station.log_text()}")


def _serve_and_use(station: Station, token: str, tmp_path: Path) -> str:
    """`archivist serve`: an API call with the token, a staff login, and a password typed into
    the name field. Returns what it logged."""
    port = unused_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "archivist.entrypoints.cli", "serve",
                                 "--port", str(port), "--no-worker"], env=station.env,
                                stdout=out, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_listening(base)
        request = urllib.request.Request(f"{base}/api/v1/jobs/999/cancel", method="POST",
                                         headers={"Authorization": f"Bearer {token}"})
        try:
            urllib.request.urlopen(request, timeout=20)
        except urllib.error.HTTPError as refused:
            assert refused.code == 404   # let in, and no such job
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        for name in ("dana", STAFF_PASSWORD):   # the second: the password in the name field
            page = browser.open(f"{base}/login", timeout=20).read().decode()
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            form = urllib.parse.urlencode({"name": name, "password": STAFF_PASSWORD,
                                           "csrf_token": csrf}).encode()
            try:
                browser.open(f"{base}/login", data=form, timeout=20)
            except urllib.error.HTTPError as wrong:
                assert wrong.code == 401 and name == STAFF_PASSWORD
    finally:
        proc.terminate()
        proc.wait(20)
    return log.read_text()


def _wait_listening(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"{base}/health", timeout=20)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _scan_with(archivist, tmp_path: Path, *args: str, logging: dict | None = None,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    mount = tmp_path / "riverton"
    mount.mkdir(exist_ok=True)
    config = {"library": {"cities": [{"name": "Riverton", "path": str(mount)}]}}
    if logging:
        config["logging"] = logging
    path = tmp_path / "station.yml"
    path.write_text(yaml.safe_dump(config))
    return subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", "--config", str(path),
                           *args, "scan"], env={**archivist.env, **(env or {})},
                          capture_output=True, text=True, timeout=120)


def test_the_level_comes_from_the_config_or_the_environment(archivist, tmp_path: Path) -> None:
    quiet = _scan_with(archivist, tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    told = _scan_with(archivist, tmp_path, logging={"level": "info"})
    [done] = [json.loads(line) for line in told.stderr.splitlines() if '"scan done"' in line]
    assert done["level"] == "info" and done["queued"] == 0 and done["logger"] == "archivist.scan"
    from_env = _scan_with(archivist, tmp_path, env={"ARCHIVIST_LOG_LEVEL": "info"})
    assert '"scan done"' in from_env.stderr
    above = _scan_with(archivist, tmp_path, "-v", logging={"level": "error"})
    assert '"scan done"' in above.stderr, "-v shows at least info"


def test_text_lines_when_configured_and_a_bad_level_is_one_line(archivist, tmp_path: Path) -> None:
    text = _scan_with(archivist, tmp_path, logging={"level": "info", "format": "text"})
    [line] = [line for line in text.stderr.splitlines() if "scan done" in line]
    assert re.fullmatch(r"\S+ INFO +archivist\.scan: scan done queued=0 skipped=0 unreadable=0 "
                        r"unreachable=0 not_queued=0", line), line
    bad = _scan_with(archivist, tmp_path, logging={"level": "loud"})
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().count("\n") == 0 and "'logging.level' must be one of" in bad.stderr
