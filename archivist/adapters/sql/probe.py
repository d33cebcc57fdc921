"""Health of the database: one `SELECT 1`, no retry."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from archivist.adapters.sql.database import describe, where
from archivist.domain.health import ProbeResult, Status

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class DatabaseProbe:
    """Health of the database: one `SELECT 1`, no retry."""

    name = "database"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def check(self) -> ProbeResult:
        """Ok with where the database is, or down with where and why; never raises."""
        started = time.monotonic()
        try:
            from sqlalchemy import text

            with self._engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return ProbeResult(Status.OK, where(self._engine.url))
        except Exception as exc:  # a probe reports; it never raises
            seconds = time.monotonic() - started
            # Which database is down, as the ok line says which is up: where() never shows
            # credentials, and describe() hides the password should the driver repeat it.
            why = describe(exc, seconds, secret=self._engine.url.password)
            return ProbeResult(Status.DOWN, f"{where(self._engine.url)}: {why}")
