"""`archivist render` on the corrected JSON of a known recording records a revision and brings
the caption files and search in step; `recordings list` and `audit` show it."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from archivist import containers
from archivist.domain import transcript_json
from archivist.domain.models import Job
from archivist.entrypoints.cli import cli
from archivist.providers import settings
from tests.fakes import spoken


def test_render_of_a_known_recording_is_a_revision(tmp_path: Path) -> None:
    mount = tmp_path / "mnt"
    mount.mkdir()
    media = mount / "council.mp4"
    media.write_bytes(b"not really a video" * 100)
    overlay = tmp_path / "archivist.yml"
    overlay.write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data"), "library": {
        "cities": [{"name": "Riverton", "path": str(mount)}]}}))
    container = containers.build(settings.load(overlay, environ={}))
    rec = container.jobs().recording_at(media, "Riverton")
    job, _ = container.repository().queue_job(Job(recording_id=rec.id, path=media, city="Riverton"))
    container.repository().save_transcript(rec.id, job.id, spoken(
        (1.0, "The slash fan opens in June.")))
    containers.shutdown(container)
    beside = mount / "council.json"
    data = transcript_json.to_dict(spoken((1.0, "The slash fan opens in June.")))
    data["segments"][0]["text"] = "The splash pad opens in June."
    beside.write_text(json.dumps(data))
    run = CliRunner().invoke(cli, ["--config", str(overlay), "render", str(beside),
                                   "--note", "splash pad"])
    assert run.exit_code == 0, run.output
    assert f"recording {rec.id}: revision 2 saved; captions done" in run.output
    assert "splash pad" in (mount / "council.vtt").read_text()
    found = CliRunner().invoke(cli, ["--config", str(overlay), "search", "splash"])
    assert "council" in found.output
    listed = CliRunner().invoke(cli, ["--config", str(overlay), "recordings", "list", "--json"])
    row = json.loads(listed.output)["recordings"][0]
    assert (row["recording"], row["state"], row["revision"]) == (rec.id, "in_review", 2)
    audit = json.loads(CliRunner().invoke(cli, ["--config", str(overlay), "audit", "--json"]).output)
    assert audit["entries"][0]["action"] == "transcript.save"
    assert audit["entries"][0]["actor"].startswith("cli:")

    beside.write_text('{"segments": [{"start": 1, "end": 2, "text": "x", }]}')
    broken = CliRunner().invoke(cli, ["--config", str(overlay), "render", str(beside)])
    assert broken.exit_code == 1 and "line 1 column" in broken.output
    assert "splash pad" in (mount / "council.vtt").read_text()
    stray = tmp_path / "stray.json"
    stray.write_text(json.dumps(data))
    unknown = CliRunner().invoke(cli, ["--config", str(overlay), "render", str(stray)])
    assert unknown.exit_code == 1 and "no recording Archivist knows" in unknown.output


def test_a_scan_at_the_command_line_is_audited(tmp_path: Path) -> None:
    mount = tmp_path / "mnt"
    mount.mkdir()
    (mount / "Council (20261103).mp4").write_bytes(b"not really a video" * 100)
    overlay = tmp_path / "archivist.yml"
    overlay.write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data"), "library": {
        "cities": [{"name": "Riverton", "path": str(mount)}]}}))
    CliRunner().invoke(cli, ["--config", str(overlay), "scan", "--city", "Riverton"])
    audit = json.loads(CliRunner().invoke(cli, ["--config", str(overlay), "audit", "--json",
                                                "--action", "library.scan"]).output)
    scanned, = audit["entries"]
    assert scanned["target"] == "city:Riverton" and scanned["actor"].startswith("cli:")
    assert set(scanned["detail"]) == {"queued", "skipped", "unreadable", "unreachable"}
