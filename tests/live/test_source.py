"""The ffmpeg live source: a file at real-time speed, and a UDP stream that drops and returns."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archivist.adapters.live.source import FfmpegSource, input_arguments, is_listener
from archivist.domain.errors import MediaError

RATE = 32000   # bytes of 16 kHz 16-bit mono sound a second


@pytest.fixture(scope="module")
def tone(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("live") / "tone.wav"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
                    "sine=frequency=440:duration=3", "-ar", "44100", str(path)], check=True)
    return path


def read_all(source: FfmpegSource, seconds: float) -> bytes:
    got = bytearray()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not source.ended:
        got += source.read(0.2)
    return bytes(got)


@pytest.mark.e2e
def test_a_file_plays_at_real_time_speed_then_ends(tone):
    source = FfmpegSource(str(tone))
    source.open()
    started = time.monotonic()
    try:
        sound = read_all(source, 15)
    finally:
        source.close()
    took = time.monotonic() - started
    assert source.ended
    assert abs(len(sound) / RATE - 3.0) < 0.1 and len(sound) % 2 == 0
    assert took >= 2.5          # not as fast as it can be decoded


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def play(tone: Path, url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(["ffmpeg", "-loglevel", "error", "-re", "-stream_loop", "-1",
                             "-i", str(tone), "-f", "mpegts", url],
                            stdin=subprocess.DEVNULL)


@pytest.mark.e2e
def test_a_udp_stream_that_stops_and_comes_back_is_heard_again(tone):
    url = f"udp://127.0.0.1:{free_udp_port()}"
    source = FfmpegSource(url)
    source.open()
    player = play(tone, url)
    try:
        assert len(read_all(source, 5)) > RATE     # sound arrives
        player.terminate()
        player.wait(5)
        time.sleep(0.5)
        read_all(source, 0.5)
        assert read_all(source, 1.5) == b""         # quiet: the session would call it down
        player = play(tone, url)
        got = bytearray()
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and len(got) <= RATE:
            got += source.read(0.2)
            if not got:
                source.restart()   # as the session does while it is down
        assert len(got) > RATE                      # and back
        assert not source.ended                     # a stream never ends by itself
    finally:
        player.terminate()
        player.wait(5)
        source.close()


@pytest.mark.e2e
def test_an_mpegts_stream_says_its_own_clock_at_its_first_sound(tone, tmp_path):
    stream = tmp_path / "offset.ts"   # PTS from 20 s (as a broadcast stream's run on)
    subprocess.run(["ffmpeg", "-loglevel", "error", "-i", str(tone), "-t", "1", "-c:a", "aac",
                    "-output_ts_offset", "20", "-muxdelay", "0", "-f", "mpegts", str(stream)],
                   check=True)
    source = FfmpegSource(str(stream))
    source.open()
    try:
        assert len(read_all(source, 10)) > RATE // 2
    finally:
        source.close()
    assert source.first_timestamp == pytest.approx(20.0, abs=0.1)
    assert source.problem is None   # ffmpeg's information is no problem


def test_input_arguments():
    assert input_arguments("meeting.mp4") == ["-re", "-i", "meeting.mp4"]
    assert input_arguments("srt://0.0.0.0:9000?mode=listener")[-2:] == ["-i", "srt://0.0.0.0:9000?mode=listener"]
    assert "-re" not in input_arguments("rtmp://host/live/council")
    assert input_arguments("-f alsa -i hw:1") == ["-f", "alsa", "-i", "hw:1"]
    # ffmpeg itself gives a URL up after the quiet a session calls down (never a device).
    assert input_arguments("udp://0.0.0.0:5000", quiet_after=3.0)[-4:-2] == ["-timeout", "3000000"]
    assert input_arguments("srt://feed.lan:9000", quiet_after=2.5)[-4:-2] == ["-rw_timeout", "2500000"]
    # RTSP ignores -rw_timeout: its own socket timeout, in microseconds too.
    assert input_arguments("rtsp://cam.lan/stream", quiet_after=3.0)[-4:-2] == ["-timeout", "3000000"]


def test_a_listener_is_told_from_a_caller():
    assert is_listener("srt://0.0.0.0:9000?mode=listener")
    assert is_listener("srt://0.0.0.0:9000?latency=200000&mode=listener")
    assert is_listener("tcp://0.0.0.0:9000?listen") and is_listener("tcp://0.0.0.0:9000?listen=1")
    assert is_listener("-listen 1 -i rtmp://0.0.0.0/live/council")
    assert not is_listener("srt://feed.lan:9000") and not is_listener("srt://feed.lan:9000?mode=caller")
    assert not is_listener("rtmp://host/live/listener") and not is_listener("udp://0.0.0.0:5000")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(MediaError, match="no such file"):
        FfmpegSource(str(tmp_path / "absent.mp4")).open()


@pytest.mark.e2e
def test_ffmpeg_dies_with_a_live_start_killed_outright():
    """kill -9 of `live start` must not leave its ffmpeg behind: an SRT listener's would hold
    the port for ever, and the session started again could not listen ("Address already in
    use"), nor hear the caller the orphan took."""
    port = free_udp_port()
    child = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from archivist.adapters.live.source import FfmpegSource\n"
         f"source = FfmpegSource('srt://127.0.0.1:{port}?mode=listener')\n"
         "source.open()\n"
         "print(source._process.pid, flush=True)\n"
         "time.sleep(60)\n"],
        stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    ffmpeg = 0
    try:
        assert child.stdout is not None
        ffmpeg = int(child.stdout.readline())
        child.kill()
        child.wait(10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and alive(ffmpeg):
            time.sleep(0.1)
        assert not alive(ffmpeg), "ffmpeg outlived the session that started it"
    finally:
        child.kill()
        if ffmpeg and alive(ffmpeg):
            os.kill(ffmpeg, signal.SIGKILL)


def alive(pid: int) -> bool:
    """Is `pid` a process that has not exited (a zombie waiting for init counts as gone)?"""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.e2e
def test_a_file_that_is_not_media_is_an_error_not_opened_again_for_ever(tmp_path):
    """`live start --source agenda.mp4` (or a zero-byte file) reopened it every 2 s until
    Ctrl-C, its status QUIET, and the supervisor counted it running."""
    for content in (b"", b"Agenda: 1. Call to order\n" * 40):
        bad = tmp_path / "meeting.mp4"
        bad.write_bytes(content)
        source = FfmpegSource(str(bad))
        source.open()
        try:
            with pytest.raises(MediaError, match=r"meeting\.mp4"):
                deadline = time.monotonic() + 15
                while time.monotonic() < deadline:
                    assert source.read(0.2) == b""
                    source.restart()
        finally:
            source.close()


@pytest.mark.e2e
def test_a_read_says_when_each_part_of_its_sound_arrived(tone):
    """Issue #19: sound that waits to be read while the session decodes is late for the viewer
    too; the source says when it arrived, so the session's latency counts the wait."""
    source = FfmpegSource(str(tone))
    source.open()
    try:
        deadline = time.monotonic() + 15   # ffmpeg starts (seconds on a loaded machine)
        while not source.read(0.2) and time.monotonic() < deadline:
            pass
        time.sleep(1.0)                # a decode: the sound waits
        data = source.read(0.2)
        read_at = time.monotonic()
        arrivals = source.arrivals
        counts = [count for count, _at in arrivals]
        assert counts == sorted(counts) and counts[-1] == len(data)
        assert len(data) >= 0.7 * RATE                      # about the second it waited
        assert read_at - arrivals[0][1] >= 0.6              # the first part waited the longest
        assert [at for _c, at in arrivals] == sorted(at for _c, at in arrivals)
        source.read(0.0)
        assert source.read(0.0) == b"" and source.arrivals == []
    finally:
        source.close()
