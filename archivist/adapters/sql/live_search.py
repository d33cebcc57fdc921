"""Search over live sessions' passages, beside the recordings' (search.py): what a live
meeting said is found while it runs, until the recording it became is captioned; from then
on the recording's passages are found instead (never both)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archivist.adapters.sql import search_terms
from archivist.adapters.sql.tables import LIVE_FTS_TABLE
from archivist.domain.models import Hit, Query
from archivist.domain.search.passages import spoken_at

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# A session whose recording is captioned is replaced by it.
_NOT_REPLACED = ("NOT EXISTS (SELECT 1 FROM transcripts t "
                 "WHERE t.recording_id = s.recording_id)")


def live_hits(conn: Connection, query: Query, city: str | None, limit: int,
              mark: tuple[str, str]) -> list[Hit]:
    """The best `limit` passages of live sessions not yet replaced that say `query`."""
    from sqlalchemy import text

    where_city = "AND s.city = :city" if city else ""
    if conn.dialect.name == "postgresql":
        tsquery, words = search_terms.tsquery(query)
        params: dict[str, Any] = dict(words)
        params["options"] = f"StartSel={mark[0]}, StopSel={mark[1]}, MaxWords=24, MinWords=12"
        statement = f"""
            WITH q AS (SELECT {tsquery} AS q)
            SELECT s.name AS session, s.city, p.start_seconds, p.end_seconds, p.words,
                   ts_headline('english', p.text, q.q, :options) AS snippet,
                   ts_rank_cd(p.tsv, q.q) AS rank
            FROM live_passages p JOIN live_sessions s ON s.id = p.session_id CROSS JOIN q
            WHERE p.tsv @@ q.q {where_city} AND {_NOT_REPLACED}
            ORDER BY rank DESC, s.started_at DESC, p.start_seconds
            LIMIT :limit"""
    else:
        params = {"match": search_terms.fts5_match(query), "open": mark[0], "close": mark[1]}
        statement = f"""
            SELECT s.name AS session, s.city, p.start_seconds, p.end_seconds, p.words,
                   snippet({LIVE_FTS_TABLE}, 0, :open, :close, '…', 24) AS snippet,
                   -{LIVE_FTS_TABLE}.rank AS rank
            FROM {LIVE_FTS_TABLE} JOIN live_passages p ON p.id = {LIVE_FTS_TABLE}.rowid
                 JOIN live_sessions s ON s.id = p.session_id
            WHERE {LIVE_FTS_TABLE} MATCH :match {where_city} AND {_NOT_REPLACED}
            ORDER BY {LIVE_FTS_TABLE}.rank, s.started_at DESC, p.start_seconds
            LIMIT :limit"""
    params.update(city=city, limit=limit)
    return [_hit(row, query) for row in conn.execute(text(statement), params)]


def _hit(row: Any, query: Query) -> Hit:
    words = tuple((float(s), str(w)) for s, w in json.loads(row.words))
    return Hit(recording_id=None, city=row.city, path=Path("live", row.city, row.session),
               start=spoken_at(words, query, row.start_seconds), end=row.end_seconds,
               snippet=row.snippet, rank=float(row.rank or 0.0), live_session=row.session)
