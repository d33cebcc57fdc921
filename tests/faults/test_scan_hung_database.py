"""`archivist scan` with a PostgreSQL that accepts and never answers: one wait, not two."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from archivist.entrypoints.cli import cli


def test_a_scan_that_found_the_database_hung_does_not_wait_for_it_again_to_audit(
        black_hole, tmp_path: Path) -> None:
    """The scan waited out the database once, then its audit entry waited as long again
    (44 s in all at the defaults) to say that nothing was queued."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    (mount / "council.mp4").write_bytes(b"not really a video" * 100)
    overlay = tmp_path / "station.yml"
    overlay.write_text(yaml.safe_dump({
        "data_dir": str(tmp_path / "data"),
        "database": {"url": f"postgresql://u@127.0.0.1:{black_hole.port}/db",
                     "connect_timeout": 0.5,
                     "retry": {"attempts": 1, "backoff": 0.1, "max_backoff": 0.1, "deadline": 2}},
        "library": {"settle_seconds": 0, "cities": [{"name": "Riverton", "path": str(mount)}]}}))
    result = CliRunner().invoke(cli, ["--config", str(overlay), "scan"])
    assert result.exit_code == 1, result.output
    assert "1 not queued" in result.output
    assert "not written to the audit log: database unavailable" in result.output
    waits = black_hole.accepted
    assert waits == 1, f"the database was asked {waits} times"
