"""A PostgreSQL database of a benchmark's own, dropped afterwards (both benchmarks use it)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def throwaway_database(server_url: str) -> Iterator[str]:
    """Create a database beside the one `server_url` names; yield its URL; drop it."""
    import psycopg2

    name = f"archivist_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(server_url.replace("postgresql+psycopg2://", "postgresql://"),
                             connect_timeout=5)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()
