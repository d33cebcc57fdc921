"""`archivist health`: probe every gateway at once."""

from __future__ import annotations

import json

import click

from archivist.domain.errors import ArchivistError
from archivist.entrypoints.cli.app import Answered, Context, _fail, cli, error_line


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def health(obj: Context, as_json: bool) -> None:
    """Check every gateway at once; exit non-zero if any is down."""
    from archivist.domain.health import Status, overall
    from archivist.providers import startup

    try:
        probe_all = obj.container.health_report
    except ArchivistError as exc:
        _fail(error_line(exc))
    startup.mark("cli", "ready")
    try:
        report = probe_all()
    except ArchivistError as exc:
        _fail(error_line(exc))
    status = overall(report)
    timing = startup.figures()
    if as_json:
        click.echo(json.dumps({"status": str(status), "gateways": [h.as_dict() for h in report],
                               "startup": timing.as_dict()}, indent=1))
    else:
        width = max(len(h.name) for h in report)
        for h in report:
            click.echo(f"{h.name:<{width}}  {h.status:<8}  {h.seconds:6.2f}s  {h.detail}")
        for process, phases in timing.processes.items():
            shown = "  ".join(f"{phase} {seconds:.2f}s" for phase, seconds in phases.items())
            click.echo(f"startup ({process}, from {timing.since}):  {shown}")
    raise Answered(1 if status is Status.DOWN else 0)
