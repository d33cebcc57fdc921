"""`archivist recordings list` (review state), `archivist audit`, and what `render` does with
the corrected JSON of a recording the database knows: a revision, applied like the editor's."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Any

import click

from archivist.domain.errors import ArchivistError
from archivist.entrypoints.cli.app import Context, _fail, cli, typed_city


def actor() -> str:
    """`cli:<user>`, as the audit log and revisions name a person at the command line."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def record(obj: Context, action: str, target: str, detail: dict[str, Any] | None = None) -> None:
    """Write an audit entry for a change made at the command line (never fails the command)."""
    from archivist.domain.review.audit import entry

    try:
        obj.container.audit_log().record(entry(actor(), action, target, detail))
    except ArchivistError as exc:
        click.echo(f"warning: not written to the audit log: {exc}", err=True)


def recording_beside(obj: Context, transcript: Path) -> Any:
    """The recording the database knows beside a JSON transcript (same name), or None."""
    repo = obj.container.repository()
    for ext in obj.config["library"]["extensions"]:
        media = transcript.with_suffix(f".{ext}").absolute()
        known = repo.known_file(media) if media.exists() else None
        if known is None:
            known = repo.known_file(media.resolve()) if media.exists() else None
        if known is not None:
            found = repo.recording_by_hash(known.content_hash)
            if found is not None:
                return found
    return None


def read_transcript(transcript: Path) -> Any:
    """The JSON transcript, or one line saying where it is not valid (and exit 1)."""
    from archivist.domain import transcript_json

    try:
        return transcript_json.loads(transcript.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        _fail(f"{transcript}: not a UTF-8 text file", 1)
    except OSError as exc:
        _fail(f"{transcript}: cannot read it ({exc.strerror})", 1)
    except ArchivistError as exc:
        _fail(f"{transcript}: {exc}", 1)


def save_from_file(obj: Context, transcript: Path, recording: Any, note: str) -> None:
    """Record the JSON as the recording's next revision and apply it; one line either way."""
    from archivist.domain.review.revisions import EditedLine

    parsed = read_transcript(transcript)
    # Zero-length lines are the transcriber's; an edit needs each line to last a moment.
    lines = [EditedLine(s.start, max(s.end, s.start + 0.01), s.text, s.words)
             for s in parsed.segments if s.text.strip()]
    reviews = obj.container.reviews()
    try:
        current, _ = reviews.revision(recording.id)
        saved = reviews.save(recording.id, lines, current.number, actor(), note)
    except ArchivistError as exc:
        _fail(f"{transcript}: {exc}", 1)
    if not saved.created:
        click.echo(f"recording {recording.id}: no change from revision {saved.revision.number}")
        return
    applied = saved.applied.as_dict()
    record(obj, "transcript.save", f"recording:{recording.id}",
           {"revision": saved.revision.number, "file": str(transcript), "applied": applied})
    click.echo(f"recording {recording.id}: revision {saved.revision.number} saved; captions "
               f"{applied['captions']}, search {applied['search']}, cablecast {applied['cablecast']}")
    for problem in saved.applied.problems:
        click.echo(f"pending: {problem}", err=True)
    if saved.suggested:
        click.echo(f"names to add to the city's vocabulary: {', '.join(saved.suggested)}")


@cli.group()
def recordings() -> None:
    """Recordings with a transcript, and where each is in review."""


@recordings.command("list")
@click.option("--city", help="Only this city's recordings.")
@click.option("--state", type=click.Choice(["machine", "in_review", "approved"]),
              help="Only recordings in this review state.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@click.pass_obj
def recordings_list(obj: Context, city: str | None, state: str | None, limit: int,
                    as_json: bool) -> None:
    """Recordings newest first: review state, current revision, who approved it."""
    from archivist.domain.review.state import ReviewState

    if city is not None:
        city = typed_city(obj, city)
    try:
        found = obj.container.revisions().reviews(city, ReviewState(state) if state else None,
                                                  limit)
    except ArchivistError as exc:
        _fail(str(exc), 1)
    rows = []
    for review, city_name, path in found:
        shown = review.as_dict()
        shown["approved_revision"] = shown.pop("revision")
        rows.append({"recording": review.recording_id, "city": city_name, "path": path,
                     "revision": review.revision, **shown})
    if as_json:
        click.echo(json.dumps({"recordings": rows}, indent=1))
        return
    for row in rows:
        who = f" by {row['approved_by']}" if row["approved_by"] else ""
        pending = f"  pending: {', '.join(row['pending'])}" if row["pending"] else ""
        click.echo(f"{row['recording']:>6}  {row['city']:<14} {row['state']:<10}{who:<16} "
                   f"rev {row['revision']:<4} {row['path']}{pending}")
    if not rows:
        click.echo("no recordings")


@cli.command()
@click.option("--actor", help="e.g. staff:clerk, token:ci, cli:root")
@click.option("--action", help="e.g. transcript.save, job.cancel")
@click.option("--recording", type=click.IntRange(1), help="Changes to this recording.")
@click.option("--limit", type=click.IntRange(1, 500), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@click.pass_obj
def audit(obj: Context, actor: str | None, action: str | None, recording: int | None,
          limit: int, as_json: bool) -> None:
    """Who changed what, when and from where; newest first."""
    from archivist.domain.review.audit import AuditQuery

    query = AuditQuery(actor=actor, action=action, limit=limit,
                       target=f"recording:{recording}" if recording else None)
    try:
        found = obj.container.audit_log().entries(query)
    except ArchivistError as exc:
        _fail(str(exc), 1)
    if as_json:
        click.echo(json.dumps({"entries": [e.as_dict() for e in found]}, indent=1))
        return
    for e in found:
        where = f" from {e.address}" if e.address else ""
        click.echo(f"{e.at.isoformat(timespec='seconds')}  {e.actor:<16} {e.action:<20} "
                   f"{e.target}{where}  {json.dumps(dict(e.detail), ensure_ascii=False)}")
    if not found:
        click.echo("no entries")
