"""The `archivist` command: caption recordings, check health, show the configuration."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

import click

from archivist.domain.errors import ArchivistError, ConfigError

FORMATS = ("scc", "srt", "vtt", "txt", "json")


class Context:
    """Loads the configuration and builds the container once, when a command first needs it."""

    def __init__(self, config_path: str | None) -> None:
        self.config_path = config_path
        self._config: dict[str, Any] | None = None
        self._container: Any = None

    @property
    def config(self) -> dict[str, Any]:
        if self._config is None:
            from archivist.providers import settings

            self._config = settings.load(self.config_path)
        return self._config

    @property
    def container(self) -> Any:
        if self._container is None:
            from archivist import containers

            self._container = containers.build(self.config)
        return self._container

    def close(self) -> None:
        if self._container is not None:
            from archivist import containers

            containers.shutdown(self._container)


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"archivist: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", metavar="FILE", envvar="ARCHIVIST_CONFIG",
              help="A YAML file laid over the defaults (or set ARCHIVIST_CONFIG).")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens, one event a line.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: bool) -> None:
    """Caption and archive public-meeting recordings."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    ctx.obj = Context(config_path)
    ctx.call_on_close(ctx.obj.close)


def _formats(value: str) -> list[str]:
    chosen = [f.strip().lower().lstrip(".") for f in value.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"unknown format {', '.join(unknown) or '(none)'}; "
                                 f"choose from {','.join(FORMATS)}")
    return list(dict.fromkeys(chosen))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write caption files here instead of beside each recording.")
@click.option("--formats", default=",".join(FORMATS), show_default=True,
              help="Comma-separated caption formats to write.")
@click.option("--model", help="Whisper model: 'bundled', a model name or a model folder.")
@click.option("--force", is_flag=True, help="Transcribe again even if this content was done before.")
@click.pass_obj
def transcribe(obj: Context, paths: tuple[Path, ...], out_dir: Path | None, formats: str,
               model: str | None, force: bool) -> None:
    """Caption recordings: write SCC, SRT, WebVTT, text and JSON transcripts beside each."""
    chosen = _formats(formats)
    try:
        if model:
            obj.config["whisper"]["model"] = model
        captioning = obj.container.captioning()
    except ArchivistError as exc:
        _fail(str(exc))
    failures = 0
    for path in paths:
        started = time.monotonic()
        with _ProgressBar(path.name) as bar:
            try:
                outcome = captioning.caption_file(path, chosen, out_dir=out_dir, force=force,
                                                  on_progress=bar.update)
            except ArchivistError as exc:  # e.g. the database is down: this file fails, not the run
                outcome = None
                error = str(exc)
        if outcome is None or outcome.status == "failed":
            failures += 1
            click.echo(f"error: {outcome.error if outcome else error}", err=True)
            continue
        seconds = time.monotonic() - started
        verb = "skipped" if outcome.status == "skipped" else "captioned"
        written = f", wrote {len(outcome.outputs)} file(s)" if outcome.outputs else ""
        click.echo(f"{verb}: {path} ({seconds:.1f}s{written})")
        for note in outcome.notes:
            click.echo(f"  note: {note}")
        for output in outcome.outputs:
            click.echo(f"  {output}")
    if failures:
        click.echo(f"{failures} of {len(paths)} recording(s) failed", err=True)
        sys.exit(1)


class _ProgressBar:
    """A progress bar with ETA on a terminal; silent when output is piped or logged."""

    def __init__(self, label: str) -> None:
        self._label = label
        self._bar: Any = None

    def __enter__(self) -> _ProgressBar:
        if sys.stderr.isatty():
            import shutil

            from tqdm import tqdm

            # A terminal that reports no size (e.g. under `script`) still gets a full bar.
            size = shutil.get_terminal_size((100, 24))
            self._bar = tqdm(total=100, desc=self._label[:40], unit="%", leave=False,
                             ncols=size.columns or 100, nrows=size.lines or 24,
                             bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}")
        return self

    def update(self, fraction: float, _eta: float | None) -> None:
        if self._bar is not None:
            self._bar.update(max(0.0, fraction * 100 - self._bar.n))
            if fraction >= 1.0:
                self._bar.refresh()  # show the finished bar before it is cleared

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()


@cli.command()
@click.argument("transcript", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write the files here instead of beside the transcript.")
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
def render(obj: Context, transcript: Path, out_dir: Path | None, formats: str, **rules: Any) -> None:
    """Render caption files again from a JSON transcript (perhaps corrected by hand), no model needed."""
    from archivist.domain import captions, transcript_json
    from archivist.domain.captions.settings import CaptionSettings
    from archivist.domain.captioning import sidecar_path

    chosen = _formats(formats)
    try:
        parsed = transcript_json.loads(transcript.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        _fail(f"{transcript}: not a UTF-8 text file", 1)
    except ArchivistError as exc:
        _fail(f"{transcript}: {exc}", 1)
    section = _caption_section(obj.config["captions"], rules)
    try:
        caption_settings = CaptionSettings.from_config(section)
        rendered = captions.render(parsed, chosen, caption_settings)
    except (ValueError, TypeError) as exc:
        _fail(f"caption settings: {exc}")
    library = obj.container.library()
    for fmt, text in rendered.items():
        target = sidecar_path(transcript, fmt, out_dir)
        if target.resolve() == transcript.resolve():
            click.echo(f"skipped {fmt}: would overwrite the transcript being read", err=True)
            continue
        click.echo(str(library.write_sidecar(target, text)))


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


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def health(obj: Context, as_json: bool) -> None:
    """Check every gateway at once; exit non-zero if any is down."""
    from archivist.domain.health import Status, overall

    try:
        report = obj.container.health_report()
    except ArchivistError as exc:
        _fail(str(exc))
    status = overall(report)
    if as_json:
        click.echo(json.dumps({"status": str(status), "gateways": [h.as_dict() for h in report]}, indent=1))
    else:
        width = max(len(h.name) for h in report)
        for h in report:
            click.echo(f"{h.name:<{width}}  {h.status:<8}  {h.seconds:6.2f}s  {h.detail}")
    sys.exit(1 if status is Status.DOWN else 0)


@cli.command()
@click.option("--host", help="Address to listen on (config web.host).")
@click.option("--port", type=int, help="Port to listen on (config web.port).")
@click.pass_obj
def serve(obj: Context, host: str | None, port: int | None) -> None:
    """Serve the web app and REST API on a production WSGI server (waitress)."""
    import waitress

    from archivist.entrypoints.web import create_app

    web = obj.config["web"]
    app = create_app(obj.config, container=obj.container)
    waitress.serve(app, host=host or web["host"], port=port or web["port"], threads=8)


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def worker(obj: Context, celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker that takes transcription jobs (extra arguments go to Celery)."""
    import os

    _ = obj.config  # a bad configuration fails here, in one line, before Celery starts
    if obj.config_path:
        os.environ["ARCHIVIST_CONFIG"] = obj.config_path  # the worker reads it in each process
    from archivist.entrypoints.worker import celery_app

    celery_app.worker_main(["worker", "--loglevel=INFO", *celery_args])


@cli.group()
def config() -> None:
    """Inspect the configuration."""


@config.command("show")
@click.pass_obj
def config_show(obj: Context) -> None:
    """Print the effective configuration, secrets masked."""
    import yaml

    from archivist.providers import settings

    click.echo(yaml.safe_dump(settings.masked(obj.config), sort_keys=False), nl=False)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry: configuration errors become one line, not a traceback."""
    try:
        cli.main(args=argv, prog_name="archivist", standalone_mode=True)
    except ConfigError as exc:
        _fail(f"configuration: {exc}")




if __name__ == "__main__":
    main()
