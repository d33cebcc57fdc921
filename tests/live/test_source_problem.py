"""What the ffmpeg live source says is wrong while it sends nothing: ffmpeg's own words for a
URL that cannot be read, and nothing for a stream nobody is sending yet (not even what ffmpeg
says as the source stops it to listen again)."""

from __future__ import annotations

import socket
import time

import pytest

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
