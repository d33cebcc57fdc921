"""`archivist report`: the caption compliance report of a recording, from its kept transcript."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

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
    media = path if path.suffix.lower() != ".json" else None
    accuracy = _accuracy(obj, media)
    if as_json:
        data = json.loads(compliance.dumps(found))
        data["accuracy"] = accuracy
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(compliance.describe(found, path.name), nl=False)
        click.echo(f"\nAccuracy: {accuracy['text']}")
    sys.exit(0 if found.passed else 1)


def _accuracy(obj: Context, media: Path | None) -> dict[str, Any]:
    """The machine's word error rate against a person's words, as the database has it
    ({"text": a line for a person, "measure": the figure or None})."""
    if media is None:
        return {"measure": None, "text": "give the recording, not its transcript, to see it"}
    try:
        best, _ = obj.container.accuracy().of_file(media.resolve())
    except ArchivistError as exc:
        return {"measure": None, "text": f"not read: {exc}"}
    if best is None:
        return {"measure": None, "text": "not measured yet (approve a revision in review, or "
                                         f"put a person's captions beside it as "
                                         f"{media.stem}.human.scc or .human.vtt and scan)"}
    return {"measure": best.as_dict(), "text": best.describe()}
