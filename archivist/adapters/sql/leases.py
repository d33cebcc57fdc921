"""The Leases port in the database: a named lease is one row, held by one holder until it
expires, on SQLite and PostgreSQL alike (an insert, or a compare-and-set on an expired row)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from archivist.adapters.sql.database import Database, now
from archivist.adapters.sql.tables import schema

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class SqlLeases(Database):
    def take(self, name: str, holder: str, seconds: float) -> str | None:
        """None when `holder` now holds `name`; else who holds it."""
        from sqlalchemy.exc import IntegrityError

        table = schema().leases

        def insert(conn: Connection) -> None:
            conn.execute(table.insert().values(name=name, holder=holder,
                                               expires_at=now() + timedelta(seconds=seconds)))

        def take_over(conn: Connection) -> str | None:
            at = now()
            # Ours already (a retried insert whose answer was lost), or expired: a crashed holder.
            taken = conn.execute(table.update().where(
                table.c.name == name, (table.c.expires_at < at) | (table.c.holder == holder))
                .values(holder=holder, expires_at=at + timedelta(seconds=seconds))).rowcount
            if taken:
                return None
            row = conn.execute(table.select().where(table.c.name == name)).first()
            return row.holder if row is not None else "someone who just let go"
        try:
            self._transaction(insert)
            return None
        except IntegrityError:
            return self._transaction(take_over)

    def release(self, name: str, holder: str) -> None:
        table = schema().leases
        self._transaction(lambda conn: conn.execute(
            table.delete().where(table.c.name == name, table.c.holder == holder)))
