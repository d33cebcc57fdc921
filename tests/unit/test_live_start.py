"""`archivist live start` refusing what it cannot do, before the model loads: as typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from archivist.adapters.live.files import LiveFolder
from archivist.entrypoints.cli import cli


@pytest.fixture
def station(tmp_path: Path) -> Any:
    mount = tmp_path / "mnt"
    mount.mkdir()
    overlay = tmp_path / "archivist.yml"
    overlay.write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data"), "library": {"cities": [
        {"name": "Riverton", "path": str(mount), "live": {"source": "udp://127.0.0.1:5999"}}]}}))

    def run(*args: str) -> Any:
        return CliRunner().invoke(cli, ["--config", str(overlay), "live", *args])
    run.data = tmp_path / "data"
    return run


def test_an_empty_source_is_a_usage_error_not_the_configured_source(station):
    for empty in ("", "  "):
        result = station("start", "Riverton", "--source", empty)
        assert result.exit_code == 2, result.output
        assert "--source is empty" in result.output
    assert not (station.data / "live" / "Riverton" / "lease").exists()


def test_a_second_start_says_the_running_session_goes_on_and_this_command_ends(station):
    running = LiveFolder(station.data, "Riverton")   # as the first `live start` holds it
    assert running.claim()
    try:
        result = station("start", "riverton")
    finally:
        running.release()
    assert result.exit_code == 0, result.output
    assert "already running" in result.output
    assert "that session goes on; this command ends" in result.output
    assert "joins" not in result.output
