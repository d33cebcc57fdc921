"""The TranscriptSearch port in the database: PostgreSQL full-text search (tsvector + GIN) or
SQLite FTS5, over passages that keep each word's start.

Passages are written in the same transaction as their transcript (transcripts.py), so what
is stored is what is found. Queries arrive parsed (domain/search/passages.py): words and phrases,
never the engine's own syntax, so nothing typed into a search box can break the statement; each
term is searched in both spellings, British and American (search_terms.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archivist.adapters.sql import search_terms
from archivist.adapters.sql.database import Database
from archivist.adapters.sql.live_search import live_hits
from archivist.adapters.sql.tables import FTS_TABLE, schema
from archivist.domain import transcript_json
from archivist.domain.models import Hit, Query
from archivist.domain.search.passages import passages, spoken_at

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

MARK = ("«", "»")   # around matched words in a snippet; pages escape, then highlight them
# PostgreSQL looks first among the newest this many passages (about 130 hour-long meetings):
# when they hold a page of hits, a common word is answered from them without reading the
# whole archive; otherwise (a rarer query) the whole archive is searched (bench/web.py).
RECENT_PASSAGES = 50_000


class SqlSearch(Database):
    """Finds passages by words and phrases, best first, with the second each is spoken."""

    def search(self, query: Query, city: str | None = None, limit: int = 20,
               offset: int = 0) -> list[Hit]:
        if query.empty:
            return []

        limit, offset = max(1, min(limit, 200)), max(0, offset)

        def work(conn: Connection) -> list[Hit]:
            find = _postgresql if conn.dialect.name == "postgresql" else _sqlite
            live = live_hits(conn, query, city, limit + offset, MARK)
            if not live:   # the usual case: no live session says it
                return [_hit(row, query) for row in find(conn, query, city, limit, offset)]
            # Both, best first: the page is cut from the best `limit + offset` of each.
            found = [_hit(row, query) for row in find(conn, query, city, limit + offset, 0)]
            found = sorted(found + live, key=lambda hit: -hit.rank)
            return found[offset:offset + limit]
        return self._transaction(work)

    def reindex(self) -> int:
        table = schema().transcripts

        def work(conn: Connection) -> int:
            rows = conn.execute(table.select().with_only_columns(
                table.c.recording_id, table.c.body)).fetchall()
            for recording_id, body in rows:
                put_passages(conn, recording_id, transcript_json.loads(body))
            return len(rows)
        return self._transaction(work)


def put_passages(conn: Connection, recording_id: int, transcript: Any) -> None:
    """Make a recording's passages those of `transcript` (inside the caller's transaction).

    Only passages that changed are deleted and inserted: a correction changes a few of a long
    meeting's thousands, and each row costs the index (PostgreSQL's tsvector and GIN, SQLite's
    FTS5 triggers) far more than comparing it.
    """
    from collections import Counter

    from sqlalchemy import select

    table = schema().passages
    wanted = Counter((p.start, p.end, p.text, json.dumps(p.words, ensure_ascii=False))
                     for p in passages(transcript))
    stale: list[int] = []
    for row in conn.execute(select(table.c.id, table.c.start_seconds, table.c.end_seconds,
                                   table.c.text, table.c.words)
                            .where(table.c.recording_id == recording_id)):
        key = (row.start_seconds, row.end_seconds, row.text, row.words)
        if wanted[key] > 0:
            wanted[key] -= 1   # kept as it is
        else:
            stale.append(row.id)
    for at in range(0, len(stale), 500):   # within any driver's limit of bound parameters
        conn.execute(table.delete().where(table.c.id.in_(stale[at:at + 500])))
    rows = [{"recording_id": recording_id, "start_seconds": start, "end_seconds": end,
             "text": text, "words": words}
            for (start, end, text, words), count in wanted.items() for _ in range(count)]
    if rows:
        conn.execute(table.insert(), rows)


def _postgresql(conn: Connection, query: Query, city: str | None, limit: int,
                offset: int) -> list[Any]:
    from sqlalchemy import text

    tsquery, words = search_terms.tsquery(query)
    params: dict[str, Any] = dict(words)
    # Recordings are joined only for the page shown: joining them for every matching passage
    # costs more than the match itself (bench/web.py). A city is a hashed set of its ids.
    where_city = ("AND p.recording_id IN (SELECT id FROM recordings WHERE city = :city)"
                  if city else "")
    newest = conn.execute(text("SELECT max(id) FROM passages")).scalar() or 0
    params.update(city=city, limit=limit, offset=offset, floor=newest - RECENT_PASSAGES,
                  options=f"StartSel={MARK[0]}, StopSel={MARK[1]}, MaxWords=24, MinWords=12")
    # Rank and cut first; recordings and headlines (the slow part) only for the page shown.
    statement = f"""
        WITH q AS (SELECT {tsquery} AS q),
        best AS (
            SELECT p.id, ts_rank_cd(p.tsv, q.q) AS rank
            FROM passages p CROSS JOIN q
            WHERE p.tsv @@ q.q {where_city} {{recent}}
            ORDER BY rank DESC, p.recording_id DESC, p.start_seconds
            LIMIT :limit OFFSET :offset)
        SELECT p.recording_id, p.start_seconds, p.end_seconds, p.words, r.city, r.path,
               ts_headline('english', p.text, q.q, :options) AS snippet, best.rank
        FROM best JOIN passages p ON p.id = best.id
             JOIN recordings r ON r.id = p.recording_id CROSS JOIN q
        ORDER BY best.rank DESC, p.recording_id DESC, p.start_seconds"""
    if newest > RECENT_PASSAGES:
        recent = list(conn.execute(text(statement.format(recent="AND p.id > :floor")), params))
        if len(recent) == limit:
            return recent
    return list(conn.execute(text(statement.format(recent="")), params))


def _sqlite(conn: Connection, query: Query, city: str | None, limit: int,
            offset: int) -> list[Any]:
    from sqlalchemy import text

    match = search_terms.fts5_match(query)
    where_city = "AND r.city = :city" if city else ""
    statement = text(f"""
        SELECT p.recording_id, p.start_seconds, p.end_seconds, p.words, r.city, r.path,
               snippet({FTS_TABLE}, 0, :open, :close, '…', 24) AS snippet,
               -{FTS_TABLE}.rank AS rank
        FROM {FTS_TABLE} JOIN passages p ON p.id = {FTS_TABLE}.rowid
             JOIN recordings r ON r.id = p.recording_id
        WHERE {FTS_TABLE} MATCH :match {where_city}
        ORDER BY {FTS_TABLE}.rank, p.recording_id DESC, p.start_seconds
        LIMIT :limit OFFSET :offset""")
    return list(conn.execute(statement, {"match": match, "city": city, "limit": limit,
                                         "offset": offset, "open": MARK[0], "close": MARK[1]}))


def _hit(row: Any, query: Query) -> Hit:
    words = tuple((float(s), str(w)) for s, w in json.loads(row.words))
    return Hit(recording_id=row.recording_id, city=row.city, path=Path(row.path),
               start=spoken_at(words, query, row.start_seconds), end=row.end_seconds,
               snippet=row.snippet, rank=float(row.rank or 0.0))
