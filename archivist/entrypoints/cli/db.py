"""`archivist db`: the database schema."""

from __future__ import annotations

import click

from archivist.domain.errors import ArchivistError
from archivist.entrypoints.cli.app import Context, _fail, cli


@cli.group()
def db() -> None:
    """Inspect or migrate the database schema."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(obj: Context) -> None:
    """Migrate the database schema to this Archivist's revision (back it up first)."""
    try:
        before, after = obj.container.migrations().upgrade()
    except ArchivistError as exc:
        _fail(str(exc), 1)
    if before == after:
        click.echo(f"database schema already at revision {after}")
    else:
        click.echo(f"database schema migrated from {before or 'empty'} to {after}")


@db.command("status")
@click.pass_obj
def db_status(obj: Context) -> None:
    """Show the schema's revision and whether it is the one this Archivist needs."""
    try:
        state = obj.container.migrations().status()
    except ArchivistError as exc:
        _fail(str(exc), 1)
    now = state["revision"] or "empty"
    verdict = "up to date" if state["up_to_date"] else "run `archivist db upgrade`"
    click.echo(f"revision {now}, this Archivist needs {state['head']}: {verdict}")
