"""`archivist live start` says it is loading while it loads the model, before it captions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from archivist.adapters.live.files import LiveFolder
from archivist.adapters.whisper.adapter import FasterWhisperTranscriber
from archivist.domain.errors import TranscriptionError
from archivist.entrypoints.cli import cli
from archivist.entrypoints.live_report import session_report


def test_a_session_loading_its_model_is_loading_not_running(tmp_path: Path, monkeypatch) -> None:
    """The lease is taken before the model loads (seconds; a minute on a first run): the live
    page said "Live now" meanwhile, with the last session's figures as this one's."""
    data = tmp_path / "data"
    overlay = tmp_path / "station.yml"
    overlay.write_text(yaml.safe_dump({"data_dir": str(data), "library": {
        "cities": [{"name": "Riverton", "path": str(tmp_path)}]}}))
    folder = LiveFolder(data, "Riverton")
    folder.path.mkdir(parents=True)
    (folder.path / "status.json").write_text(json.dumps(   # the last session, ended
        {"city": "Riverton", "state": "ended", "session": "20261206T035204Z", "words_sent": 52}))
    seen: dict[str, Any] = {}

    def model(_transcriber: Any, setting: str = "") -> Any:
        seen.update(session_report(LiveFolder(data, "Riverton")))
        raise TranscriptionError("no model here")

    monkeypatch.setattr(FasterWhisperTranscriber, "model", model)
    result = CliRunner().invoke(cli, ["--config", str(overlay), "live", "start", "Riverton",
                                      "--source", "udp://127.0.0.1:5999"])
    assert result.exit_code == 1 and "no model here" in result.output, result.output
    assert seen["state"] == "loading" and seen["running"] is True
    assert seen.get("session") is None and "words_sent" not in seen
    assert session_report(folder)["state"] == "stopped"   # it ended: not loading for ever


def test_a_session_following_auto_keeps_the_model_it_started_with(tmp_path: Path, monkeypatch) -> None:
    """live.model `auto` (or "" with whisper.model auto) is the model auto picks when the
    session starts: each decode asks the transcriber for its model, and a costs.json written
    mid-meeting (`archivist models --probe`) would have loaded another then, captions waiting."""
    from archivist.adapters.whisper import models

    monkeypatch.setattr(models, "base_packaged", lambda: True)
    data = tmp_path / "data"
    overlay = tmp_path / "station.yml"
    overlay.write_text(yaml.safe_dump({"data_dir": str(data), "live": {"model": ""},
                                       "whisper": {"model": "auto"}, "library": {
        "cities": [{"name": "Riverton", "path": str(tmp_path)}]}}))
    settings: list[str] = []

    def model(transcriber: Any, setting: str = "") -> Any:
        settings.append(setting or transcriber._model_setting)
        raise TranscriptionError("no model here")

    monkeypatch.setattr(FasterWhisperTranscriber, "model", model)
    result = CliRunner().invoke(cli, ["--config", str(overlay), "live", "start", "Riverton",
                                      "--source", "udp://127.0.0.1:5999"])
    assert result.exit_code == 1 and "no model here" in result.output, result.output
    assert settings == ["base"]
