"""`archivist live start --source` refuses what can never be a source before any work."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from archivist.entrypoints.cli import cli


def test_a_folder_given_as_the_source_is_refused_in_one_line(tmp_path: Path) -> None:
    """A mount's folder given for its file was opened by ffmpeg every 2 s until Ctrl-C."""
    overlay = tmp_path / "station.yml"
    overlay.write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data"), "library": {
        "cities": [{"name": "Riverton", "path": str(tmp_path)}]}}))
    result = CliRunner().invoke(cli, ["--config", str(overlay), "live", "start", "Riverton",
                                      "--source", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert f"Riverton: {tmp_path}: a folder, not a file" in result.output
