"""`archivist live` as an operator runs it: the sample meeting played at real time, captioned
live to the fake encoder, with a second start, status, stop, and a killed session."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from archivist.testing.fake_encoder import FakeEncoder
from tests.e2e.media import SAMPLE
from tests.environment import station_env

pytestmark = pytest.mark.slow


def until(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


class LiveStation:
    def __init__(self, root: Path, encoder_port: int) -> None:
        self.root = root
        self.data = root / "data"
        config = {"library": {"cities": [{
            "name": "Riverton", "path": str(root), "vocabulary": ["Anderson", "Nguyen"],
            "live": {"source": str(SAMPLE),
                     "encoder": {"host": "127.0.0.1", "port": encoder_port, "rows": 3}}}]}}
        (root / "station.yml").write_text(yaml.safe_dump(config))
        self.env = station_env()
        self.env.update(ARCHIVIST_DATA_DIR=str(self.data), ARCHIVIST_CONFIG=str(root / "station.yml"))

    def command(self) -> list[str]:
        return [sys.executable, "-m", "archivist.entrypoints.cli"]

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.command(), *args], env=self.env, capture_output=True,
                              text=True, timeout=timeout)

    def start(self, source: str | None = None) -> subprocess.Popen[str]:
        """`live start Riverton`, from the configured source or `source`."""
        given = ["--source", source] if source else []
        return subprocess.Popen([*self.command(), "live", "start", "Riverton", *given],
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)

    def status(self) -> dict:
        return json.loads(self.run("live", "status", "Riverton", "--json").stdout)

    def transcript(self) -> list[dict]:
        (session,) = (self.data / "live" / "Riverton" / "sessions").iterdir()
        return [json.loads(line) for line in (session / "transcript.jsonl").read_text().splitlines()]

    def vtt(self) -> str:
        (session,) = (self.data / "live" / "Riverton" / "sessions").iterdir()
        return (session / "captions.vtt").read_text()


@pytest.fixture
def screen():
    fake = FakeEncoder().start()
    yield fake
    fake.stop()


def test_a_meeting_is_captioned_live_to_the_encoder_and_kept(tmp_path, screen):
    station = LiveStation(tmp_path, screen.port)
    session = station.start()
    try:
        assert until(lambda: station.status().get("running"), 60)
        again = station.run("live", "start", "Riverton")
        assert again.returncode == 0 and "already running" in again.stdout
        out, err = session.communicate(timeout=150)   # the sample (33 s) plays to its end
    finally:
        if session.poll() is None:
            session.kill()
    assert session.returncode == 0, err
    shown = screen.text().lower()
    for said in ("good evening", "council member", "clerk", "pledge"):
        assert said in shown, shown
    assert all(len(row) <= 32 for row in screen.screen)
    words = [e for e in station.transcript() if e["kind"] == "word"]
    assert len(words) >= 40 and station.transcript()[-1]["kind"] == "ended"
    assert "WEBVTT" in station.vtt() and " --> " in station.vtt()
    status = station.status()
    assert status["running"] is False and status["words_sent"] == len(words)
    assert "stopped" in out and "words sent" in out


def test_stop_ends_a_session_and_a_killed_one_keeps_its_transcript(tmp_path, screen):
    station = LiveStation(tmp_path, screen.port)
    session = station.start()
    try:
        assert until(lambda: station.status().get("words_sent", 0) >= 3, 90)
        started = time.monotonic()
        stopped = station.run("live", "stop", "Riverton")
        assert stopped.returncode == 0 and "stopped" in stopped.stdout
        assert time.monotonic() - started < 20
        session.wait(10)
    finally:
        if session.poll() is None:
            session.kill()
    assert station.transcript()[-1]["kind"] == "ended"

    shutil.rmtree(station.data / "live" / "Riverton" / "sessions")
    (station.data / "live" / "Riverton" / "status.json").unlink()
    killed = station.start()
    assert until(lambda: station.status().get("words_sent", 0) >= 3, 90)
    killed.send_signal(signal.SIGKILL)
    killed.wait(10)
    kept = station.transcript()
    assert kept[0]["kind"] == "began" and any(e["kind"] == "word" for e in kept)
    assert station.status()["running"] is False     # the lease went with the process
    assert "no live session is running" in station.run("live", "stop", "Riverton").stdout


def test_an_unknown_city_or_a_missing_source_is_one_line(tmp_path, screen):
    station = LiveStation(tmp_path, screen.port)
    wrong = station.run("live", "start", "Eastfield")
    assert wrong.returncode == 2 and "unknown city 'Eastfield'; cities: Riverton" in wrong.stderr
    missing = station.run("live", "start", "Riverton", "--source", str(tmp_path / "none.mp4"))
    assert missing.returncode == 1 and "no such file" in missing.stderr
    assert "Traceback" not in missing.stderr


def free_udp_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def play(url: str, start: float, seconds: float) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-ss", str(start),
                    "-t", str(seconds), "-i", str(SAMPLE), "-map", "0:a:0", "-c:a", "aac",
                    "-f", "mpegts", url], check=True, stdin=subprocess.DEVNULL, timeout=60)


def test_a_stream_that_drops_and_comes_back_is_captioned_again_with_the_gap_noted(tmp_path, screen):
    station = LiveStation(tmp_path, screen.port)
    url = f"udp://127.0.0.1:{free_udp_port()}"
    session = station.start(source=url)
    try:
        # Listening (not only running: the lease is taken before the model loads, and what a
        # UDP stream sends before ffmpeg listens is lost).
        assert until(lambda: station.status().get("waiting"), 90)
        play(url, 0, 10)           # "Good evening everyone ... call the roll?"
        time.sleep(6)              # the stream is gone
        assert until(lambda: station.status().get("source_up") is False, 10)
        play(url, 10.5, 15)        # the roll call
        assert until(lambda: any(e["kind"] == "word" and e["start"] > 16 for e in station.transcript()), 60)
        assert station.status()["source_up"] is True
    finally:
        station.run("live", "stop", "Riverton")
        session.wait(30)
    events = station.transcript()
    (gap,) = [e for e in events if e["kind"] == "gap"]   # none while waiting for the stream
    assert gap["end"] - gap["start"] >= 5.0 and gap["start"] >= 5.0
    after = " ".join(e["word"] for e in events if e["kind"] == "word" and e["start"] >= gap["end"])
    assert "council member" in after.lower()
    assert "NOTE the source was lost" in station.vtt()
    assert session.returncode == 0


def test_a_session_started_before_its_stream_captions_its_first_words(tmp_path, screen):
    """Started before its stream, the session waits (down, not a gap) with ffmpeg listening;
    the stream, with video as a station's encoder sends it (ffmpeg probes it for a while), is
    heard from its first packet: the meeting's first words, half a second in, are captioned."""
    station = LiveStation(tmp_path, screen.port)
    url = f"udp://127.0.0.1:{free_udp_port()}"
    session = station.start(source=url)
    try:
        assert until(lambda: station.status().get("source_up") is False, 90)   # waited 3 s
        waiting = station.status()
        assert waiting["waiting"] is True and waiting["gaps"] == 0
        time.sleep(2.5)   # ffmpeg opened again at least once (it gives up after 3 s of nothing)
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
                        "-ss", "1.5", "-t", "7", "-i", str(SAMPLE), "-map", "0", "-c:v", "libx264",
                        "-preset", "ultrafast", "-g", "30", "-c:a", "copy", "-f", "mpegts", url],
                       check=True, timeout=60)
        assert until(lambda: station.status().get("words_sent", 0) >= 5, 120)   # a loaded machine
        started = time.monotonic()
        assert "stopped" in station.run("live", "stop", "Riverton").stdout
        assert time.monotonic() - started < 20
        session.wait(30)   # its lease is let go before it prints its figures and exits
    finally:
        if session.poll() is None:
            session.kill()
    events = station.transcript()
    said = " ".join(e["word"] for e in events if e["kind"] == "word").lower()
    assert said.startswith("good evening everyone"), said
    assert not [e for e in events if e["kind"] == "gap"]
    assert session.returncode == 0
