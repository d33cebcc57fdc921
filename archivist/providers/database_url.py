"""The database URL as people write it, turned into the one SQLAlchemy should use.

Accepted: `postgresql://`, `postgres://` (what hosting providers hand out) and
`postgresql+psycopg2://`, all on psycopg2 (the driver Archivist installs; SQLAlchemy 2.1 would
pick psycopg 3 for a bare `postgresql://`), and `sqlite:///file`, a relative file being taken
in the data dir. Anything else is a ConfigError naming the setting.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote

from archivist.domain.errors import ConfigError
from archivist.providers.urls import masked_url, split

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

KEY = "'database.url'"
_POSTGRES = {"postgresql", "postgres", "postgresql+psycopg2"}
_SQLITE = {"sqlite", "sqlite+pysqlite"}
FORMS = "postgresql://user@host/db, postgres://..., postgresql+psycopg2://... or sqlite:///file.db"


def resolve(url: str, data_dir: str) -> URL:
    """The SQLAlchemy URL for the setting (empty: an SQLite file in the data dir)."""
    from sqlalchemy.engine import URL

    if not url:
        return URL.create("sqlite", database=str(Path(data_dir) / "archivist.db"))
    parts = split(url)
    if parts is None:
        raise ConfigError(f"{KEY} is not a database URL: {masked_url(url)!r}; expected {FORMS}")
    scheme = parts.scheme.lower()
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if scheme in _SQLITE:
        # sqlite:///x.db is x.db in the data dir, never in whatever folder the command ran in.
        name = unquote(parts.path[1:]) if parts.path.startswith("/") else unquote(parts.path)
        if parts.host:
            raise ConfigError(f"{KEY}: an SQLite URL has no host, got {url!r}; write sqlite:///file.db")
        if name and name != ":memory:":
            name = str(Path(data_dir) / Path(name).expanduser())
        return URL.create("sqlite", database=name or None, query=query)
    if scheme not in _POSTGRES:
        raise ConfigError(f"{KEY}: unsupported database {parts.scheme!r} in {masked_url(url)!r}; "
                          f"expected {FORMS}")
    host, _, port_text = parts.host.rpartition(":") if ":" in parts.host.rsplit("]", 1)[-1] \
        else (parts.host, "", "")
    try:
        port = int(port_text) if port_text else None
    except ValueError:
        raise ConfigError(f"{KEY}: port {port_text!r} is not a number in {masked_url(url)!r}") from None
    if port is not None and not 0 < port < 65536:
        raise ConfigError(f"{KEY}: port {port} is out of range in {masked_url(url)!r}")
    return URL.create(
        "postgresql+psycopg2",
        username=unquote(parts.user) if parts.user else None,
        password=unquote(parts.password) if parts.password is not None else None,
        host=unquote(host) or None, port=port,
        database=unquote(parts.path.lstrip("/")) or None, query=query)
