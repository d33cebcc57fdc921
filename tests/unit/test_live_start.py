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


def _started(tmp_path: Path, monkeypatch, overlay_settings: dict[str, Any]) -> dict[str, Any]:
    """`live start Riverton` with `overlay_settings` laid over the defaults (`city`: settings
    of Riverton's own): the model, the source and the session are stand-ins (the session stops
    as it is made); what the session was given, by name (`settings`, and its keyword
    arguments)."""
    from archivist import containers
    from archivist.domain.errors import ArchivistError
    from archivist.domain.live import session

    class Model:
        def model(self) -> None: ...

    class Feed:
        def open(self) -> None: ...
        def close(self) -> None: ...

    built = containers.build

    def build(config):
        container = built(config)
        container.transcriber.override(Model())
        container.live_recognizer.override(object())
        container.live_source.override(Feed())
        return container

    given: dict[str, Any] = {}

    class Session:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            given.update(kwargs, settings=args[7])
            raise ArchivistError("stand-in session")

    monkeypatch.setattr(containers, "build", build)
    monkeypatch.setattr(session, "LiveSession", Session)
    overlay = tmp_path / "archivist.yml"
    city = {"name": "Riverton", "path": str(tmp_path), "live": {"source": "udp://127.0.0.1:5999"}}
    overlay.write_text(yaml.safe_dump({
        "data_dir": str(tmp_path / "data"),
        **{k: v for k, v in overlay_settings.items() if k != "city"},
        "library": {"cities": [{**city, **overlay_settings.get("city", {})}]}}))
    result = CliRunner().invoke(cli, ["--config", str(overlay), "live", "start", "Riverton"])
    assert "stand-in session" in result.output, result.output
    return given


def test_the_live_settings_in_config_reach_the_session(tmp_path: Path, monkeypatch):
    """first_seconds, short_letters, prompt_names, late_pauses and speaker changes (with their
    threshold) as configured, not defaults."""
    given = _started(tmp_path, monkeypatch, {
        "live": {"first_seconds": 1.5, "short_letters": 3, "prompt_names": 4,
                 "late_pauses": True, "speaker_changes": True},
        "whisper": {"speaker_change_threshold": 200}})
    settings = given["settings"]
    assert (settings.first_seconds, settings.short_letters, settings.prompt_names,
            settings.late_pauses, settings.speaker_changes) == (1.5, 3, 4, True, True)
    assert given["voices"]._threshold == 200    # the transcriber's threshold, to its detector's test


def test_the_stations_spelling_and_vocabulary_reach_the_live_session(tmp_path: Path, monkeypatch):
    """American by default, the station's and the city's vocabulary as typed; as heard when
    captions.spelling says so."""
    spelled = _started(tmp_path, monkeypatch, {
        "whisper": {"vocabulary": ["Centre Street"]},
        "city": {"vocabulary": ["Harbour Grace"]}})["spelling"]
    assert spelled("Harbour Grace, Centre Street: all those in favour") == (
        "Harbour Grace, Centre Street: all those in favor")
    heard = _started(tmp_path, monkeypatch, {"captions": {"spelling": "as_heard"}})["spelling"]
    assert heard("all those in favour") == "all those in favour"


def test_a_blank_vocabulary_setting_starts_the_live_session(tmp_path: Path, monkeypatch):
    """`vocabulary:` left blank (its names commented out) is YAML's null: no names, not a
    `live start` that ends in TypeError before the session is made."""
    spelled = _started(tmp_path, monkeypatch, {"whisper": {"vocabulary": None}})["spelling"]
    assert spelled("all those in favour") == "all those in favor"
