"""`archivist render`: a corrected JSON transcript of a known recording becomes its next
revision, applied like the editor's; with --out, caption files only, into that folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from archivist.domain.errors import ArchivistError
from archivist.entrypoints.cli.app import Context, _fail, _formats, cli


@cli.command()
@click.argument("transcript", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Only write caption files, into this folder (no revision is recorded).")
@click.option("--note", default="", help="Why the transcript changed (kept with the revision).")
@click.option("--formats", default="scc,srt,vtt,txt", show_default=True,
              help="Comma-separated formats to render.")
@click.option("--max-chars", type=click.IntRange(10, 32), help="Broadcast (SCC) characters a line.")
@click.option("--web-max-chars", type=click.IntRange(10, 80),
              help="WebVTT/SRT characters a line (42 is the web profile).")
@click.option("--max-lines", type=click.IntRange(1, 4), help="Lines a caption.")
@click.option("--max-cps", type=click.FloatRange(5, 40), help="Reading rate, characters a second.")
@click.option("--min-duration", type=click.FloatRange(0.5, 10), help="Seconds a caption, at least.")
@click.option("--max-duration", type=click.FloatRange(1, 20), help="Seconds a caption, at most.")
@click.option("--start-timecode", help="SCC start timecode, e.g. 01:00:00;00.")
@click.pass_obj
def render(obj: Context, transcript: Path, out_dir: Path | None, note: str, formats: str,
           **rules: Any) -> None:
    """Record a corrected JSON transcript as its recording's next revision and bring every
    output in step (caption files, search, Cablecast), as the editor does; or, with --out,
    render caption files only into a folder. No model is needed."""
    from dependency_injector import providers

    from archivist.domain.captions.settings import CaptionSettings
    from archivist.entrypoints.cli import review

    chosen = _formats(formats)
    try:
        caption_settings = CaptionSettings.from_config(_caption_section(obj.config["captions"], rules))
    except (ValueError, TypeError) as exc:
        _fail(f"caption settings: {exc}")
    if out_dir is None:
        review.read_transcript(transcript)   # a broken file is named first, whatever else
        recording = review.recording_beside(obj, transcript)
        if recording is None:
            _fail(f"{transcript}: no recording Archivist knows lies beside it under the same "
                  "name; nothing changed (to render caption files only, add --out DIR)", 1)
        obj.container.caption_settings.override(providers.Object(caption_settings))
        review.save_from_file(obj, transcript, recording, note)
        return
    captioning = obj.container.captioning(settings=caption_settings)
    try:
        written, skipped = captioning.render(transcript, chosen, out_dir)
    except ArchivistError as exc:
        _fail(str(exc), 1)
    except (ValueError, TypeError) as exc:
        _fail(f"caption settings: {exc}")
    for why in skipped:
        click.echo(f"skipped {why}", err=True)
    for path in written:
        click.echo(str(path))


def _caption_section(section: dict[str, Any], rules: dict[str, Any]) -> dict[str, Any]:
    """The `captions` config with any command-line rule laid over both profiles."""
    import copy

    section = copy.deepcopy(section)
    for key in ("max_lines", "max_cps", "min_duration", "max_duration"):
        if rules.get(key) is not None:
            section["broadcast"][key] = section["web"][key] = rules[key]
    if rules.get("max_chars") is not None:
        section["broadcast"]["max_chars"] = rules["max_chars"]
    if rules.get("web_max_chars") is not None:
        section["web"]["max_chars"] = rules["web_max_chars"]
    if rules.get("start_timecode"):
        section["scc"]["start_timecode"] = rules["start_timecode"]
    return section
