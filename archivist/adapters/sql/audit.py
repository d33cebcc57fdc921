"""The audit log and each city's learned vocabulary, in the database."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from archivist.adapters.sql.database import Database, now
from archivist.adapters.sql.tables import schema
from archivist.domain.review.audit import AuditEntry, AuditQuery
from archivist.domain.review.vocabulary import merged

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class SqlAudit(Database):
    """The AuditLog port (domain/review/ports.py)."""

    def record(self, entry: AuditEntry) -> AuditEntry:
        from dataclasses import replace

        table = schema().audit_log
        statement = table.insert().values(
            at=entry.at, actor=entry.actor[:200], action=entry.action[:64],
            target=entry.target[:200], detail=json.dumps(dict(entry.detail), ensure_ascii=False,
                                                         default=str),
            address=(entry.address or None) and entry.address[:64])
        new_id = self._transaction(lambda conn: conn.execute(statement).inserted_primary_key[0])
        return replace(entry, id=int(new_id))

    def entries(self, query: AuditQuery) -> list[AuditEntry]:
        table = schema().audit_log
        select = table.select().order_by(table.c.id.desc()).limit(max(1, min(query.limit, 500)))
        if query.actor and ":" not in query.actor:   # a bare name: as staff, token or cli
            select = select.where(table.c.actor.endswith(":" + query.actor, autoescape=True))
        elif query.actor:
            select = select.where(table.c.actor == query.actor)
        if query.action:
            select = select.where(table.c.action == query.action)
        if query.target:
            select = select.where(table.c.target == query.target)
        if query.since:
            select = select.where(table.c.at >= query.since)
        if query.until:
            select = select.where(table.c.at < query.until)
        if query.before:
            select = select.where(table.c.id < query.before)
        return [AuditEntry(actor=row.actor, action=row.action, target=row.target,
                           detail=json.loads(row.detail), address=row.address, at=row.at,
                           id=row.id) for row in self._all(select)]


class SqlVocabulary(Database):
    """The LearnedVocabulary port (domain/review/ports.py)."""

    def learned(self, city: str) -> list[str]:
        table = schema().vocabulary
        rows = self._all(table.select().with_only_columns(table.c.term)
                         .where(table.c.city == city).order_by(table.c.id))
        return [row.term for row in rows]

    def learn(self, city: str, terms: Sequence[str], by: str) -> list[str]:
        def work(conn: Connection) -> None:
            _add(conn, city, terms, by)
        self._transaction(work)
        return self.learned(city)

    def replace_learned(self, city: str, terms: Sequence[str], by: str) -> list[str]:
        table = schema().vocabulary

        def work(conn: Connection) -> None:
            conn.execute(table.delete().where(table.c.city == city))
            _add(conn, city, terms, by)
        self._transaction(work)
        return self.learned(city)


def _add(conn: Connection, city: str, terms: Sequence[str], by: str) -> None:
    table = schema().vocabulary
    have = {row.folded for row in conn.execute(
        table.select().with_only_columns(table.c.folded).where(table.c.city == city))}
    rows: list[dict[str, Any]] = []
    for term in merged(terms):
        if term.lower() not in have:
            rows.append({"city": city, "term": term[:200], "folded": term.lower()[:200],
                         "added_by": by[:200], "added_at": now()})
    if rows:
        conn.execute(table.insert(), rows)
