"""Browser copies with the real ffprobe and ffmpeg: an MPEG-2 transport stream is copied to a
small H.264/AAC MP4 with a keyframe every 2 s, served with byte ranges."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from archivist.adapters.browser_copies import FfmpegCopies
from archivist.domain.errors import MediaError, NotFound
from archivist.domain.playback.copies import CopyState

SAMPLE = next((Path(__file__).parents[2] / "archivist" / "samples").glob("*.mp4"))


def transport_stream(folder: Path, seconds: int = 12) -> Path:
    """A broadcast master as stations have them: MPEG-2 video and MP2 audio in a TS."""
    ts = folder / "1002-1-City Council (20261110).ts"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-t", str(seconds),
                    "-i", str(SAMPLE), "-c:v", "mpeg2video", "-q:v", "8", "-c:a", "mp2",
                    "-f", "mpegts", str(ts)], check=True, timeout=120)
    return ts


def test_a_transport_stream_is_copied_for_browsers(tmp_path: Path) -> None:
    copies = FfmpegCopies(tmp_path / "copies", make_seconds=300)
    ts = transport_stream(tmp_path)
    assert copies.browser_plays(SAMPLE)
    assert not copies.browser_plays(ts)
    assert copies.status("r1").state is CopyState.ABSENT
    made = copies.make(ts, "r1")
    assert made.state is CopyState.READY and made.path is not None
    probe = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name:format=format_name",
         "-skip_frame", "nokey", "-select_streams", "v", "-show_entries", "frame=pts_time",
         "-of", "json", str(made.path)], capture_output=True, text=True, check=True).stdout)
    assert probe["streams"][0]["codec_name"] == "h264"
    keyframes = [float(f["pts_time"]) for f in probe["frames"]]
    assert len(keyframes) >= 5 and max(b - a for a, b in zip(keyframes, keyframes[1:])) <= 2.1
    assert copies.browser_plays(made.path)
    assert [c.key for c in copies.shelf()] == ["r1"]
    copies.remove("r1")
    assert copies.status("r1").state is CopyState.ABSENT


def test_a_file_that_is_not_media_fails_with_why_and_a_gone_one_is_not_found(tmp_path: Path) -> None:
    copies = FfmpegCopies(tmp_path / "copies", make_seconds=60)
    junk = tmp_path / "junk.mxf"
    junk.write_bytes(b"not a recording" * 100)
    failed = copies.make(junk, "r2")
    assert failed.state is CopyState.FAILED and failed.why
    assert copies.status("r2").state is CopyState.FAILED
    fake = tmp_path / "junk.mp4"
    fake.write_bytes(b"x" * 100)
    with pytest.raises(MediaError):
        copies.browser_plays(fake)
    with pytest.raises(NotFound):
        copies.browser_plays(tmp_path / "gone.ts")


def stand_in(folder: Path, body: str) -> str:
    """An executable that stands in for ffmpeg."""
    script = folder / "ffmpeg"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return str(script)


def test_a_copy_whose_ffmpeg_is_killed_is_made_again_not_failed(tmp_path: Path) -> None:
    """A worker stopped mid-copy (systemd signals its whole group, ffmpeg included): the copy
    is not the recording's fault, so the next ask makes it rather than say it failed."""
    ts = transport_stream(tmp_path, seconds=4)
    killed = FfmpegCopies(tmp_path / "copies", make_seconds=60,
                          ffmpeg=stand_in(tmp_path, "kill -TERM $$"))
    assert killed.make(ts, "r3").state is CopyState.ABSENT
    assert killed.status("r3").state is CopyState.ABSENT
    assert not list((tmp_path / "copies").iterdir())
    assert FfmpegCopies(tmp_path / "copies", make_seconds=120).make(ts, "r3").state \
        is CopyState.READY


def test_an_ffmpeg_failing_without_a_word_is_said_with_its_status(tmp_path: Path) -> None:
    silent = FfmpegCopies(tmp_path / "copies", make_seconds=60, ffmpeg=stand_in(tmp_path, "exit 3"))
    failed = silent.make(SAMPLE, "r4")
    assert failed.state is CopyState.FAILED and failed.why == "ffmpeg exited with status 3"
    assert silent.status("r4").why == "ffmpeg exited with status 3"


def test_an_ffmpeg_killed_by_the_oom_killer_fails_the_copy_with_why(tmp_path: Path) -> None:
    """SIGKILL (the OOM killer) or a crash would die the same way on every ask: the copy fails
    and says so, rather than a full ffmpeg run queued by every page visit."""
    killed = FfmpegCopies(tmp_path / "copies", make_seconds=60,
                          ffmpeg=stand_in(tmp_path, "kill -KILL $$"))
    failed = killed.make(SAMPLE, "r6")
    assert failed.state is CopyState.FAILED and failed.why == "ffmpeg killed by signal 9"


def test_a_copy_that_failed_a_day_ago_is_made_again_when_asked(tmp_path: Path) -> None:
    """The cause may have been the machine's (a full disk, a broken tool since mended):
    nobody has to delete the failure mark by hand."""
    copies = FfmpegCopies(tmp_path / "copies", make_seconds=60)
    junk = tmp_path / "junk.mxf"
    junk.write_bytes(b"not a recording" * 100)
    copies.make(junk, "r5")
    mark = tmp_path / "copies" / "r5.failed"
    day_ago = mark.stat().st_mtime - 24 * 3600 - 1
    os.utime(mark, (day_ago, day_ago))
    assert copies.status("r5").state is CopyState.ABSENT
    transport = transport_stream(tmp_path, seconds=2)
    assert copies.make(transport, "r5").state is CopyState.READY


def test_a_file_that_is_not_media_is_probed_once_until_it_changes(tmp_path: Path) -> None:
    """Probed again on every page view, a corrupt file missed a loaded server's page deadline
    each time, and its page said "too busy, reload" for ever instead of why it cannot play."""
    calls = tmp_path / "calls"
    probe = tmp_path / "ffprobe"
    probe.write_text(f"#!/bin/sh\necho x >> '{calls}'\n"
                     "echo 'moov atom not found' >&2\necho 'Invalid data found when processing input' >&2\n"
                     "exit 1\n")
    probe.chmod(0o755)
    copies = FfmpegCopies(tmp_path / "copies", make_seconds=60, ffprobe=str(probe))
    broken = tmp_path / "1106-1-Corrupt Meeting (20261201).mp4"
    broken.write_bytes(b"\0" * 50)
    for _ in range(3):
        with pytest.raises(MediaError, match="Invalid data found"):
            copies.browser_plays(broken)
    assert calls.read_text().count("x") == 1
    broken.write_bytes(b"\0" * 60)   # the file is replaced: asked again
    with pytest.raises(MediaError):
        copies.browser_plays(broken)
    assert calls.read_text().count("x") == 2


def test_a_probe_that_failed_for_the_machine_is_not_kept(tmp_path: Path) -> None:
    """An ffprobe killed (the OOM killer), or one that could not read a flaky mount or a file
    not yet readable, says nothing of the file: the next view probes again and plays it."""
    answer = tmp_path / "answer"
    probe = tmp_path / "ffprobe"
    probe.write_text(f"#!/bin/sh\n. '{answer}'\n")
    probe.chmod(0o755)
    copies = FfmpegCopies(tmp_path / "copies", make_seconds=60, ffprobe=str(probe))
    meeting = tmp_path / "1107-1-Council (20261202).mp4"
    meeting.write_bytes(b"\0" * 50)
    for failing, said in [("kill -KILL $$", "ffprobe killed by signal 9"),
                          (f"echo '{meeting}: Input/output error' >&2; exit 1", "Input/output error"),
                          (f"echo '{meeting}: Permission denied' >&2; exit 1", "Permission denied"),
                          ("exit 1", "ffprobe exited with status 1")]:
        answer.write_text(failing + "\n")
        with pytest.raises(MediaError, match=said):
            copies.browser_plays(meeting)
    answer.write_text("""echo '{"streams": [{"codec_type": "video", "codec_name": "h264"},"""
                      """ {"codec_type": "audio", "codec_name": "aac"}]}'\n""")
    assert copies.browser_plays(meeting) is True


def test_a_file_made_readable_is_probed_again(tmp_path: Path) -> None:
    """A chmod changes only the file's ctime: an answer kept by size and mtime outlived it."""
    calls = tmp_path / "calls"
    probe = tmp_path / "ffprobe"
    probe.write_text(f"#!/bin/sh\necho x >> '{calls}'\necho 'Invalid data found' >&2\nexit 1\n")
    probe.chmod(0o755)
    copies = FfmpegCopies(tmp_path / "copies", make_seconds=60, ffprobe=str(probe))
    meeting = tmp_path / "1108-1-Council (20261203).mp4"
    meeting.write_bytes(b"\0" * 50)
    for _ in range(2):
        with pytest.raises(MediaError):
            copies.browser_plays(meeting)
    assert calls.read_text().count("x") == 1
    before = meeting.stat().st_ctime_ns
    time.sleep(0.05)   # past the kernel clock's tick, which ctime is taken from
    meeting.chmod(0o644)
    assert meeting.stat().st_ctime_ns != before
    with pytest.raises(MediaError):
        copies.browser_plays(meeting)
    assert calls.read_text().count("x") == 2
