"""`archivist search`: find where something was said, from the command line."""

from __future__ import annotations

import json

import click

from archivist.domain.errors import ArchivistError
from archivist.entrypoints.cli.app import Context, _fail, cli, typed_city


@cli.command()
@click.argument("query", required=False, default="")
@click.option("--city", help="Only this city's meetings.")
@click.option("--limit", type=click.IntRange(1, 200), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--reindex", is_flag=True, help="Index every stored transcript again first.")
@click.pass_obj
def search(obj: Context, query: str, city: str | None, limit: int, as_json: bool,
           reindex: bool) -> None:
    """Meetings where QUERY was said: words, and "quoted phrases", all of which must be said."""
    from archivist.domain.search.passages import parse_query
    from archivist.entrypoints.web.ui.format import clock

    if city is not None:
        city = typed_city(obj, city)
    try:
        index = obj.container.search()
        if reindex:
            click.echo(f"indexed {index.reindex()} transcript(s)", err=True)
        words = parse_query(query)
        if words.empty:   # nothing typed (`--reindex` alone), or only punctuation
            if query or not reindex:
                click.echo("nothing to search for", err=True)
            return
        hits = index.search(words, city=city, limit=limit)
    except ArchivistError as exc:
        _fail(str(exc), 1)
    if as_json:
        click.echo(json.dumps({"results": [h.as_dict() for h in hits]}, indent=1))
        return
    for hit in hits:
        click.echo(f"{clock(hit.start):>8}  {hit.city:<12} {hit.path}\n          "
                   f"{hit.snippet.replace('«', '[').replace('»', ']')}")
    if not hits:
        click.echo("nothing found")
