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
            from tqdm import tqdm

            self._bar = tqdm(total=100, desc=self._label[:40], unit="%", leave=False,
                             bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}")
        return self

    def update(self, fraction: float, _eta: float | None) -> None:
        if self._bar is not None:
            self._bar.update(max(0.0, fraction * 100 - self._bar.n))

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()


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
