"""`archivist transcribe` on real media through the real bundled model, with no servers."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.media import CONTAINERS, SAMPLE

pytestmark = pytest.mark.slow
EXTENSIONS = (".scc", ".srt", ".vtt", ".txt", ".json")
BAD = {
    "no-audio.mp4": "has no audio track",
    "empty.mp4": "empty file",
    "agenda.mp4": "not a media file",
    "truncated.mp4": "truncated",
}


def test_every_common_container_is_captioned_and_bad_files_fail_alone(media, archivist, tmp_path):
    out = tmp_path / "captions"
    files = [str(media[n]) for n in (*CONTAINERS, *BAD)]
    result = archivist("transcribe", *files, "--out", str(out))

    assert result.returncode == 1, result.stderr
    for name in CONTAINERS:
        stem = Path(name).stem
        assert f"captioned: {media[name]}" in result.stdout
        for ext in EXTENSIONS:
            assert (out / f"{stem}{ext}").stat().st_size > 0
    # One line per bad file, naming it and saying why; nothing written for them.
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(BAD)
    for name, reason in BAD.items():
        assert any(str(media[name]) in line and reason in line for line in errors), (name, errors)
    assert "4 of 11 recording(s) failed" in result.stderr
    assert "Traceback" not in result.stderr

    # Different containers of the same sound give the same words.
    texts = {n: (out / f"{Path(n).stem}.txt").read_text().lower() for n in CONTAINERS}
    for text in texts.values():
        assert "good evening" in text and "council" in text


def test_sample_gets_broadcast_and_web_captions_beside_it(archivist, tmp_path):
    recording = tmp_path / SAMPLE.name
    recording.write_bytes(SAMPLE.read_bytes())
    archivist("transcribe", str(recording), check=True)

    scc = recording.with_suffix(".scc").read_text()
    assert scc.startswith("Scenarist_SCC V1.0\n\n00:00:")
    assert recording.with_suffix(".vtt").read_text().startswith("WEBVTT")
    srt = recording.with_suffix(".srt").read_text()
    assert srt.startswith("1\n00:00:0") and "-->" in srt

    transcript = json.loads(recording.with_suffix(".json").read_text())
    words = [w for s in transcript["segments"] for w in s["words"]]
    assert {"start", "end", "word", "probability"} <= set(words[0])
    assert all(a["start"] <= b["start"] for a, b in zip(words, words[1:]))
    truth = json.loads(SAMPLE.with_name(SAMPLE.stem + ".truth.json").read_text())
    first = truth["utterances"][0]
    # "Good evening" is spoken first, at 2.0 s: the words say so within half a second.
    assert words[0]["word"].strip().lower().startswith("good")
    assert abs(words[0]["start"] - first["start"]) < 0.5
    # No caption file left half-written beside the video.
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_done_recordings_are_skipped_until_forced(archivist, tmp_path):
    recording = tmp_path / SAMPLE.name
    recording.write_bytes(SAMPLE.read_bytes())
    archivist("transcribe", str(recording), "--formats", "srt", check=True)

    again = archivist("transcribe", str(recording), "--formats", "srt", check=True)
    assert f"skipped: {recording}" in again.stdout

    # The same content under another name is recognised by its hash, and gets its sidecar.
    copy = tmp_path / "copy.mp4"
    copy.write_bytes(SAMPLE.read_bytes())
    reused = archivist("transcribe", str(copy), "--formats", "srt", check=True)
    assert "skipped" in reused.stdout and copy.with_suffix(".srt").exists()

    forced = archivist("transcribe", str(recording), "--formats", "srt", "--force", check=True)
    assert f"captioned: {recording}" in forced.stdout


def test_recording_job_and_transcript_are_kept_in_the_database(archivist, tmp_path):
    recording = tmp_path / SAMPLE.name
    recording.write_bytes(SAMPLE.read_bytes())
    archivist("transcribe", str(recording), "--formats", "vtt", check=True)

    from archivist import containers
    from archivist.domain.models import JobState
    from archivist.providers import settings

    container = containers.build(settings.load(environ=archivist.env))
    try:
        repo = container.repository()
        found = repo.recording_by_hash(container.library().fingerprint(recording))
        assert found is not None and found.path == recording
        job = repo.latest_job(found.id)
        assert job.state is JobState.SUCCEEDED and job.progress == 1.0
        assert job.outputs == [str(recording.with_suffix(".vtt")),
                               str(recording.with_suffix(".report.json"))]
        assert "quorum" in repo.transcript(found.id).text.lower()
        from archivist.domain.review.audit import AuditQuery

        said, = container.audit_log().entries(AuditQuery(action="recording.transcribe"))
        assert (said.target, said.detail["job"], said.detail["outcome"]) == \
            (f"recording:{found.id}", job.id, "succeeded")
        assert said.actor.startswith("cli:")
    finally:
        containers.shutdown(container)


def test_unknown_format_is_a_usage_error(archivist):
    result = archivist("transcribe", str(SAMPLE), "--formats", "scc,docx")
    assert result.returncode == 2
    assert "unknown format docx" in result.stderr


def test_progress_bar_with_eta_on_a_terminal(archivist, tmp_path):
    recording = tmp_path / SAMPLE.name
    recording.write_bytes(SAMPLE.read_bytes())
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "archivist.entrypoints.cli", "transcribe", str(recording),
         "--formats", "srt"], env=archivist.env, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    assert proc.wait(timeout=300) == 0
    text = screen.decode(errors="replace")
    assert "%|" in text and "<" in text      # tqdm's bar: percentage, elapsed<remaining
    assert "100%" in text


@pytest.mark.parametrize("sound", ["anullsrc=r=48000:cl=mono", "sine=frequency=440:sample_rate=48000"])
def test_silence_or_tone_gets_no_captions_and_a_note(archivist, tmp_path, sound):
    from tests.e2e.media import ffmpeg

    recording = tmp_path / "recess.mp4"
    ffmpeg("-f", "lavfi", "-i", sound, "-t", "40", "-c:a", "aac", str(recording))
    result = archivist("transcribe", str(recording), check=True)
    assert "note:" in result.stdout
    srt = recording.with_suffix(".srt").read_text()
    assert srt.count("-->") <= 1, srt


@pytest.mark.parametrize(("signal_name", "code", "why", "times"), [
    ("SIGINT", 130, "interrupted (Ctrl-C)", 1),
    ("SIGTERM", 143, "interrupted (SIGTERM)", 1),
    ("SIGINT", 130, "interrupted (Ctrl-C)", 3),   # impatient: the later ones only wait
])
def test_ctrl_c_or_sigterm_marks_the_job_cancelled_and_exits(archivist, tmp_path, signal_name,
                                                             code, why, times):
    """Ctrl-C at a terminal, or SIGTERM (`kill`, `timeout`, systemd): the job is cancelled,
    saying why, never left running; exit status 130 (143 for SIGTERM) every time."""
    import signal
    import sqlite3
    import time

    recording = tmp_path / SAMPLE.name
    recording.write_bytes(SAMPLE.read_bytes())
    proc = subprocess.Popen(
        [sys.executable, "-m", "archivist.entrypoints.cli", "transcribe", str(recording)],
        env=archivist.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # Ctrl-C as at a terminal: a suite started in the background (`cmd &`) has SIGINT
        # ignored, and an ignored signal stays ignored in the children it starts.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    database = archivist.data_dir / "archivist.db"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:   # wait until the job is running
        try:
            with sqlite3.connect(database) as db:
                if db.execute("select count(*) from jobs where state = 'running'").fetchone()[0]:
                    break
        except sqlite3.Error:
            pass
        time.sleep(0.2)
    for _ in range(times):
        proc.send_signal(getattr(signal, signal_name))
        time.sleep(0.02)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr and "cancelled" in stderr
    with sqlite3.connect(database) as db:
        ended = [tuple(row) for row in db.execute("select state, error from jobs")]
    assert ended == [("cancelled", why)]
    assert not recording.with_suffix(".srt").exists()


def test_stored_paths_are_absolute(archivist, tmp_path):
    import sqlite3

    recording = tmp_path / SAMPLE.name
    recording.write_bytes(SAMPLE.read_bytes())
    subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", "transcribe", SAMPLE.name,
                    "--formats", "srt", "--out", "captions"], env=archivist.env, cwd=tmp_path,
                   check=True, capture_output=True)
    with sqlite3.connect(archivist.data_dir / "archivist.db") as db:
        (path,) = db.execute("select path from recordings").fetchone()
        (outputs,) = db.execute("select outputs from jobs").fetchone()
    assert path == str(recording)
    assert str(tmp_path / "captions" / (recording.stem + ".srt")) in outputs


def test_a_citys_vocabulary_spells_its_council_members_names(archivist, tmp_path):
    clip = tmp_path / "riverton" / "council.mp3"
    clip.parent.mkdir()
    shutil.copy(Path(__file__).parents[1] / "adapters" / "media" / "oyelaran.mp3", clip)
    config = tmp_path / "archivist.yml"
    config.write_text(f"library:\n  cities:\n    - {{name: Riverton, path: {clip.parent}, "
                      "vocabulary: [Council member Oyelaran]}\n")

    archivist("transcribe", str(clip), "--formats", "txt", check=True)
    assert "Oyelaran" not in clip.with_suffix(".txt").read_text()
    archivist("--config", str(config), "transcribe", str(clip), "--formats", "txt", "--force", check=True)
    assert "Oyelaran" in clip.with_suffix(".txt").read_text()
    clip.with_suffix(".txt").unlink()
    archivist("transcribe", str(clip), "--formats", "txt", "--force", "--vocabulary", "Oyelaran, Lakeside",
              check=True)
    assert "Oyelaran" in clip.with_suffix(".txt").read_text()

    refused = archivist("--config", str(config), "transcribe", str(clip), "--city", "Eastfield")
    assert refused.returncode == 2 and "unknown city 'Eastfield'" in refused.stderr
