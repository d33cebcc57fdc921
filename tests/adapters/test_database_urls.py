"""The database URL forms people write all reach the database; anything else is one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.adapters.sql import DatabaseProbe
from archivist.domain.errors import ConfigError
from archivist.domain.health import Status
from archivist.providers import database
from tests.adapters.databases import POSTGRES_URL

# The test server as the forms people type: bare, hosting-provider style, explicit driver.
_REST = POSTGRES_URL.split("://", 1)[1]


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg2"])
def test_every_postgresql_form_connects(scheme: str, tmp_path: Path) -> None:
    engine = database.engine(f"{scheme}://{_REST}", str(tmp_path), 2, 10, 1)
    try:
        result = DatabaseProbe(engine).check()
    finally:
        engine.dispose()
    assert result.status is Status.OK, result.detail


def test_relative_sqlite_file_lives_in_the_data_dir(tmp_path: Path, monkeypatch) -> None:
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    engine = database.engine("sqlite:///station.db", str(tmp_path / "data"), 2, 10, 1)
    try:
        assert DatabaseProbe(engine).check().status is Status.OK
    finally:
        engine.dispose()
    assert (tmp_path / "data" / "station.db").is_file()
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("url, words", [
    ("garbage", ["not a database URL"]),
    ("mysql://u@db/x", ["unsupported database 'mysql'"]),
    ("postgresql+psycopg://u@db/x", ["unsupported database"]),
    ("postgresql://u@db:port/x", ["port 'port' is not a number"]),
])
def test_anything_else_is_one_line_naming_the_setting(url: str, words: list[str], tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        database.engine(url, str(tmp_path), 2, 10, 1)
    message = str(err.value)
    assert "'database.url'" in message and "\n" not in message
    for word in words:
        assert word in message


def test_a_password_with_slash_and_at_reaches_the_server_intact(tmp_path: Path) -> None:
    url = database.url_for("postgresql://archivist:p/a@ss?w@db.example.org:5433/arch", "")
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    assert (parsed.username, parsed.password, parsed.host, parsed.port, parsed.database) == (
        "archivist", "p/a@ss?w", "db.example.org", 5433, "arch")
