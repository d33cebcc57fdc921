"""`archivist scan`: find new recordings on the city mounts and queue them."""

from __future__ import annotations

import json
import sys

import click

from archivist.domain.errors import ArchivistError
from archivist.entrypoints.cli.app import Context, _fail, cli, typed_city
from archivist.entrypoints.cli.review import record


@cli.command()
@click.option("--city", help="Scan only this city (by its name in library.cities).")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"queued": [{"path", "job_id"}], "skipped": [{"path", "reason"}], '
                   '"unreadable": [{"path", "reason"}], "unreachable": [{"city", "reason"}], '
                   '"not_queued": [{"path", "reason"}], "measured": [{"path", "accuracy"}]}.')
@click.pass_obj
def scan(obj: Context, city: str | None, as_json: bool) -> None:
    """Queue every new recording on the city mounts, newest first; say why others were left."""
    try:
        if not obj.container.library().cities():
            _fail("no city mounts configured: add library.cities to the configuration "
                  "(e.g. [{name: Riverton, path: /mnt/flex-3}])")
        if city is not None:
            city = typed_city(obj, city)
        report = obj.container.scanner().scan(city)
    except ArchivistError as exc:
        _fail(str(exc), 1)
    if report.database_down and not report.queued:   # waited out once: not again for nothing
        click.echo(f"warning: not written to the audit log: {report.database_down}", err=True)
    else:
        record(obj, "library.scan", f"city:{city}" if city else "",
               {"queued": [job_id for _, job_id in report.queued], "skipped": len(report.skipped),
                "unreadable": len(report.unreadable),
                "unreachable": [name for name, _ in report.unreachable]})
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=1))
    else:
        for path, job_id in report.queued:
            click.echo(f"queued   job {job_id}: {path}")
        for path, reason in report.skipped:
            click.echo(f"skipped  {path}: {reason}")
        for path, reason in report.unreadable:
            click.echo(f"unreadable  {path}: {reason}", err=True)
        for name, reason in report.unreachable:
            click.echo(f"unreachable  {name}: {reason}", err=True)
        for path, reason in report.not_queued:
            click.echo(f"not queued  {path}: {reason}", err=True)
        for path, accuracy in report.measured:
            click.echo(f"measured {path}: {accuracy}")
        click.echo(f"{len(report.queued)} queued, {len(report.skipped)} skipped"
                   + (f", {len(report.unreadable)} file(s) unreadable" if report.unreadable else "")
                   + (f", {len(report.unreachable)} city mount(s) unreachable"
                      if report.unreachable else "")
                   + (f", {len(report.not_queued)} not queued (the next scan tries again)"
                      if report.not_queued else ""))
    sys.exit(1 if report.unreachable or report.not_queued else 0)
