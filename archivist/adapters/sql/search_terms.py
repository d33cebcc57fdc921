"""A parsed query (domain/search/passages.py) as each database's full-text expression: its
terms all said, each in any of its spellings (British or American: `spellings`).

Only the words are bound or quoted, never the engine's syntax from what was typed.
"""

from __future__ import annotations

from archivist.domain.models import Query
from archivist.domain.search.passages import spellings


def tsquery(query: Query) -> tuple[str, dict[str, str]]:
    """PostgreSQL: a tsquery expression (its words bound parameters, returned with it): each
    term's spellings as phrases, any of which matches, and every term."""
    params: dict[str, str] = {}
    terms = []
    for i, term in enumerate(query.terms):
        forms = []
        for j, form in enumerate(spellings(term)):
            params[f"t{i}_{j}"] = " ".join(form)
            forms.append(f"phraseto_tsquery('english', :t{i}_{j})")
        terms.append("(" + " || ".join(forms) + ")")
    return " && ".join(terms), params


def fts5_match(query: Query) -> str:
    """SQLite FTS5: each term's spellings as quoted phrases, any of which matches, and every
    term (the words are letters, digits and apostrophes: parse_query)."""
    return " AND ".join("(" + " OR ".join('"' + " ".join(form) + '"' for form in spellings(term))
                        + ")" for term in query.terms)
