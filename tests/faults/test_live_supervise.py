"""`archivist live supervise` as a station runs it, with the faults people meet: a database that
accepts and never answers, and a wanted session that cannot start (its source is not there).
The supervisor ends promptly on Ctrl-C, and says on `live status` why a session is not live."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from archivist.adapters.live.files import LiveFolder
from tests.environment import station_env
from tests.faults.stopping import ctrl_c
from tests.live.test_live_cli import until

pytestmark = pytest.mark.e2e


def station(tmp_path: Path, source: str, database_url: str = "") -> dict[str, str]:
    """The environment of a station whose one city, Riverton, has live captions from `source`."""
    mount = tmp_path / "mnt" / "riverton"
    mount.mkdir(parents=True)
    config = {"library": {"cities": [{"name": "Riverton", "path": str(mount),
                                      "live": {"source": source}}]}}
    (tmp_path / "station.yml").write_text(yaml.safe_dump(config))
    env = station_env()
    env.update(ARCHIVIST_DATA_DIR=str(tmp_path / "data"), ARCHIVIST_CONFIG=str(tmp_path / "station.yml"),
               ARCHIVIST_DATABASE_URL=database_url)
    return env


def archivist(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def supervise(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "archivist.entrypoints.cli", "live", "supervise"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def test_ctrl_c_ends_the_supervisor_promptly_while_the_database_hangs(tmp_path, black_hole):
    env = station(tmp_path, "udp://127.0.0.1:5000",
                  database_url=f"postgresql://archivist@127.0.0.1:{black_hole.port}/archivist")
    running = supervise(env)
    hanging = until(lambda: black_hole.accepted > 0, 30)   # keeping and linking: it hangs
    time.sleep(1)
    took, err = ctrl_c(running)
    assert hanging
    assert running.returncode == 0 and "Traceback" not in err
    assert took < 5, f"Ctrl-C took {took:.1f} s with the database hanging"


def test_a_wanted_session_that_cannot_start_says_why_on_live_status(tmp_path):
    missing = tmp_path / "feed" / "council.mp4"
    env = station(tmp_path, str(missing))
    LiveFolder(tmp_path / "data", "Riverton").want(str(missing), by="staff:dana")   # as /live's Start
    running = supervise(env)
    try:
        def report() -> dict:
            return json.loads(archivist(env, "live", "status", "Riverton", "--json").stdout)
        assert until(lambda: report()["state"] == "failing", 120), running.stderr
        found = report()
        assert found["problem"] == f"Riverton: {missing}: no such file"
        assert found["retry_at"] is not None and not found["running"]
        line = archivist(env, "live", "status").stdout.strip()
        assert line.startswith(f"Riverton: failing: Riverton: {missing}: no such file; trying again in")
        assert archivist(env, "live", "stop", "Riverton").returncode == 0   # stopped: not failing
        assert report()["state"] == "never run"
    finally:
        running.send_signal(signal.SIGINT)
        try:
            running.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(running.pid, signal.SIGKILL)
            running.communicate()
