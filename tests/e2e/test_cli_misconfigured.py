"""Settings typed wrong, as an operator meets them: one line each, never a traceback."""

from __future__ import annotations

import json
import os

import pytest


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def test_health_reports_gateways_that_cannot_be_built_and_probes_the_others(archivist, tmp_path):
    archivist.env.update(ARCHIVIST_DATABASE_URL="garbage", ARCHIVIST_REDIS_URL="localhost:6379")
    result = archivist("health", "--json")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    gateways = {g["name"]: g for g in json.loads(result.stdout)["gateways"]}
    assert gateways["database"]["status"] == "down" and "'database.url'" in gateways["database"]["detail"]
    assert gateways["redis"]["status"] == "down" and "'redis.url'" in gateways["redis"]["detail"]
    assert gateways["whisper"]["status"] == "ok" and gateways["library"]["status"] == "ok"


def test_plain_health_lists_a_data_dir_under_a_file_as_down(archivist, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    archivist.env["ARCHIVIST_DATA_DIR"] = str(blocker / "data")
    result = archivist("health")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert "down" in lines["database"] and "data_dir" in lines["database"]


@pytest.mark.parametrize("variable, value, key", [
    ("ARCHIVIST_DATABASE_URL", "postgresql+nosuchdriver://u@h/d", "'database.url'"),
    ("ARCHIVIST_DATABASE_URL", "garbage", "'database.url'"),
])
def test_transcribe_with_an_unusable_database_setting_is_one_line(archivist, tmp_path, variable, value, key):
    archivist.env[variable] = value
    media = tmp_path / "meeting.wav"
    media.write_bytes(b"RIFF")
    result = archivist("transcribe", str(media), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert key in one_line(result.stderr)


@pytest.mark.parametrize("url, words", [
    ("localhost:6379", "must start with redis://"),
    ("off", "must start with redis://"),
    ("redis://127.0.0.1:6379/notanumber", "whole number"),
])
def test_worker_refuses_a_redis_url_it_cannot_use(archivist, url, words):
    archivist.env["ARCHIVIST_REDIS_URL"] = url
    result = archivist("worker", "--pool=solo")
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "'redis.url'" in line and words in line


def test_worker_passes_on_celerys_fatal_exit_code(archivist, tmp_path):
    pidfile = tmp_path / "worker.pid"
    pidfile.write_text(f"{os.getpid()}\n")   # a live process holds it: Celery refuses to start
    result = archivist("worker", "--pool=solo", f"--pidfile={pidfile}")
    assert result.returncode != 0, result.stderr
    assert "already exists" in result.stderr
