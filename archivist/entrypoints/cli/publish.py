"""`archivist publish` and `archivist fake-cablecast`: captions onto the station's VOD server."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from archivist.domain.errors import ArchivistError, CablecastError
from archivist.entrypoints.cli.app import Context, _fail, cli
from archivist.entrypoints.cli.review import record


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--show", "show_id", type=int,
              help="Link to this Cablecast show (staff's choice, kept for later publishes).")
@click.option("--json", "as_json", is_flag=True,
              help="Print each recording's show, VOD, sidecar mode and chapters as JSON.")
@click.pass_obj
def publish(obj: Context, paths: tuple[Path, ...], show_id: int | None, as_json: bool) -> None:
    """Publish captioned recordings to Cablecast: link the show, deliver the SCC, add chapters.

    Publishing again is safe: nothing already on the server is added twice.
    """
    try:
        publications = obj.container.publications()
    except ArchivistError as exc:
        _fail(str(exc), 1)
    results, failures = [], 0
    for path in paths:
        try:
            done = publications.publish_path(path.absolute(), show_id=show_id)
        except CablecastError as exc:
            # Refused credentials are wrong for every recording: say it once and stop.
            _fail(str(exc), 1)
        except ArchivistError as exc:
            failures += 1
            results.append({"media": str(path), "state": "failed", "error": str(exc)})
            if not as_json:
                click.echo(f"error: {exc}", err=True)
            continue
        results.append(done.as_dict())
        record(obj, "recording.publish", f"file:{path.absolute()}",
               {"state": str(done.state), "show": done.show_id})
        if done.state != "published":
            failures += 1
        if not as_json:
            _say(done.as_dict())
    if as_json:
        click.echo(json.dumps(results, indent=1))
    sys.exit(1 if failures else 0)


def _say(done: dict[str, object]) -> None:
    click.echo(f"{done['state']}: {done['media']}")
    if done.get("show"):
        click.echo(f"  show {done['show']} ({done['link_reason']}), vod {done['vod'] or '-'}")
    elif done.get("link_reason"):
        click.echo(f"  {done['link_reason']}")
    if done.get("sidecar_ref"):
        click.echo(f"  sidecar ({done['sidecar']}): {done['sidecar_ref']}")
    chapters: Any = done.get("chapters") if done["state"] == "published" else []
    for chapter in chapters or []:
        click.echo(f"  chapter {chapter['offset']:>5}s  {chapter['title']}")
    notes: Any = done.get("notes") or []
    for note in notes:
        click.echo(f"  note: {note}")
    if done.get("error"):
        click.echo(f"  error: {done['error']}", err=True)


@cli.command("fake-cablecast")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def fake_cablecast(port: int, host: str) -> None:
    """Run a stand-in Cablecast server with seeded shows, for demos and trying a setup."""
    from archivist.testing.fake_cablecast.server import main

    try:
        main(port=port, host=host)
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", 1)
