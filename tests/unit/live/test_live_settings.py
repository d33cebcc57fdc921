"""A city's live: section is checked with the rest of the settings."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from archivist.domain.errors import ConfigError
from archivist.domain.live.settings import LiveSettings
from archivist.providers import settings


def load(tmp_path, live):
    path = tmp_path / "station.yml"
    path.write_text(yaml.safe_dump({"library": {"cities": [
        {"name": "Riverton", "path": "/mnt/flex-3", "live": live}]}}))
    return settings.load(path, environ={})


def test_a_city_with_a_source_and_an_encoder_loads(tmp_path):
    live = {"source": "udp://0.0.0.0:5000",
            "encoder": {"host": "10.0.0.9", "port": 23, "channel": "cc1", "rows": 2}}
    assert load(tmp_path, live)["library"]["cities"][0]["live"] == live


@pytest.mark.parametrize(("live", "says"), [
    ({"source": "udp://x", "encodr": {}}, "library.cities[Riverton].live.encodr: unknown key; did you mean encoder?"),
    ({"encoder": {"host": "h", "port": 70000}}, "'library.cities[Riverton].live.encoder.port' must be"),
    ({"encoder": {"host": "h", "port": 23, "rows": 5}}, "'library.cities[Riverton].live.encoder.rows' must be"),
    ({"encoder": {"host": "h", "port": 23, "channel": "cc9"}}, "must be one of cc1, cc2, cc3, cc4"),
    ({"encoder": {"port": 23}}, "'library.cities[Riverton].live.encoder.host' is required"),
])
def test_a_wrong_live_setting_is_named(tmp_path, live, says):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, live)
    assert says in str(caught.value)


def test_live_speaker_changes_is_a_flag(tmp_path):
    path = tmp_path / "station.yml"
    path.write_text(yaml.safe_dump({"live": {"speaker_changes": "yes"}}))
    with pytest.raises(ConfigError, match=r"'live\.speaker_changes'"):
        settings.load(path, environ={})


def test_live_tuning_is_range_checked(tmp_path):
    path = tmp_path / "station.yml"
    path.write_text(yaml.safe_dump({"live": {"max_seconds": 90}}))
    with pytest.raises(ConfigError, match=r"'live\.max_seconds' must be at least 10 and at most 30"):
        settings.load(path, environ={})


def test_the_shipped_live_tuning_is_the_sessions_own_defaults():
    """config.yml's live: section (what `live start` runs with) and LiveSettings' defaults (what
    the replays and the tests run with) are one; retry_max is not a setting of config.yml."""
    live = settings.load(environ={})["live"]
    defaults = LiveSettings()
    for field in dataclasses.fields(LiveSettings):
        if field.name != "retry_max":
            assert live[field.name] == getattr(defaults, field.name), field.name


def test_the_live_model_is_the_bundled_one_unless_named(tmp_path):
    """Live decodes keep up on a loaded 2-core machine with tiny.en, whatever `auto` picks for
    recordings; a station may name another (or "": as whisper.model)."""
    assert settings.load(environ={})["live"]["model"] == "bundled"
    path = tmp_path / "station.yml"
    path.write_text(yaml.safe_dump({"live": {"model": 5}}))
    with pytest.raises(ConfigError, match=r"'live\.model' must be text"):
        settings.load(path, environ={})
