"""A live session started from the API runs in the worker that has --beat: a file played at
real time, its words found by search as they are said, the status page showing it; killed,
it is started again; stopped from the API, it ends and stays ended; when the meeting's recording
lands and is captioned, search finds it instead of the live sessions. PostgreSQL and Redis."""

from __future__ import annotations

import os
import shutil
import signal
import time

import pytest

from archivist.entrypoints.web import create_app
from tests.e2e.media import SAMPLE
from tests.e2e.stations import REDIS, Station, make_recording, postgres_database
from tests.live.test_live_cli import until

pytestmark = pytest.mark.slow


def test_a_session_started_from_the_api_runs_under_the_beat_worker_until_stopped(tmp_path):
    clip = make_recording(SAMPLE, tmp_path / "feed" / "council.mp4", seconds=30)
    root = tmp_path / "station"
    with postgres_database() as url:
        station = Station(root, database_url=url, redis_url=REDIS, library={
            "cities": [{"name": "Riverton", "path": str(root / "mnt" / "riverton"),
                        "live": {"source": str(clip)}}]})
        try:
            station.start_worker("--beat")
            client = create_app(container=station.container).test_client()
            _, secret = station.container.access().create_token("tests")
            staff = {"Authorization": f"Bearer {secret}"}

            def session() -> dict:
                (found,) = client.get("/api/v1/live").get_json()["sessions"]
                return found

            def found(q: str) -> list[dict]:
                return client.get("/api/v1/search", query_string={"q": q}).get_json()["results"]

            started = client.post("/api/v1/live/Riverton/start", headers=staff)
            assert started.status_code == 202 and started.get_json()["wanted"] is True
            assert until(lambda: session()["running"], 120), station.log_text()
            first = session()["pid"]
            assert until(lambda: found("evening"), 90), station.log_text()
            hit = found("evening")[0]
            assert hit["live_session"] and hit["recording_id"] is None
            status = client.get("/status").text
            assert 'data-city="Riverton"' in status and "started from the web" in status

            os.kill(first, signal.SIGKILL)   # the live process dies: the worker starts it again
            assert until(lambda: session()["running"] and session()["pid"] != first, 90), \
                station.log_text()
            # Running is the lease, taken before the model loads; a session stopped while it
            # loads never began (nothing to keep). Stopped once it began: the page lists it.
            assert until(lambda: client.get("/live/Riverton").text.count(
                "/live/Riverton/sessions/") == 2, 90), station.log_text()

            stopped = client.post("/api/v1/live/Riverton/stop", headers=staff)
            assert stopped.status_code == 202 and stopped.get_json()["wanted"] is False
            assert until(lambda: not session()["running"], 30), station.log_text()
            time.sleep(3)   # stays stopped: not wanted, so not started again
            assert session()["state"] == "stopped" and not session()["running"]
            live = client.get("/live/Riverton").text
            assert live.count("/live/Riverton/sessions/") == 2   # the killed one is kept too
            assert all(h["recording_id"] is None for h in found("evening"))

            # The meeting's recording lands (written while the sessions ran) and is captioned
            # by the worker: its captions replace the live ones in search and on the live page.
            landed = station.mount / "1001-1-Riverton Council.mp4"
            shutil.copy(clip, landed)
            os.utime(landed, (time.time() - 5, time.time() - 5))
            assert until(lambda: [h["live_session"] for h in found("evening")] == [None], 240), \
                station.log_text()
            (recording_id,) = {h["recording_id"] for h in found("evening")}
            assert f"/recordings/{recording_id}/transcript" in client.get("/live/Riverton").text
        finally:
            station.close()
