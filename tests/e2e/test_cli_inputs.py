"""`archivist transcribe` checks what it can before any transcription: inputs, --out, model."""

from __future__ import annotations

import os
from pathlib import Path

from tests.e2e.test_cli_misconfigured import one_line

LYRICS_LOOKALIKE = '[project]\nname = "archivist"\nversion = "0.1.0"\n'  # FFmpeg reads it as .lrc


def test_fifos_and_devices_are_refused_not_read_for_ever(archivist, tmp_path):
    fifo = tmp_path / "feed.mp4"
    os.mkfifo(fifo)
    result = archivist("transcribe", str(fifo), "/dev/zero")
    assert result.returncode == 1
    assert f"error: {fifo}: is not a regular file" in result.stderr
    assert "error: /dev/zero: is not a regular file" in result.stderr


def test_a_text_file_is_not_a_media_file(archivist, tmp_path):
    notes = tmp_path / "minutes.toml"
    notes.write_text(LYRICS_LOOKALIKE)
    result = archivist("transcribe", str(notes))
    assert result.returncode == 1
    assert f"error: {notes}: not a media file" in result.stderr


def test_an_output_folder_that_cannot_be_made_fails_before_any_work(archivist, tmp_path):
    media = tmp_path / "meeting.mp4"
    media.write_text(LYRICS_LOOKALIKE)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = archivist("transcribe", str(media), "--out", str(blocker / "captions"))
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        f"archivist: --out {blocker / 'captions'}: a part of the path is a file, not a folder")


def test_a_bad_model_is_one_error_before_any_file(archivist, tmp_path):
    files = []
    for name in ("a.mp4", "b.mp4", "c.mp4"):
        files.append(tmp_path / name)
        files[-1].write_text(LYRICS_LOOKALIKE)
    result = archivist("transcribe", *map(str, files), "--model", str(tmp_path / "no-model"))
    assert result.returncode == 2
    assert "does not exist" in one_line(result.stderr)
    assert result.stdout == ""


def test_two_inputs_with_one_name_do_not_overwrite_each_others_captions(archivist, tmp_path):
    first, second = tmp_path / "north" / "council.mp4", tmp_path / "south" / "council.ts"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(LYRICS_LOOKALIKE)
    result = archivist("transcribe", str(first), str(second), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"error: {second}: its caption files would overwrite those of {first}" in result.stderr


def test_a_folder_means_the_media_files_inside_it(archivist, tmp_path):
    folder = tmp_path / "flex-3"
    (folder / "2026" / "11").mkdir(parents=True)
    inside = folder / "2026" / "11" / "council.MP4"
    inside.write_text(LYRICS_LOOKALIKE)           # taken (by extension) and found unusable
    (folder / "agenda.pdf").write_text("not media")  # not a configured extension: left alone
    result = archivist("transcribe", str(folder))
    assert result.returncode == 1
    assert f"error: {inside}: not a media file" in result.stderr
    assert "agenda.pdf" not in result.stderr and "1 of 1 recording(s) failed" in result.stderr


def test_a_folder_without_media_says_so(archivist, tmp_path):
    result = archivist("transcribe", str(tmp_path))
    assert result.returncode == 1
    assert "no media files in" in one_line(result.stderr)


def test_version(archivist):
    result = archivist("--version", check=True)
    assert result.stdout.startswith("archivist 0.")


def test_config_errors_have_one_form_in_every_command(archivist, tmp_path):
    archivist.env["ARCHIVIST_DATABASE_URL"] = "garbage"
    media = tmp_path / "m.mp4"
    media.write_text(LYRICS_LOOKALIKE)
    lines = {one_line(archivist(*cmd).stderr) for cmd in (("transcribe", str(media)),)}
    bad = tmp_path / "bad.yml"
    bad.write_text("web: {port: 99999}\n")
    archivist.env["ARCHIVIST_CONFIG"] = str(bad)
    lines.add(one_line(archivist("health").stderr))
    assert all(line.startswith("archivist: configuration: ") for line in lines), lines
    assert Path(bad).name in "".join(lines) and "'database.url'" in "".join(lines)


def test_failed_jobs_are_queued_again_together_once_their_cause_is_fixed(archivist, tmp_path):
    """After a typo failed a batch (a model name, a mount), one command queues them all again."""
    (tmp_path / "a.mp4").write_bytes(b"")
    (tmp_path / "b.mp4").write_bytes(bytes(range(256)) * 12)  # not media
    assert archivist("transcribe", str(tmp_path / "a.mp4"), str(tmp_path / "b.mp4")).returncode == 1
    assert archivist("jobs", "retry").returncode == 2  # nothing named: refused, nothing queued
    retried = archivist("jobs", "retry", "--failed", check=True)
    assert sorted(retried.stdout.splitlines()) == ["job 1 queued again", "job 2 queued again"]
    queued = archivist("jobs", "list", "--state", "queued", check=True).stdout
    assert "a.mp4" in queued and "b.mp4" in queued
    assert archivist("jobs", "retry", "--failed", check=True).stdout.strip() == "no failed jobs"
    unknown = archivist("jobs", "retry", "99", "1")  # one refused, the rest still tried
    assert unknown.returncode == 1 and "job 99 left: job 99 does not exist" in unknown.stderr
    assert "job 1 left: cannot retry job 1: it is queued" in unknown.stderr
