"""`archivist transcribe`: caption recordings given on the command line."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import click

from archivist.domain.captions import FORMATS
from archivist.domain.errors import ArchivistError
from archivist.domain.jobs.outcomes import Outcome
from archivist.domain.jobs.stops import RunStopped
from archivist.entrypoints.cli.app import (
    Answered,
    Context,
    _fail,
    _formats,
    cli,
    error_line,
    typed_city,
)
from archivist.entrypoints.cli.review import record

if TYPE_CHECKING:
    from archivist.domain.jobs.rules import Jobs


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="PATH...")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write caption files here instead of beside each recording.")
@click.option("--formats", default=",".join(FORMATS), show_default=True,
              help="Comma-separated caption formats to write.")
@click.option("--model", help="Whisper model: 'auto' (the default), 'bundled', 'base', a model name or a model folder.")
@click.option("--force", is_flag=True, help="Transcribe again even if this content was done before.")
@click.option("--city", default="", help="The city the recordings belong to (by its name in "
              "library.cities): its vocabulary is used. Default: the city whose mount holds each.")
@click.option("--vocabulary", default="", metavar='"NAME, TERM, ..."',
              help="Comma-separated names and terms the recordings use (council members, streets), "
                   "added to whisper.vocabulary and the city's.")
@click.pass_obj
def transcribe(obj: Context, paths: tuple[Path, ...], out_dir: Path | None, formats: str,
               model: str | None, force: bool, city: str, vocabulary: str) -> None:
    """Caption recordings (or every recording in a folder): write SCC, SRT, WebVTT, text and
    JSON transcripts beside each, or into --out."""
    from archivist.entrypoints.cli import inputs

    chosen = _formats(formats)
    if model:  # for these recordings, whatever their cities name
        obj.config["whisper"]["model"] = model
        for entry in obj.config["library"]["cities"] or []:
            if isinstance(entry, dict):
                entry.pop("model", None)
    if vocabulary:
        obj.config["whisper"]["vocabulary"] = [*(obj.config["whisper"].get("vocabulary") or []),
                                               *(t.strip() for t in vocabulary.split(",") if t.strip())]
    if city:
        city = typed_city(obj, city)
    # Absolute: the paths are stored, and must mean the same file to a worker started elsewhere.
    media = [p.absolute() for p in inputs.expand(paths, obj.config["library"]["extensions"])]
    if not media:
        _fail(f"no media files in {', '.join(map(str, paths))} "
              f"(looked for: {', '.join(obj.config['library']['extensions'])})", 1)
    if out_dir is not None:
        out_dir = out_dir.absolute()
        problem = inputs.writable_folder(out_dir)
        if problem:
            _fail(problem)
    _stop_on_signals()
    try:
        _ready_model(obj.config)
        try:
            jobs = obj.container.jobs()
        except ArchivistError as exc:
            _fail(error_line(exc))
        clashing = inputs.clashes(media, out_dir)
        failures = _caption_each(obj, jobs, media, clashing, chosen, out_dir, force, city, model)
    except KeyboardInterrupt as stopped:   # before a file's job (the model loading), or after
        click.echo(f"interrupted{' (SIGTERM)' if isinstance(stopped, Terminated) else ''}",
                   err=True)
        raise Answered(_status(stopped)) from None
    if failures:
        click.echo(f"{failures} of {len(media)} recording(s) failed", err=True)
        sys.exit(1)


def _caption_each(obj: Context, jobs: Jobs, media: list[Path], clashing: dict[Path, Path],
                  chosen: list[str], out_dir: Path | None, force: bool, city: str,
                  model: str | None) -> int:
    """Caption each file in turn, saying how each went; how many failed."""
    failures = 0
    for path in media:
        if path in clashing:
            failures += 1
            click.echo(f"error: {path}: its caption files would overwrite those of "
                       f"{clashing[path]} (same name); give it its own --out", err=True)
            continue
        started = time.monotonic()
        error = ""
        try:
            with _ProgressBar(path.name) as bar:
                try:
                    run = jobs.caption_here(path, chosen, out_dir=out_dir, force=force,
                                            on_progress=bar.update, city=city)
                except ArchivistError as exc:  # e.g. the database is down: this file fails
                    run, error = None, error_line(exc)
        except RunStopped as stopped:  # said once the bar is cleared, on a line of its own
            click.echo(f"interrupted: {path} ({stopped.job_now})", err=True)
            raise Answered(_status(stopped.by)) from None
        if run is not None and run.job is not None:
            record(obj, "recording.transcribe", f"recording:{run.job.recording_id}",
                   {"path": str(path), "job": run.job.id, "outcome": str(run.outcome),
                    "model": obj.config["whisper"]["model"] if model else "", "force": force})
        if run is None or run.outcome not in (Outcome.SUCCEEDED, Outcome.REUSED):
            failures += 1
            click.echo(f"error: {error or _why(run)}", err=True)
            continue
        seconds = time.monotonic() - started
        verb = "skipped" if run.outcome is Outcome.REUSED else "captioned"
        written = f", wrote {len(run.outputs)} file(s)" if run.outputs else ""
        click.echo(f"{verb}: {path} ({seconds:.1f}s{written})")
        notes = [f"already captioned (job {run.job.id})"] if run.outcome is Outcome.REUSED and run.job \
            else (run.job.notes if run.job else [])
        for note in notes:
            click.echo(f"  note: {note}")
        for output in run.outputs:
            click.echo(f"  {output}")
    return failures


class Terminated(KeyboardInterrupt):
    """SIGTERM, met as Ctrl-C is (its text says which, for the job's error)."""


def _stop_on_signals() -> None:
    """Ctrl-C and SIGTERM (`kill`, `timeout`, systemd stopping a unit) stop the run: the first
    raises, as a KeyboardInterrupt (Terminated names SIGTERM), and the running job is marked;
    later ones only say to wait, since one landing while the job is being marked would leave
    it "running" (the writes are bounded by the database's timeouts). A Ctrl-C ignored when
    the command started (`archivist transcribe ... &` in a script) stays ignored."""
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        if stopping:
            # Not click.echo: a handler that writes to a stream the run was writing to when
            # the signal came raises "reentrant call".
            os.write(2, b"still stopping: its job is being marked\n")
            return
        stopping = True
        raise Terminated("SIGTERM") if signum == signal.SIGTERM else KeyboardInterrupt()

    signal.signal(signal.SIGTERM, stop)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, stop)


def _status(stopped: KeyboardInterrupt) -> int:
    """The exit status of a run stopped by `stopped`: 143 for SIGTERM, 130 for Ctrl-C."""
    return 143 if isinstance(stopped, Terminated) else 130


def _ready_model(config: dict[str, Any]) -> None:
    """Bring the Whisper model onto this machine (joined, or downloaded once) before any file,
    or fail with one line saying why."""
    from archivist.adapters.whisper import models

    try:
        models.locate(config["whisper"]["model"], config["data_dir"],
                      config["whisper"]["allow_download"])
    except models.ModelUnavailable as exc:
        _fail(f"whisper model: {exc}")


def _why(run: Any) -> str:
    """One line for a job that did not end with captions."""
    job = run.job if run else None
    if run is not None and run.outcome is Outcome.REQUEUED:
        return f"{job.error if job else 'a backend was unavailable'} (job {job.id if job else '?'} " \
               "is queued again for a worker)"
    return (job.error if job and job.error else None) or f"job ended {run.outcome if run else '?'}"


class _ProgressBar:
    """A progress bar with ETA on a terminal; silent when output is piped or logged."""

    def __init__(self, label: str) -> None:
        self._label = label
        self._bar: Any = None

    def __enter__(self) -> Self:
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
