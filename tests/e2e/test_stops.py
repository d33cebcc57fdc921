"""Stops systemd can rely on: SIGTERM to a worker's process group (systemd's default), to its
main process only, or KillMode=mixed's (SIGTERM the main process, SIGKILL the rest after the
timeout) stops it within worker.stop_timeout on Redis and on the embedded queue; the running
job goes back to the queue checkpointed (each way), and the next worker goes on from there."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import pytest

from archivist.domain.models import JobState
from tests.e2e.conftest import SAMPLE
from tests.e2e.stations import REDIS, Station, events, make_recording, postgres_database

pytestmark = pytest.mark.slow
STOP_TIMEOUT = 30


@pytest.fixture(params=["postgresql+redis", "embedded"])
def station(request, tmp_path):
    overlay = {"checkpoint_every": 10, "stop_timeout": STOP_TIMEOUT}
    if request.param == "embedded":
        s = Station(tmp_path, **overlay)
        yield s
        s.close()
        return
    with postgres_database() as url:
        s = Station(tmp_path, database_url=url, redis_url=REDIS, **overlay)
        yield s
        s.close()


def group_gone(pgid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize("how", ["group", "main", "mixed"])
def test_sigterm_stops_the_worker_in_time_and_the_job_goes_on_elsewhere(station, how):
    meeting = make_recording(SAMPLE, station.mount / "meeting.mp4", repeat=3)
    queued = station.archivist("scan", "--json")
    job_id = int(re.search(r'"job_id": (\d+)', queued.stdout).group(1))
    worker = station.start_worker("--beat")
    station.wait_for(job_id, lambda j: j.state is JobState.RUNNING and j.progress > 0.4,
                     what="well under way")
    asked = time.monotonic()
    if how == "group":                       # systemd's default KillMode=control-group
        os.killpg(worker.pid, signal.SIGTERM)
    else:                                    # the main process only (and mixed: it first)
        worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"worker still running {STOP_TIMEOUT}s after SIGTERM\n{station.log_text()}")
    stopped = time.monotonic() - asked
    if how == "mixed":                       # then systemd kills whatever is left
        try:
            os.killpg(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert group_gone(worker.pid, 10), "processes of the worker were left behind"
    log = station.log_text()
    back = station.repo.job(job_id)
    assert back.state is JobState.QUEUED, log
    assert "handed back" in back.notes[-1], back.notes
    assert [e for e in events(log) if e.get("event") == "checkpoint saved"], log
    print(f"{how}: stopped {stopped:.1f}s after SIGTERM")
    if how != "group":
        # Each stop leaves the job the same (queued, handed back, checkpointed: asserted
        # above); going on from there is the next worker's part, run once per station.
        return

    station.start_worker("--beat")           # the next worker goes on from the checkpoint
    done = station.finished(job_id, seconds=240)
    log = station.log_text()
    assert done.state is JobState.SUCCEEDED, log
    assert [e for e in events(log) if e.get("event") == "resuming from checkpoint"], log
    assert meeting.with_suffix(".scc").exists()
