"""/live/<city>, its event stream and WebVTT, and /api/v1/live, over a session's real files."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from archivist import containers
from archivist.adapters.live.files import LiveFolder
from archivist.domain.live.rollup import Row
from archivist.domain.models import Word
from archivist.entrypoints.web import create_app


@pytest.fixture
def station(config: dict[str, Any], tmp_path: Path):
    config = {**config, "library": {**config["library"], "cities": [
        {"name": "Riverton", "path": str(tmp_path), "live": {"source": "udp://127.0.0.1:5999"}}]}}
    container = containers.build(config)
    app = create_app(container=container)
    _, secret = container.access().create_token("tests")
    yield app, container, {"Authorization": f"Bearer {secret}"}
    containers.shutdown(container)


def a_session(container, words: str) -> LiveFolder:
    """A session as `live start` leaves it: lease held, words sent, a row, a gap."""
    folder = container.live_folder(city="Riverton")
    assert folder.claim()
    folder.began("udp://127.0.0.1:5999")
    said = [Word(1.0 + i, 1.5 + i, w) for i, w in enumerate(words.split())]
    folder.sent([(w, 1000.0 + w.end, 1.2) for w in said])
    folder.rows([Row(said[0].start, said[-1].end, words)])
    folder.gap(10.0, 14.0, 1014.0)
    folder.status({"city": "Riverton", "state": "running", "words_sent": len(said),
                   "source_up": True, "encoder_up": None, "latency_p50": 1.2})
    return folder


def events(body: str) -> list[tuple[str, str, str]]:
    """(id, event, data) of each event in a stream."""
    found = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            found.append((fields.get("id", ""), fields["event"], fields["data"]))
    return found


def test_the_live_page_streams_what_was_sent_and_resumes_where_it_got_to(station):
    app, container, _ = station
    folder = a_session(container, "Good evening everyone.")
    client = app.test_client()
    page = client.get("/live/riverton")
    assert page.status_code == 200 and "Live now" in page.text and "live.js" in page.text
    assert 'URI="http://localhost/live/Riverton/captions.m3u8"' in page.text   # how to attach it
    stream = client.get("/live/Riverton/events")
    assert stream.mimetype == "text/event-stream"
    got = events(stream.text)
    kinds = [kind for _id, kind, _data in got]
    assert kinds[:5] == ["began", "word", "word", "word", "row"] and "gap" in kinds
    assert kinds[-1] == "status" and '"running": true' in got[-1][2]
    last_id = got[-1][0]
    folder.sent([(Word(20.0, 20.5, "Present."), 1021.0, 1.0)])
    more = events(client.get("/live/Riverton/events", headers={"Last-Event-ID": last_id}).text)
    assert [(kind, data) for _i, kind, data in more if kind == "word"] == [
        ("word", '{"kind": "word", "word": "Present.", "start": 20.0, "end": 20.5, "sent": 1021.0, "latency": 1.0}')]
    vtt = client.get("/live/Riverton/captions.vtt")
    assert vtt.mimetype == "text/vtt"
    assert vtt.text.startswith("WEBVTT") and "00:00:01.000 --> 00:00:03.500\nGood evening everyone." in vtt.text
    folder.ended()
    folder.release()


def test_api_reports_sessions_and_only_staff_stop_them(station):
    app, container, bearer = station
    client = app.test_client()
    assert client.get("/api/v1/live").json == {"sessions": [
        {"city": "Riverton", "state": "never run", "running": False, "wanted": False,
         "pid": None}]}
    folder = a_session(container, "Call the roll.")
    (running,) = client.get("/api/v1/live").json["sessions"]
    assert running["running"] is True and running["words_sent"] == 3
    assert client.post("/api/v1/live/Riverton/stop").status_code == 401
    stopped = client.post("/api/v1/live/Riverton/stop", headers=bearer)
    assert stopped.status_code == 202 and folder.stop_requested()
    assert client.post("/api/v1/live/Eastfield/stop", headers=bearer).status_code == 404
    folder.ended()
    folder.release()


def test_an_unknown_city_is_404_and_a_city_without_captions_says_so(station):
    app, _container, _ = station
    client = app.test_client()
    assert client.get("/live/Eastfield").status_code == 404
    assert client.get("/live/Riverton/captions.vtt").status_code == 404
    assert "No live session yet" in client.get("/live/Riverton").text
    assert "Riverton" in client.get("/live").text


def test_a_mistyped_city_is_told_the_cities_with_did_you_mean(station):
    # As /cities/<name>, /jobs?city= and the CLI say it (domain/city_names.py).
    app, _container, bearer = station
    client = app.test_client()
    for url in ("/live/Rivertn", "/live/Rivertn/captions.vtt", "/live/Rivertn/captions.m3u8"):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert "unknown city 'Rivertn'; did you mean Riverton?" in answer.text, url
    stop = client.post("/api/v1/live/Rivertn/stop", headers=bearer)
    assert stop.status_code == 404 and "did you mean Riverton?" in stop.json["error"]["message"]


def signed_in(app):
    """A browser-like client signed in as staff."""
    from types import SimpleNamespace

    from tests.web.test_security import staff_client

    client, _ = staff_client(SimpleNamespace(app=app))
    return client


def test_status_says_why_a_wanted_session_is_not_live_and_nothing_stale_of_an_ended_one(station):
    app, container, _ = station
    app.config["ARCHIVIST_HEALTH_DETAIL"] = False   # the shipped default: the detail is for staff
    client = signed_in(app)
    folder = a_session(container, "Call the roll.")
    folder.ended()
    folder.release()   # the session ended while its source sent and no encoder was set
    row = client.get("/status").text.split('data-city="Riverton"')[1].split("</tr>")[0]
    assert ">stopped<" in row and "sending" not in row and "none" not in row
    folder.want("/mnt/feed/council.mp4", by="staff:dana")
    folder.failed({"reason": "Riverton: /mnt/feed/council.mp4: no such file", "exit_code": 1,
                   "retry_at": 2e9})
    row = client.get("/status").text.split('data-city="Riverton"')[1].split("</tr>")[0]
    assert ">failing<" in row and "Riverton: /mnt/feed/council.mp4: no such file" in row
    assert "could not start (Riverton: /mnt/feed/council.mp4: no such file)" in client.get("/live/Riverton").text
    (api,) = client.get("/api/v1/live").json["sessions"]
    assert api["state"] == "failing" and api["problem"].endswith("no such file")
    folder.unwant()
    assert client.get("/api/v1/live").json["sessions"][0]["state"] == "stopped"


def test_the_api_says_nothing_of_the_connections_of_a_session_that_is_not_running(station):
    """An ended (or killed) session's last status had its encoder connected and its source
    awaited: the API said so after it ended ("encoder_up": true), as /status and `live status`
    do not."""
    app, container, _ = station
    client = app.test_client()
    folder = a_session(container, "Call the roll.")
    folder.status({"city": "Riverton", "state": "running", "words_sent": 3, "gaps": 0,
                   "source_up": False, "waiting": True, "source_problem": "srt: refused",
                   "encoder_up": True, "encoder_problem": None, "latency_p50": 1.2})
    (running,) = client.get("/api/v1/live").json["sessions"]
    assert running["encoder_up"] is True and running["waiting"] is True
    folder.release()   # killed: its last status still says running
    (ended,) = client.get("/api/v1/live").json["sessions"]
    assert ended["state"] == "stopped" and ended["words_sent"] == 3 and ended["latency_p50"] == 1.2
    for key in ("source_up", "encoder_up", "source_problem", "encoder_problem"):
        assert ended.get(key) is None, key
    assert "waiting" not in ended


def test_a_session_started_where_no_worker_with_beat_runs_says_so(station):
    app, container, bearer = station
    client = app.test_client()
    assert client.post("/api/v1/live/Riverton/start", headers=bearer).status_code == 202
    (api,) = client.get("/api/v1/live").json["sessions"]
    assert api["state"] == "starting" and "problem" not in api   # a supervisor has 10 s to look
    folder = container.live_folder(city="Riverton")
    wanted = folder.wanted()
    folder.want(wanted["source"])
    (folder.path / "wanted").write_text(json.dumps({**wanted, "since": time.time() - 30}))
    (api,) = client.get("/api/v1/live").json["sessions"]
    assert api["state"] == "starting" and api["problem"].startswith("no worker with --beat is running it")
    assert "archivist worker --beat" in client.get("/status").text
    assert "Starting… but no worker with --beat" in client.get("/live/Riverton").text
    folder.supervised()   # `live supervise` looks at it
    (api,) = client.get("/api/v1/live").json["sessions"]
    assert api["state"] == "starting" and "problem" not in api
    folder.unwant()


def test_the_captions_are_an_hls_subtitle_playlist_over_http(station):
    import urllib.request

    import m3u8

    from tests.web.test_web_server import serving

    app, container, _ = station
    folder = container.live_folder(city="Riverton")
    assert folder.claim()
    folder.began("udp://127.0.0.1:5999")

    def at(stream: float) -> None:   # the session's status every second, as `live start` writes it
        folder.status({"city": "Riverton", "state": "running", "stream_seconds": stream,
                       "updated": 1_800_000_000.0 + stream, "source_timestamp": 11.4})

    folder.rows([Row(1.0, 3.5, "Good evening everyone."), Row(5.0, 7.5, "Call the roll.")])
    at(12.5)    # segment 0 (0-6 s) is 6 s behind: written
    folder.rows([Row(4.0, 4.5, "Here.")])   # sent late for segment 0: rides in segment 1
    at(18.0)

    with serving(app) as base:
        def get(path: str):
            with urllib.request.urlopen(base + path, timeout=10) as answer:
                return answer.headers, answer.read().decode()

        headers, text = get("/live/Riverton/captions.m3u8")
        assert headers["Content-Type"] == "application/vnd.apple.mpegurl"
        assert headers["Access-Control-Allow-Origin"] == "*" and headers["Cache-Control"] == "no-store"
        playlist = m3u8.loads(text, uri=base + "/live/Riverton/captions.m3u8")
        assert playlist.target_duration == 6 and playlist.media_sequence == 0
        assert not playlist.is_endlist and [s.duration for s in playlist.segments] == [6.0, 6.0]
        assert playlist.program_date_time is not None
        assert playlist.program_date_time.timestamp() == 1_800_000_000.0
        segments = []
        for segment in playlist.segments:
            headers, body = get(segment.absolute_uri.removeprefix(base))
            assert headers["Content-Type"].startswith("text/vtt")
            assert headers["Access-Control-Allow-Origin"] == "*"
            segments.append(body)
        # Session second 0 is the source's first timestamp (11.4 s) on its 90 kHz clock.
        assert all(s.startswith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:1026000,LOCAL:00:00:00.000\n\n")
                   for s in segments)
        assert "00:00:01.000 --> 00:00:03.500\nGood evening everyone." in segments[0]
        # A row shown across two segments is in both; one sent late is in the next written.
        assert "Call the roll." in segments[0] and "Call the roll." in segments[1]
        assert "00:00:04.000 --> 00:00:05.000\nHere." in segments[1]
        assert "Here." not in segments[0] and "Good evening" not in segments[1]

        folder.ended()
        folder.release()
        ended = m3u8.loads(get("/live/Riverton/captions.m3u8")[1])
        assert ended.is_endlist and len(ended.segments) == 3   # 18 s of stream: three segments
        assert get("/live/Riverton/captions.vtt")[1].count("Call the roll.") == 1
    client = app.test_client()
    assert client.get("/live/Riverton/captions/20990101T000000Z/00000.vtt").status_code == 404
    assert client.get("/live/Eastfield/captions.m3u8").status_code == 404


def test_a_session_waiting_for_its_stream_says_so_not_quiet(station):
    app, container, _ = station
    folder = container.live_folder(city="Riverton")
    assert folder.claim()
    folder.began("udp://127.0.0.1:5999")
    folder.status({"city": "Riverton", "state": "running", "source_up": False, "waiting": True,
                   "words_sent": 0, "gaps": 0, "encoder_up": None})
    client = app.test_client()
    row = client.get("/status").text.split('data-city="Riverton"')[1].split("</tr>")[0]
    assert "waiting for it" in row and "QUIET" not in row
    assert client.get("/api/v1/live").json["sessions"][0]["waiting"] is True
    folder.ended()
    folder.release()


def test_a_session_loading_its_model_or_waiting_for_its_source_is_not_said_to_be_live(station):
    """/live/<city> said "Live now" from the moment `live start` took the city's lease: while
    it loaded its model (the last session's figures shown as its own) and while its source had
    sent nothing. Staff took captions to be flowing."""
    app, container, _ = station
    earlier = a_session(container, "Call the roll.")
    earlier.ended()
    earlier.release()
    folder = container.live_folder(city="Riverton")
    assert folder.claim()   # as `live start` does, then says so before it loads the model
    folder.status({"city": "Riverton", "state": "loading", "source": "udp://127.0.0.1:5999",
                   "updated": time.time()})
    client = app.test_client()

    def said() -> tuple[str, dict[str, Any]]:
        page = client.get("/live/Riverton").text.split('id="live-status"')[1].split("</p>")[0]
        (api,) = client.get("/api/v1/live").json["sessions"]
        return page, api

    page, api = said()
    assert "Starting… (loading the model)" in page and "Live now" not in page
    assert api["state"] == "loading" and api["running"] is True   # a process holds it: Stop
    assert "words_sent" not in api   # the last session's figures are not this one's
    folder.began("udp://127.0.0.1:5999")
    folder.status({"city": "Riverton", "state": "waiting", "source_up": False, "waiting": True,
                   "words_sent": 0, "gaps": 0, "encoder_up": None})
    page, api = said()
    assert "Waiting for the source" in page and "Live now" not in page
    assert api["state"] == "waiting" and api["running"] is True
    folder.status({"city": "Riverton", "state": "running", "source_up": True, "waiting": False,
                   "words_sent": 0, "gaps": 0, "encoder_up": None})
    page, api = said()
    assert "Live now" in page and api["state"] == "running"
    folder.ended()
    folder.release()


def test_a_session_whose_source_drops_after_its_first_sound_is_not_said_to_be_live_now(station):
    """Issue 19: the source dropped mid-meeting (/status and `live status` said QUIET) and
    /live/<city> still said "Live now" to residents waiting for captions that could not come."""
    from datetime import datetime

    app, container, _ = station
    folder = a_session(container, "Call the roll.")
    quiet_since = time.time() - 75
    folder.status({"city": "Riverton", "state": "running", "source_up": False, "waiting": False,
                   "source_quiet_since": quiet_since, "source_problem": None, "words_sent": 3,
                   "gaps": 1, "encoder_up": None})
    client = app.test_client()
    page = client.get("/live/Riverton").text.split('id="live-status"')[1].split("</p>")[0]
    at = datetime.fromtimestamp(quiet_since).astimezone().strftime("%H:%M:%S")
    assert "Live now" not in page
    assert f"Live, but the meeting's sound stopped reaching us at {at}" in page
    assert "captions resume when it returns" in page
    (api,) = client.get("/api/v1/live").json["sessions"]
    assert api["running"] is True and api["source_up"] is False and api["waiting"] is False
    assert api["source_quiet_since"] == pytest.approx(quiet_since)
    row = client.get("/status").text.split('data-city="Riverton"')[1].split("</tr>")[0]
    assert f"QUIET since {at}" in row   # staff see since when too
    folder.status({"city": "Riverton", "state": "running", "source_up": True, "waiting": False,
                   "source_quiet_since": None, "words_sent": 3, "gaps": 1, "encoder_up": None})
    page = client.get("/live/Riverton").text.split('id="live-status"')[1].split("</p>")[0]
    assert "Live now" in page and "stopped reaching us" not in page
    folder.ended()
    folder.release()
    (ended,) = client.get("/api/v1/live").json["sessions"]
    assert ended.get("source_quiet_since") is None   # only while it runs


def test_the_list_of_live_cities_says_a_dropped_source_is_quiet_not_just_running(station):
    from datetime import datetime

    app, container, _ = station
    folder = a_session(container, "Call the roll.")
    quiet_since = time.time() - 30
    folder.status({"city": "Riverton", "state": "running", "source_up": False, "waiting": False,
                   "source_quiet_since": quiet_since, "words_sent": 3, "gaps": 1})
    at = datetime.fromtimestamp(quiet_since).astimezone().strftime("%H:%M:%S")
    listed = app.test_client().get("/live").text.split('class="live-cities"')[1].split("</ul>")[0]
    assert f"running, but no sound since {at}, 3 words sent" in listed
    folder.ended()
    folder.release()


def test_staff_are_not_offered_a_start_for_a_city_without_a_live_source(api):
    """The page offered "Start live captions" for a city with no `live.source`; pressing it
    only then said the API's 404."""
    from tests.web.test_security import staff_client

    client, _ = staff_client(api)
    page = client.get("/live/Riverton").text
    assert 'id="live-start"' not in page
    assert "No live source is set for Riverton" in page


def test_a_city_typed_on_the_live_pages_and_api_follows_the_one_rule_for_city_names(station):
    """/live/<city> and the live API took any case but said only "no city called 'Rivertn'":
    /cities/<name> and every other place a person types a city say "did you mean Riverton?"."""
    app, _container, bearer = station
    client = app.test_client()
    assert "No live session yet" in client.get("/live/RIVERTON").text   # any case
    for path in ("/live/Rivertn", "/live/Rivertn/captions.vtt", "/live/Rivertn/captions.m3u8"):
        unknown = client.get(path)
        assert unknown.status_code == 404 and "did you mean Riverton?" in unknown.text, path
    for action in ("start", "stop"):
        unknown = client.post(f"/api/v1/live/Rivertn/{action}", headers=bearer)
        assert unknown.status_code == 404
        assert "did you mean Riverton?" in unknown.get_json()["error"]["message"]
    started = client.post("/api/v1/live/riverton/start", headers=bearer)
    assert started.status_code == 202 and started.get_json()["city"] == "Riverton"
    client.post("/api/v1/live/riverton/stop", headers=bearer)


def test_residents_are_told_plainly_why_captions_are_not_live_without_the_operators_detail(station):
    """/live/<city>, its event stream, /status and the API showed anyone the raw reason a start
    failed (a path on the station), the SRT and encoder hosts that refused, and the command to
    start a worker: the rest of /status keeps such detail for staff (or web.health_detail)."""
    app, container, bearer = station
    app.config["ARCHIVIST_HEALTH_DETAIL"] = False   # the shipped default
    resident = app.test_client()

    def seen(*, by: Any = resident, **headers: str) -> dict[str, str]:
        page = by.get("/live/Riverton", headers=headers).text
        return {"line": page.split('id="live-status"')[1].split("</p>")[0], "page": page,
                "row": by.get("/status", headers=headers).text.split('data-city="Riverton"')[1]
                .split("</tr>")[0],
                "api": by.get("/api/v1/live", headers=headers).text,
                "stream": by.get("/live/Riverton/events", headers=headers).text}

    folder = a_session(container, "Call the roll.")
    folder.status({"city": "Riverton", "state": "running", "words_sent": 3, "gaps": 0,
                   "source": "srt://10.0.0.9:9000", "source_up": False, "waiting": False,
                   "source_problem": "srt://10.0.0.9:9000: Connection refused",
                   "encoder_up": False, "encoder_problem": "10.0.0.9:23: Connection refused"})
    shown = seen()
    assert "QUIET" in shown["row"] and "DOWN" in shown["row"]
    for where, text in shown.items():
        assert "10.0.0.9" not in text and "refused" not in text, where
        assert "udp://127.0.0.1:5999" not in text, where   # the source the session began on
    staff = seen(**bearer)
    assert "QUIET: srt://10.0.0.9:9000: Connection refused" in staff["row"]
    assert "DOWN: 10.0.0.9:23: Connection refused" in staff["row"]
    assert "10.0.0.9:23: Connection refused" in staff["api"] and "10.0.0.9" in staff["stream"]
    folder.ended()
    folder.release()

    folder.want("/mnt/feed/council.mp4", by="staff:dana")
    folder.failed({"reason": "Riverton: /mnt/feed/council.mp4: no such file", "exit_code": 1,
                   "retry_at": 2e9})
    shown = seen()
    assert ("Not live: the station is having trouble starting the live captions; it keeps trying"
            in shown["line"])
    assert ">failing<" in shown["row"] and "it keeps trying" in shown["row"]
    assert json.loads(shown["api"])["sessions"][0]["state"] == "failing"
    for where, text in shown.items():
        assert "council.mp4" not in text and "no such file" not in text, where
    assert "could not start (Riverton: /mnt/feed/council.mp4: no such file)" in seen(**bearer)["line"]
    folder.unwant()

    folder.want("/mnt/feed/council.mp4", by="staff:dana")   # where no worker with --beat runs
    (folder.path / "wanted").write_text(json.dumps({**folder.wanted(), "since": time.time() - 30}))
    shown = seen()
    assert shown["line"].strip().endswith(">Starting…")
    for where, text in shown.items():
        assert "--beat" not in text and "council.mp4" not in text, where
    assert "Starting… but no worker with --beat" in seen(**bearer)["line"]
    app.config["ARCHIVIST_HEALTH_DETAIL"] = True   # the station shows its detail to everyone
    assert "Starting… but no worker with --beat" in seen()["line"]
    assert "no worker with --beat" in seen()["stream"]
    folder.unwant()


def test_the_last_sessions_transcript_is_labelled_as_such_when_none_runs(station):
    """Not live (stopped, failing, starting), the page showed the last session's transcript
    under its status line with nothing saying it was an earlier session's, not this one."""
    import os
    from datetime import datetime

    app, container, _ = station
    client = app.test_client()

    def label() -> str | None:
        page = client.get("/live/Riverton").text
        if 'id="live-earlier"' not in page:
            return None
        return page.split('id="live-earlier"')[1].split(">", 1)[1].split("<")[0]

    assert label() is None   # no session yet
    folder = a_session(container, "Call the roll.")
    assert label() is None   # the session on the page is the one running
    folder.ended()
    folder.release()
    written = (folder.session_path() / "transcript.jsonl").stat().st_mtime   # as it ended
    at = datetime.fromtimestamp(written).astimezone()
    assert label() == f"From the last session, ended {at:%H:%M}"
    folder.want("/mnt/feed/council.mp4", by="staff:dana")
    assert label() == f"From the last session, ended {at:%H:%M}"   # starting
    folder.failed({"reason": "no such file", "exit_code": 1, "retry_at": 2e9})
    assert label() == f"From the last session, ended {at:%H:%M}"   # failing
    folder.unwant()
    earlier = written - 2 * 86400   # on another day: which day
    os.utime(folder.session_path() / "transcript.jsonl", (earlier, earlier))
    on = datetime.fromtimestamp(earlier).astimezone()
    assert label() == f"From the last session, ended {on:%a} {on.day} {on:%b %Y} at {on:%H:%M}"
    after = container.live_folder(city="Riverton")   # the next `live start`, loading its model
    assert after.claim()
    after.status({"city": "Riverton", "state": "loading", "updated": time.time()})
    assert label() is not None   # the transcript shown is still the last session's
    after.began("udp://127.0.0.1:5999")
    after.status({"city": "Riverton", "state": "running", "source_up": True, "words_sent": 0})
    assert label() is None
    after.ended()
    after.release()


def test_status_says_a_sessions_latency_in_words_never_as_bare_units(station):
    """/status showed "Latency: s /  s" (the 390-px layout labels each cell) for a session with
    no figures: one configured but never run, or loading its model; a blank cell for one that
    has sent no word yet; and "1.2 s /  s" for a status with only its p50."""
    app, container, _ = station
    client = app.test_client()

    def latency() -> str:
        row = client.get("/status").text.split('data-city="Riverton"')[1].split("</tr>")[0]
        return row.split('data-label="Latency">')[1].split("</td>")[0]

    assert latency() == "—"   # configured, never run
    folder = container.live_folder(city="Riverton")
    assert folder.claim()
    folder.status({"city": "Riverton", "state": "loading", "updated": time.time()})
    assert latency() == "no words sent yet"
    folder.began("udp://127.0.0.1:5999")
    folder.status({"city": "Riverton", "state": "running", "source_up": True, "words_sent": 0,
                   "gaps": 0, "encoder_up": None, "latency_p50": None, "latency_p95": None})
    assert latency() == "no words sent yet"
    folder.status({"city": "Riverton", "state": "running", "source_up": True, "words_sent": 3,
                   "gaps": 0, "encoder_up": None, "latency_p50": 1.2})
    assert latency() == "p50 1.2 s, p95 —"
    folder.status({"city": "Riverton", "state": "running", "source_up": True, "words_sent": 3,
                   "gaps": 0, "encoder_up": None, "latency_p50": 1.2, "latency_p95": 3.05})
    assert latency() == "p50 1.2 s, p95 3.05 s"
    folder.ended()
    folder.release()
    assert latency() == "p50 1.2 s, p95 3.05 s"   # an ended session's figures stand
    assert folder.claim()
    folder.began("udp://127.0.0.1:5999")
    folder.status({"city": "Riverton", "state": "ended", "words_sent": 0, "gaps": 0,
                   "latency_p50": None, "latency_p95": None})
    folder.ended()
    folder.release()
    assert latency() == "no words were sent"
