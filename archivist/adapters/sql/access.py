"""The AccessStore port: API tokens (their hashes) and staff accounts (password hashes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archivist.adapters.sql.database import Database, now
from archivist.adapters.sql.tables import schema
from archivist.domain.errors import Conflict
from archivist.domain.models import ApiToken, Staff

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class SqlAccess(Database):
    def add_token(self, name: str, token_hash: str) -> ApiToken:
        from sqlalchemy.exc import IntegrityError

        table = schema().api_tokens

        def work(conn: Connection) -> ApiToken:
            at = now()
            token_id = conn.execute(table.insert().values(
                name=name, token_hash=token_hash, created_at=at)).inserted_primary_key[0]
            return ApiToken(token_id, name, at)
        try:
            return self._transaction(work)
        except IntegrityError:
            raise Conflict(f"a live token named {name!r} exists; revoke it first") from None

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        table = schema().api_tokens

        def work(conn: Connection) -> ApiToken | None:
            row = conn.execute(table.select().where(table.c.token_hash == token_hash,
                                                    table.c.revoked_at.is_(None))).first()
            if row is None:
                return None
            at = now()
            # Written at most once a minute per token: a busy client must not write per request.
            if row.last_used_at is None or (at - row.last_used_at).total_seconds() > 60:
                conn.execute(table.update().where(table.c.id == row.id).values(last_used_at=at))
            return _token(row)
        return self._transaction(work)

    def tokens(self) -> list[ApiToken]:
        table = schema().api_tokens
        return [_token(row) for row in self._all(table.select().order_by(table.c.id))]

    def revoke_token(self, name: str) -> ApiToken | None:
        table = schema().api_tokens

        def work(conn: Connection) -> ApiToken | None:
            live = [table.c.name == name, table.c.revoked_at.is_(None)]
            row = conn.execute(table.select().where(*live)).first()
            if row is None:
                return None
            conn.execute(table.update().where(table.c.id == row.id).values(revoked_at=now()))
            return _token(conn.execute(table.select().where(table.c.id == row.id)).first())
        return self._transaction(work)

    def add_staff(self, name: str, password_hash: str) -> Staff:
        from sqlalchemy.exc import IntegrityError

        table = schema().staff

        def work(conn: Connection) -> Staff:
            at = now()
            staff_id = conn.execute(table.insert().values(
                name=name, password_hash=password_hash, created_at=at)).inserted_primary_key[0]
            return Staff(staff_id, name, at)
        try:
            return self._transaction(work)
        except IntegrityError:
            raise Conflict(f"a staff account named {name!r} exists") from None

    def staff_by_name(self, name: str) -> tuple[Staff, str] | None:
        table = schema().staff
        row = self._first(table.select().where(table.c.name == name))
        return (_staff(row), row.password_hash) if row else None

    def staff(self, staff_id: int) -> Staff | None:
        table = schema().staff
        row = self._first(table.select().where(table.c.id == staff_id))
        return _staff(row) if row else None

    def set_password(self, staff_id: int, password_hash: str) -> None:
        table = schema().staff
        self._transaction(lambda conn: conn.execute(
            table.update().where(table.c.id == staff_id).values(password_hash=password_hash)))

    def next_session_generation(self, staff_id: int) -> None:
        table = schema().staff
        self._transaction(lambda conn: conn.execute(
            table.update().where(table.c.id == staff_id)
            .values(session_generation=table.c.session_generation + 1)))


def _token(row: Any) -> ApiToken:
    return ApiToken(row.id, row.name, row.created_at, row.last_used_at, row.revoked_at)


def _staff(row: Any) -> Staff:
    return Staff(row.id, row.name, row.created_at, row.session_generation)
