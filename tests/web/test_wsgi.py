"""The app factory for other WSGI servers does what `archivist serve` does first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.environment import station_env

SCRIPT = """
import logging
from archivist.entrypoints.web.wsgi import app
web = app()
print(web.test_client().get("/health").status_code)
logging.getLogger("archivist.test").warning("served", extra={"password": "x"})
"""


@pytest.mark.e2e
def test_the_factory_logs_json_lines_and_keeps_a_session_key(tmp_path: Path) -> None:
    env = station_env()
    env.update(ARCHIVIST_DATA_DIR=str(tmp_path / "data"), ARCHIVIST_CONFIG=str(tmp_path / "none.yml"))
    (tmp_path / "none.yml").write_text("{}\n")
    run = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() in ("200", "503")   # the app answers; health depends on this box
    events = [json.loads(line) for line in run.stderr.splitlines() if line.startswith("{")]
    assert any(e["event"] == "served" and e["logger"] == "archivist.test" for e in events), run.stderr
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o077 == 0
