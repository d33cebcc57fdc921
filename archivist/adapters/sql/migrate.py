"""Schema migrations with Alembic, run from code: `archivist db upgrade`, and on first use of an
empty database.

Reading the schema's revision needs only SQLAlchemy; Alembic is imported when there is
something to migrate.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archivist.adapters.sql.tables import REVISION
from archivist.domain.errors import SchemaError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"
# PostgreSQL advisory lock key: one migrating process at a time across the station.
_LOCK_KEY = 0x41524348  # "ARCH"
_TABLES = ("recordings", "jobs", "transcripts")
# Alembic keeps its running context in module globals, so two threads migrating at once (two
# repositories over one engine, each checking the schema on first use) trip over each other:
# one migration at a time in this process.
_MIGRATING = threading.Lock()


def revision(conn: Connection) -> str | None:
    """The schema's revision: None for an empty database, '0001' for one made before migrations."""
    from sqlalchemy import inspect, text

    names = set(inspect(conn).get_table_names())
    if "alembic_version" in names:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    # The first release created its tables without Alembic: that schema is the baseline.
    return "0001" if set(_TABLES) <= names else None


def check(engine: Engine) -> None:
    """Make the schema usable: migrate an empty database, refuse one at another revision."""
    with engine.connect() as conn:
        found = revision(conn)
    if found == REVISION:
        return
    if found is None:
        upgrade(engine)
        return
    if _known(found):
        raise SchemaError(f"the database schema is at revision {found}, this Archivist needs "
                          f"{REVISION}: run `archivist db upgrade` (back up the database first)")
    raise SchemaError(f"the database schema is at revision {found}, newer than this Archivist "
                      f"knows (it needs {REVISION}): upgrade Archivist on this machine")


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Migrate the schema to the newest revision; return (revision before, revision after)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    with _MIGRATING, engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Released when this transaction ends; a second process waits, then finds it done.
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        before = revision(conn)
        if before is not None and not _known(before):
            raise SchemaError(f"the database schema is at revision {before}, newer than this "
                              f"Archivist knows ({REVISION}): upgrade Archivist instead")
        if before == REVISION:
            return before, before
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        if before is not None and not _has_version_table(conn):
            command.stamp(config, before)
        command.upgrade(config, REVISION)
    return before, REVISION


def _has_version_table(conn: Connection) -> bool:
    from sqlalchemy import inspect

    return "alembic_version" in inspect(conn).get_table_names()


def _known(rev: str) -> bool:
    return any(p.name.startswith(f"{rev}_") for p in (MIGRATIONS / "versions").glob("*.py"))


def describe(engine: Engine) -> dict[str, Any]:
    """Where the schema stands, for `archivist db status`."""
    with engine.connect() as conn:
        found = revision(conn)
    return {"revision": found, "head": REVISION, "up_to_date": found == REVISION}

