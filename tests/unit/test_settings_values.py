"""Settings as people really type them: environment text, nasty passwords, values out of range."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.domain.errors import ConfigError
from archivist.providers import settings


def test_environment_values_are_text_converted_only_to_the_declared_type(tmp_path: Path) -> None:
    config = settings.load(environ={
        "ARCHIVIST_DATA_DIR": str(tmp_path), "ARCHIVIST_CABLECAST_PASSWORD": "0123",
        "ARCHIVIST_CABLECAST_USER": "yes", "ARCHIVIST_SECRET_KEY": "12345",
        "ARCHIVIST_WHISPER_MODEL": "1.0"})
    assert config["cablecast"]["password"] == "0123"
    assert config["cablecast"]["user"] == "yes"
    assert config["secret_key"] == "12345"
    assert config["whisper"]["model"] == "1.0"


def test_a_reference_in_an_overlay_takes_the_type_of_its_key(tmp_path: Path) -> None:
    overlay = tmp_path / "station.yml"
    overlay.write_text("web: {port: '${PORT}'}\nwhisper: {vad: '${VAD}'}\n")
    config = settings.load(overlay, environ={"PORT": "9090", "VAD": "no"})
    assert config["web"]["port"] == 9090 and config["whisper"]["vad"] is False
    with pytest.raises(ConfigError, match=r"'web.port' \(from \$PORT\) must be a number"):
        settings.load(overlay, environ={"PORT": "http", "VAD": "no"})


def test_an_empty_data_dir_variable_means_the_default_not_the_working_directory() -> None:
    config = settings.load(environ={"ARCHIVIST_DATA_DIR": ""})
    assert config["data_dir"] == str(Path("~/.local/share/archivist").expanduser())


@pytest.mark.parametrize("blank", ["", " ", "\t", "  \n"])
def test_a_variable_of_spaces_only_counts_as_unset(blank: str) -> None:
    config = settings.load(environ={"ARCHIVIST_REDIS_URL": blank, "ARCHIVIST_DATABASE_URL": blank})
    assert config["redis"]["url"] == "" and config["database"]["url"] == ""
    # A value with spaces around it is still the value as given.
    kept = settings.load(environ={"ARCHIVIST_CABLECAST_PASSWORD": " secret "})
    assert kept["cablecast"]["password"] == " secret "


@pytest.mark.parametrize("password", ["p/ss", "p@ss", "a:b@c/d?e", "hunter2"])
@pytest.mark.parametrize("template", [
    "postgresql://archivist:{pw}@db:5432/archivist",
    "redis://:{pw}@queue:6379/0",
])
def test_config_show_never_shows_a_password_in_a_url(template: str, password: str) -> None:
    url = template.format(pw=password)
    key = "ARCHIVIST_DATABASE_URL" if url.startswith("postgresql") else "ARCHIVIST_REDIS_URL"
    shown = repr(settings.masked(settings.load(environ={key: url})))
    assert password not in shown
    assert "****@" in shown and ("@db:5432/archivist" in shown or "@queue:6379/0" in shown)


def test_a_password_query_parameter_is_masked() -> None:
    config = settings.load(environ={
        "ARCHIVIST_DATABASE_URL": "postgresql://archivist@db/archivist?sslmode=require&password=s3cr3t"})
    shown = settings.masked(config)["database"]["url"]
    assert "s3cr3t" not in shown and "sslmode=require" in shown and "password=****" in shown


@pytest.mark.parametrize("text, key", [
    ("web: {port: 99999}\n", "web.port"),
    ("web: {port: 0}\n", "web.port"),
    ("health: {deadline: -5}\n", "health.deadline"),
    ("worker: {concurrency: -3}\n", "worker.concurrency"),
    ("database: {pool_size: 2.5}\n", "database.pool_size"),
    ("database: {retry: {attempts: 0}}\n", "database.retry.attempts"),
    ("redis: {timeout: 0}\n", "redis.timeout"),
    ("web: {secure_cookies: sometimes}\n", "web.secure_cookies"),
    ("web: {proxy_cache_gb: 0}\n", "web.proxy_cache_gb"),
    ("whisper: {speaker_change_threshold: null}\n", "whisper.speaker_change_threshold"),
    ("live: {window_seconds: null}\n", "live.window_seconds"),   # every number live start reads
    ("live: {chunk_seconds: null}\n", "live.chunk_seconds"),
    ("live: {metrics_port: null}\n", "live.metrics_port"),
    ("library: {name_pattern: '{show} ({date})'}\n", "library.name_pattern"),
    ("library: {cities: [{name: A, path: /a, name_pattern: '{titel}'}]}\n",
     "library.cities[A].name_pattern"),
])
def test_values_out_of_range_are_refused_naming_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    overlay = tmp_path / "station.yml"
    overlay.write_text(text)
    with pytest.raises(ConfigError) as err:
        settings.load(overlay, environ={})
    assert str(overlay) in str(err.value) and f"'{key}'" in str(err.value)


def test_a_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    overlay = tmp_path / "station.yml"
    overlay.write_bytes("web: {host: caf\u00e9}\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        settings.load(overlay, environ={})


def test_a_file_that_refers_to_itself_is_one_line(tmp_path: Path) -> None:
    overlay = tmp_path / "station.yml"
    overlay.write_text("library:\n  cities: &c [*c]\n")
    with pytest.raises(ConfigError, match="refers to itself"):
        settings.load(overlay, environ={})


@pytest.mark.parametrize("written, means", [("true", True), ("false", False), ("auto", "auto")])
def test_secure_cookies_is_auto_true_or_false(tmp_path: Path, written: str, means: object) -> None:
    overlay = tmp_path / "station.yml"
    overlay.write_text(f"web: {{secure_cookies: {written}}}\n")
    assert settings.load(overlay, environ={})["web"]["secure_cookies"] == means


def test_a_backend_url_loses_the_spaces_and_line_end_typed_around_it(tmp_path: Path) -> None:
    """An environment file's `ARCHIVIST_DATABASE_URL=postgresql://.../test ` (or one saved with
    Windows line ends) made PostgreSQL say 'database "test " does not exist'."""
    config = settings.load(environ={
        "ARCHIVIST_DATA_DIR": str(tmp_path),
        "ARCHIVIST_DATABASE_URL": "postgresql://archivist:p w@db.lan:5432/test ",
        "ARCHIVIST_REDIS_URL": " redis://cache.lan:6379/0\r",
        "ARCHIVIST_CABLECAST_URL": "https://cablecast.lan\t",
        "ARCHIVIST_CABLECAST_PASSWORD": " kept as typed "})
    assert config["database"]["url"] == "postgresql://archivist:p w@db.lan:5432/test"
    assert config["redis"]["url"] == "redis://cache.lan:6379/0"
    assert config["cablecast"]["url"] == "https://cablecast.lan"
    assert config["cablecast"]["password"] == " kept as typed "
