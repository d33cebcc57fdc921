"""The `archivist` command's configuration and health commands, as an operator runs them."""

from __future__ import annotations

import json
import subprocess
import sys


def test_config_show_prints_effective_config_with_secrets_masked(archivist, tmp_path):
    archivist.env.update(ARCHIVIST_DATABASE_URL="postgresql+psycopg2://archivist:hunter2@db/arch",
                         ARCHIVIST_CABLECAST_PASSWORD="s3cret")
    result = archivist("config", "show", check=True)
    assert "hunter2" not in result.stdout and "s3cret" not in result.stdout
    assert "postgresql+psycopg2://archivist:****@db/arch" in result.stdout
    assert f"data_dir: {archivist.data_dir}" in result.stdout


def test_bad_config_file_is_one_line_naming_file_and_key(archivist, tmp_path):
    bad = tmp_path / "station.yml"
    bad.write_text("whisper:\n  beam_size: wide\n")
    archivist.env["ARCHIVIST_CONFIG"] = str(bad)
    result = archivist("config", "show")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert str(bad) in result.stderr and "whisper.beam_size" in result.stderr
    assert "Traceback" not in result.stderr


def test_health_on_the_embedded_defaults_is_ok(archivist):
    result = archivist("health", "--json", check=True)
    report = json.loads(result.stdout)
    assert report["status"] == "ok"
    assert {g["name"] for g in report["gateways"]} == {"database", "redis", "cablecast", "library", "whisper"}
    # The command timed its own start, from its interpreter's start.
    assert report["startup"]["since"] == "interpreter start"
    cli = report["startup"]["processes"]["cli"]
    assert 0 < cli["import"] <= cli["container"] <= cli["ready"] < 60, cli


def test_health_with_its_output_closed_exits_with_the_health_status(archivist):
    """`archivist health >&-` (a cron line, a supervisor with no terminal): Python has no
    sys.stdout or sys.stderr then, and the command still exits with the station's status."""
    command = [sys.executable, "-m", "archivist.entrypoints.cli", "health"]
    status = archivist("health").returncode
    for closed in (">&-", "2>&-", ">&- 2>&-"):
        result = subprocess.run(["sh", "-c", f'exec "$@" {closed}', "sh", *command],
                                env=archivist.env, capture_output=True, text=True, timeout=600)
        assert result.returncode == status, (closed, result.stderr)
        assert "Traceback" not in result.stderr, closed


def test_health_reports_a_missing_city_mount_and_model(archivist, tmp_path):
    overlay = tmp_path / "station.yml"
    overlay.write_text(f"library:\n  cities:\n    - {{name: Riverton, path: {tmp_path}}}\n"
                       f"    - {{name: Lakeside, path: {tmp_path / 'flex-9'}}}\n")
    archivist.env.update(ARCHIVIST_CONFIG=str(overlay), ARCHIVIST_WHISPER_MODEL=str(tmp_path / "gone"))
    result = archivist("health")
    assert result.returncode == 1
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert "degraded" in lines["library"] and "Lakeside" in lines["library"]
    assert "down" in lines["whisper"] and "does not exist" in lines["whisper"]


def test_render_from_an_edited_transcript_without_the_model(archivist, tmp_path):
    transcript = {"duration": 10.0, "segments": [{"start": 1.0, "end": 3.0, "text": "Call to order.",
                  "words": [{"start": 1.0, "end": 1.5, "word": " Call", "probability": 0.9},
                            {"start": 1.5, "end": 2.0, "word": " to", "probability": 0.9},
                            {"start": 2.0, "end": 3.0, "word": " order.", "probability": 0.9}]}]}
    path = tmp_path / "meeting.json"
    path.write_text(json.dumps(transcript))
    # A JSON no recording lies beside: caption files only, into the folder named.
    result = archivist("render", str(path), "--out", str(tmp_path), "--start-timecode", "01:00:00;00",
                       check=True)
    assert (tmp_path / "meeting.scc").read_text().split("\n")[2].startswith("01:00:0")
    assert "Call to order." in (tmp_path / "meeting.srt").read_text()
    assert len(result.stdout.splitlines()) == 5          # scc, srt, vtt, txt, report.json
    assert json.loads((tmp_path / "meeting.report.json").read_text())["profiles"]["broadcast"]
    assert "faster_whisper" not in result.stderr


def test_render_refuses_a_broken_transcript_with_the_place(archivist, tmp_path):
    path = tmp_path / "meeting.json"
    path.write_text(json.dumps({"segments": [{"start": 1, "end": 2, "text": "x",
                                              "words": [{"start": "soon", "end": 2, "word": "x"}]}]}))
    result = archivist("render", str(path))
    assert result.returncode == 1
    assert "segments[0].words[0].start" in result.stderr
