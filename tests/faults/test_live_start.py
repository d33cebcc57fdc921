"""`archivist live start` with the settings people type wrong: a source URL whose host does not
resolve and an encoder host that does not. The session runs (either may come back), and
`live status` says why nothing comes and nothing goes, in ffmpeg's and the socket's words."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import yaml

from tests.environment import station_env
from tests.faults.stopping import ctrl_c
from tests.live.test_live_cli import until

pytestmark = pytest.mark.e2e

SOURCE = "srt://source.no-such-host.invalid:9000"


def test_live_status_says_why_the_source_and_the_encoder_are_down(tmp_path):
    mount = tmp_path / "mnt"
    mount.mkdir()
    config = {"library": {"cities": [{"name": "Riverton", "path": str(mount), "live": {
        "source": SOURCE, "encoder": {"host": "encoder.no-such-host.invalid", "port": 23}}}]}}
    (tmp_path / "station.yml").write_text(yaml.safe_dump(config))
    env = station_env()
    env.update(ARCHIVIST_DATA_DIR=str(tmp_path / "data"), ARCHIVIST_CONFIG=str(tmp_path / "station.yml"))
    cli = [sys.executable, "-m", "archivist.entrypoints.cli"]

    def status() -> dict:
        done = subprocess.run([*cli, "live", "status", "Riverton", "--json"], env=env,
                              capture_output=True, text=True, timeout=60)
        return json.loads(done.stdout)

    session = subprocess.Popen([*cli, "live", "start", "Riverton"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert until(lambda: status().get("source_problem") and status().get("encoder_problem"), 90)
        found = status()
        assert found["running"] and found["source_up"] is False and found["encoder_up"] is False
        assert "Failed to resolve hostname source.no-such-host.invalid" in found["source_problem"]
        assert found["encoder_problem"].startswith("encoder.no-such-host.invalid:23: ")
        line = subprocess.run([*cli, "live", "status"], env=env, capture_output=True, text=True,
                              timeout=60).stdout
        assert "QUIET (srt: Failed to resolve hostname source.no-such-host.invalid" in line
        assert "encoder DOWN (encoder.no-such-host.invalid:23: " in line
    finally:
        session.send_signal(signal.SIGINT)
        try:
            _, err = session.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(session.pid, signal.SIGKILL)
            _, err = session.communicate()
    assert session.returncode == 0 and "Traceback" not in err
    # Said once in the log, not at every reopening of the source.
    assert err.count("live source sends nothing") == 1, err


def test_ctrl_c_ends_live_start_promptly_while_the_database_hangs(tmp_path, black_hole):
    mount = tmp_path / "mnt"
    mount.mkdir()
    config = {"library": {"cities": [{"name": "Riverton", "path": str(mount), "live": {
        "source": "udp://127.0.0.1:9"}}]}}   # nothing sends: the session waits for it
    (tmp_path / "station.yml").write_text(yaml.safe_dump(config))
    env = station_env()
    env.update(ARCHIVIST_DATA_DIR=str(tmp_path / "data"), ARCHIVIST_CONFIG=str(tmp_path / "station.yml"),
               ARCHIVIST_DATABASE_URL=f"postgresql://archivist@127.0.0.1:{black_hole.port}/archivist")
    session = subprocess.Popen([sys.executable, "-m", "archivist.entrypoints.cli", "live", "start",
                                "Riverton"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    status = tmp_path / "data" / "live" / "Riverton" / "status.json"
    # Running, and keeping its transcript in the database, which hangs.
    running = until(lambda: status.exists() and black_hole.accepted > 0, 90)
    time.sleep(1)
    took, err = ctrl_c(session)
    assert running
    assert session.returncode == 0 and "Traceback" not in err
    assert took < 3, f"Ctrl-C took {took:.1f} s with the database hanging"
    assert json.loads(status.read_text())["state"] == "ended"
