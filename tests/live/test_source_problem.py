"""What the ffmpeg live source says is wrong while it sends nothing: ffmpeg's own words for a
URL that cannot be read, and nothing for a stream nobody is sending yet (not even what ffmpeg
says as the source stops it to listen again)."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest

from archivist.adapters.live import source as source_module
from archivist.adapters.live.source import FfmpegSource

pytestmark = pytest.mark.e2e


def problem_within(source: FfmpegSource, seconds: float) -> str | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and source.problem is None:
        source.read(0.2)
    return source.problem


def test_a_source_host_that_does_not_resolve_is_named_in_ffmpegs_words():
    source = FfmpegSource("srt://feed.no-such-host.invalid:9000")
    source.open()
    try:
        said = problem_within(source, 15)
        assert said is not None and said.startswith(
            "srt: Failed to resolve hostname feed.no-such-host.invalid"), said
    finally:
        source.close()


def test_a_stream_nobody_sends_yet_has_no_problem_however_often_it_is_reopened():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    source = FfmpegSource(f"udp://127.0.0.1:{port}", quiet_after=1.0)
    source.open()
    try:
        reopened = 0
        deadline = time.monotonic() + 20
        while reopened < 3 and time.monotonic() < deadline:   # as a waiting session does
            source.read(0.2)
            reopened += source.restart()
        assert reopened == 3
        assert problem_within(source, 2) is None
    finally:
        source.close()


def test_an_opening_still_listening_is_kept_until_ffmpeg_gives_up_on_the_quiet():
    """Killed while it listens (or probes a stream that has just begun), an opening would take
    the stream's first seconds with it: it ends by ffmpeg's own timeout instead."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    source = FfmpegSource(f"udp://127.0.0.1:{port}", quiet_after=2.0)
    source.open()
    try:
        started = time.monotonic()
        assert source.restart() is False   # listening: kept
        while not source.restart():
            source.read(0.1)
            assert time.monotonic() - started < 10
        assert time.monotonic() - started >= 1.5   # given up after its 2 s of nothing
    finally:
        source.close()


def test_a_listener_keeps_a_caller_that_connects_as_its_give_up_comes(monkeypatch):
    """ffmpeg's timeout does not end an SRT listener's wait, and a caller that connects near the
    give-up is still being probed then: the listener is kept until it has sent sound, so a
    one-shot sender (ffmpeg, OBS) is heard, not cut off."""
    monkeypatch.setattr(source_module, "_GIVE_UP", 1.0)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"srt://127.0.0.1:{port}?mode=listener"
    source = FfmpegSource(url, quiet_after=0.5)
    source.open()
    sender = None
    try:
        started = time.monotonic()
        heard = b""
        while not heard and time.monotonic() - started < 15:
            if sender is None and time.monotonic() - started > 0.8:   # probed as 1 s passes
                sender = subprocess.Popen(
                    ["ffmpeg", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                     "sine=f=440:r=48000", "-c:a", "mp2", "-f", "mpegts", f"{url[:-8]}caller"],
                    stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            heard = source.read(0.1)
            assert heard or not source.restart(), "the listener was stopped before sound"
        assert heard and sender is not None and sender.poll() is None
    finally:
        stopping = time.monotonic()
        source.close()
        assert time.monotonic() - stopping < 7   # `live stop` stays prompt
        if sender is not None and sender.poll() is None:
            sender.terminate()
            sender.wait(5)


def test_an_opening_that_says_lines_is_probing_not_hung(monkeypatch, tmp_path):
    """ffmpeg's lines before its first sound ("Input #0", "Duration:", the streams) are signs of
    life: an input the timeout does not reach (a capture device) is stopped only once those too
    have stopped for the give-up."""
    monkeypatch.setattr(source_module, "_GIVE_UP", 1.0)
    ffmpeg = tmp_path / "ffmpeg"   # says a line every 0.3 s for 2.4 s, then hangs
    ffmpeg.write_text("#!/bin/sh\nfor i in 1 2 3 4 5 6 7 8; do echo '[info] Input #0' >&2; "
                      "sleep 0.3; done\nexec sleep 30\n")
    ffmpeg.chmod(0o755)
    source = FfmpegSource("-f alsa -i hw:1", ffmpeg=str(ffmpeg), quiet_after=0.5)
    source.open()
    try:
        started = time.monotonic()
        while not source.restart():
            source.read(0.1)
            assert time.monotonic() - started < 10
        assert time.monotonic() - started >= 2.4 + 1.0 - 0.3   # its lines, then the give-up
    finally:
        source.close()
