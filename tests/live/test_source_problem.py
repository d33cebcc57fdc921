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
    source = FfmpegSource(f"udp://127.0.0.1:{port}")
    source.open()
    try:
        for _ in range(3):   # as the session does after each source_timeout of quiet
            source.read(1.0)
            source.restart()
        assert problem_within(source, 2) is None
    finally:
        source.close()
