"""`archivist models --probe`: each model's figures are that model's (they choose `auto`)."""

from __future__ import annotations

import os

import pytest

from archivist import containers
from archivist.entrypoints.cli import model_probe
from archivist.entrypoints.cli import models as models_cli


class _Built(Exception):
    """The probe's station was built: what it would measure is known."""


def test_a_probe_measures_the_model_it_names_whatever_the_station_file_names(tmp_path, monkeypatch):
    """A station file naming whisper.model (here `auto`, the packaged base) outweighs the
    environment: every probe measured that model, and costs.json then gave small.en base's
    cost, so `auto` picked small.en, too slow for the station."""
    station = tmp_path / "station.yml"
    station.write_text("whisper:\n  model: auto\n")
    started: dict[str, object] = {}

    class Child:
        returncode = 0

        def __init__(self, args, **kwargs):
            started.update(args=args, env=dict(kwargs.get("env") or os.environ))

        def communicate(self, timeout=None):
            return b'{"cpu_s_per_audio_min": 7.0}', b""

    monkeypatch.setattr(models_cli.subprocess, "Popen", Child)
    models_cli._probe("small.en", str(station))

    built: dict[str, object] = {}

    def build(config):
        built.update(config)
        raise _Built

    monkeypatch.setattr(containers, "build", build)
    for name in [k for k in os.environ if k.startswith("ARCHIVIST_")]:
        monkeypatch.delenv(name)
    env = started["env"]
    assert isinstance(env, dict)
    for name, value in env.items():
        if name.startswith("ARCHIVIST_"):
            monkeypatch.setenv(name, value)
    args = started["args"]
    assert isinstance(args, list) and args[2] == "archivist.entrypoints.cli.model_probe"
    with pytest.raises(_Built):
        model_probe.main(args[3:])
    assert built["whisper"]["model"] == "small.en"   # type: ignore[index]
