"""`archivist report`: the caption compliance report of a recording, from its kept transcript."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archivist.domain.errors import ArchivistError
from archivist.entrypoints.cli.app import Context, _fail, cli


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def report(obj: Context, path: Path, as_json: bool) -> None:
    """Check a recording's captions against the caption rules (PATH: the recording or its .json
    transcript). Exits 0 when every target passes, 1 when one fails."""
    from archivist.domain.captions import compliance
    from archivist.domain.captions.settings import CaptionSettings
    from archivist.domain.sidecars import sidecar_path

    transcript = path if path.suffix.lower() == ".json" else sidecar_path(path, "json")
    if not transcript.is_file():
        _fail(f"{path}: no transcript beside it ({transcript.name}); make one with "
              f"`archivist transcribe \"{path}\"` (the json format is written by default)")
    try:
        settings = CaptionSettings.from_config(obj.config["captions"])
    except (ValueError, TypeError) as exc:
        _fail(f"caption settings: {exc}")
    try:
        found = obj.container.captioning(settings=settings).report(transcript)
    except ArchivistError as exc:
        _fail(str(exc))
    if as_json:
        click.echo(compliance.dumps(found), nl=False)
    else:
        click.echo(compliance.describe(found, path.name), nl=False)
    sys.exit(0 if found.passed else 1)
