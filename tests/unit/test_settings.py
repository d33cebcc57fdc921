"""Configuration: defaults, overlays, ${ENV:default} values, and errors that name the key."""

from __future__ import annotations

import pytest

from archivist.domain.errors import ConfigError
from archivist.providers import settings


def test_defaults_are_the_embedded_setup():
    config = settings.load(environ={})
    assert config["database"]["url"] == ""
    assert config["redis"]["url"] == ""
    assert config["whisper"]["model"] == "auto"
    assert config["live"]["model"] == "bundled"
    assert config["captions"]["broadcast"]["max_chars"] == 32


def test_environment_overrides_and_keeps_types(tmp_path):
    config = settings.load(environ={"ARCHIVIST_DATA_DIR": str(tmp_path),
                                    "ARCHIVIST_REDIS_URL": "redis://127.0.0.1:6379/3"})
    assert config["data_dir"] == str(tmp_path)
    assert config["redis"]["url"] == "redis://127.0.0.1:6379/3"
    assert isinstance(config["database"]["connect_timeout"], int)


def test_overlay_file_from_archivist_config(tmp_path):
    overlay = tmp_path / "station.yml"
    overlay.write_text("database:\n  connect_timeout: ${DB_WAIT:2}\nlibrary:\n"
                       "  cities: [{name: Riverton, path: /mnt/flex-3}]\n")
    config = settings.load(environ={"ARCHIVIST_CONFIG": str(overlay), "DB_WAIT": "7"})
    assert config["database"]["connect_timeout"] == 7
    assert config["database"]["pool_size"] == 5          # untouched defaults stay
    assert config["library"]["cities"][0]["name"] == "Riverton"


@pytest.mark.parametrize("text, words", [
    ("databse:\n  url: x\n", ["databse", "unknown key"]),
    ("database:\n  connect_timeout: soon\n", ["database.connect_timeout", "must be a number"]),
    ("database: [1, 2]\n", ["'database'", "mapping"]),
    ("whisper:\n  vad: maybe\n", ["whisper.vad", "true or false"]),
    ("database:\n  url: [unclosed\n", ["line", "not valid YAML"]),
])
def test_bad_file_gets_an_error_naming_key_and_file(tmp_path, text, words):
    bad = tmp_path / "bad.yml"
    bad.write_text(text)
    with pytest.raises(ConfigError) as err:
        settings.load(bad, environ={})
    message = str(err.value)
    assert str(bad) in message
    for word in words:
        assert word in message


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        settings.load(tmp_path / "absent.yml", environ={})


def test_secrets_are_masked():
    config = settings.load(environ={
        "ARCHIVIST_DATABASE_URL": "postgresql+psycopg2://archivist:hunter2@db/archivist",
        "ARCHIVIST_CABLECAST_PASSWORD": "s3cret", "ARCHIVIST_SECRET_KEY": "k"})
    shown = repr(settings.masked(config))
    assert "hunter2" not in shown and "s3cret" not in shown and "'k'" not in shown
    assert "archivist:****@db" in shown
