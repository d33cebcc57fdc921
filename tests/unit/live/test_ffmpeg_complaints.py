"""What the live source takes from ffmpeg's stderr as a fault, in ffmpeg 5's words and 6.1's and
later: an opening's own timeout (nothing came) is none, a cause is kept in ffmpeg's words."""

from __future__ import annotations

from archivist.adapters.live.source import Complaints

URL = "udp://127.0.0.1:5000"
SRT = "srt://feed.no-such-host.invalid:9000"
RESOLVE = ("[srt @ 0x5572cbe62180] [error] Failed to resolve hostname feed.no-such-host.invalid: "
           "Name or service not known")


def said(source: str, stderr: str) -> str:
    complaints = Complaints(source)
    for line in stderr.splitlines():
        complaints.hear(line)
    return complaints.said


def test_an_opening_that_timed_out_says_nothing_in_ffmpeg_5s_words():
    assert said(URL, f"[error] {URL}: Input/output error") == ""
    assert said(URL, f"[error] {URL}: Connection timed out") == ""


def test_an_opening_that_timed_out_says_nothing_in_ffmpeg_7s_words():
    for reason in ("Input/output error", "Connection timed out"):
        assert said(URL, f"[in#0 @ 0x55d5c8a3c040] [error] Error opening input: {reason}\n"
                         f"[error] Error opening input file {URL}.\n"
                         f"[fatal] Error opening input files: {reason}") == ""


def test_information_and_warnings_are_no_fault():
    assert said(URL, "[info] Input #0, mpegts, from 'udp://127.0.0.1:5000':\n"
                     "[info]   Duration: N/A, start: 1.400000, bitrate: N/A\n"
                     "[mpegts @ 0x55d5c8a3c040] [warning] PES packet size mismatch") == ""


def test_a_cause_is_kept_with_ffmpeg_5s_summing_up():
    assert said(SRT, f"{RESOLVE}\n[error] {SRT}: Input/output error") == (
        "srt: Failed to resolve hostname feed.no-such-host.invalid: Name or service not known; "
        f"{SRT}: Input/output error")


def test_a_cause_is_kept_with_ffmpeg_7s_summing_up_not_its_repetitions():
    assert said(SRT, f"{RESOLVE}\n"
                     "[in#0 @ 0x55d5c8a3c040] [error] Error opening input: Input/output error\n"
                     f"[error] Error opening input file {SRT}.\n"
                     "[fatal] Error opening input files: Input/output error") == (
        "srt: Failed to resolve hostname feed.no-such-host.invalid: Name or service not known; "
        "in#0: Error opening input: Input/output error")


def test_a_refusal_is_a_fault_in_either_words():
    url = "rtmp://127.0.0.1:1935/live/council"
    assert said(url, f"[error] {url}: Connection refused") == f"{url}: Connection refused"
    assert said(url, "[in#0 @ 0x55d5c8a3c040] [error] Error opening input: Connection refused\n"
                     f"[error] Error opening input file {url}.\n"
                     "[fatal] Error opening input files: Connection refused") == (
        "in#0: Error opening input: Connection refused")
