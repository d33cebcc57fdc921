"""`archivist live start|stop|status` and `archivist fake-encoder`: live captions for live meetings."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from archivist.entrypoints.cli.app import Context, _fail, cli
from archivist.entrypoints.live_keeping import TranscriptKeeping
from archivist.entrypoints.live_report import (
    latency_figures,
    latency_said,
    live_cities,
    reports,
    session_report,
)

# Seconds `live stop` waits for the session to end; the session's own ending is bounded by
# its loop (0.2 s), one last decode and the encoder's goodbye.
_STOP_WAIT = 20.0
_ENCODER_CLOSE = 3.0


def find_city(config: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The configured city called `name` (any case), or a one-line error naming the others."""
    from archivist.domain.city_names import UnknownCity, city_name

    cities = live_cities(config["library"]["cities"])
    try:
        wanted = city_name((c["name"] for c in cities), name)
    except UnknownCity as exc:
        _fail(str(exc))
    return next(c for c in cities if str(c["name"]) == wanted)


@cli.group()
def live() -> None:
    """Live captions for live meetings: start, stop, status."""


@live.command("start")
@click.argument("city")
@click.option("--source", metavar="URL", help="What ffmpeg reads: udp://, srt://, rtmp://, an "
              "HLS URL, or a file (played at real-time speed). Default: the city's live.source.")
@click.pass_obj
def start(ctx: Context, city: str, source: str | None) -> None:
    """Caption CITY's live meeting in the foreground until `live stop` or Ctrl-C."""
    from archivist.domain.errors import ArchivistError
    from archivist.domain.live.kept import LiveKeeper
    from archivist.domain.live.rollup import RollUp
    from archivist.domain.live.session import LiveSession
    from archivist.domain.live.settings import LiveSettings

    config = ctx.config
    found = find_city(config, city)
    name = str(found["name"])
    setup: Mapping[str, Any] = found.get("live") or {}
    if source is not None and not source.strip():   # "" would quietly mean the configured one
        _fail("--source is empty: give a URL or a file, or leave --source out for the city's "
              "live.source", 2)
    source = source or setup.get("source")
    if not source:
        _fail(f"{name}: no live source: give --source URL or set library.cities[].live.source")
    if "://" not in source and not source.startswith("-") and not Path(source).is_file():
        why = "a folder, not a file" if Path(source).is_dir() else "no such file"
        _fail(f"{name}: {source}: {why}", 1)   # before the lease and the model load
    container = ctx.container
    folder = container.live_folder(city=name)
    if not folder.claim():
        holder = folder.holder() or {}
        click.echo(f"{name}: a live session is already running (pid {holder.get('pid', '?')} on "
                   f"{holder.get('host', '?')}): that session goes on; this command ends")
        return
    stopping = {"asked": 0}

    def stop(signum: int, _frame: Any) -> None:
        stopping["asked"] += 1
        if stopping["asked"] > 1:
            raise KeyboardInterrupt   # a second Ctrl-C: at once

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    live_settings = config["live"]
    encoder: Any = None
    feed: Any = None
    keeping: TranscriptKeeping | None = None
    try:
        if int(live_settings["cpu_threads"]):   # the live process's only use of the model
            container.config.whisper.cpu_threads.from_value(int(live_settings["cpu_threads"]))
        from archivist.adapters.whisper.models import resolved

        # `auto` made the model it picks now, once: each decode asks for the model, and auto
        # picking another mid-meeting (a probe's costs.json) would load it then, captions waiting.
        model = str(live_settings.get("model") or config["whisper"]["model"])
        container.config.whisper.model.from_value(resolved(model, config["data_dir"]))
        vocabulary = [*(config["whisper"]["vocabulary"] or []), *(found.get("vocabulary") or [])]
        recognizer = container.live_recognizer(vocabulary=vocabulary)
        # The lease says a session runs, but it captions nothing until the model has loaded
        # (seconds; a minute on a first run) and the source opened; the last status is an
        # earlier session's. Said so until the session's own status (`live status`, the page).
        folder.status({"city": name, "state": "loading", "source": source, "updated": time.time()})
        container.transcriber().model()   # loaded before the sound starts, not during it
        # ffmpeg gives an input up a third sooner than the session calls the source down: the
        # last sound it flushes as it exits then arrives before that, not as the source "back"
        # a moment after it was called down (a spurious gap, seen in a whole CI run).
        quiet = max(0.5, float(live_settings["source_timeout"]) * 2 / 3)
        feed = container.live_source(source=source, quiet_after=quiet)
        feed.open()
        target = setup.get("encoder")
        if target:
            encoder = container.caption_encoder(
                host=target["host"], port=int(target["port"]),
                channel=str(target.get("channel", "cc1")), rows=int(target.get("rows", 3)))
        if int(live_settings["metrics_port"]):
            from archivist.adapters.prometheus import multiprocess

            multiprocess.serve(container.metrics().registry, config["worker"]["metrics_host"],
                               int(live_settings["metrics_port"]))
        settings = LiveSettings(**{k: float(live_settings[k]) for k in (
            "chunk_seconds", "trim_after", "max_seconds", "pause_seconds", "settle_seconds",
            "context_seconds", "source_timeout", "first_seconds", "turn_pause_seconds")},
            prompt_words=int(live_settings["prompt_words"]),
            short_letters=int(live_settings["short_letters"]),
            prompt_names=int(live_settings["prompt_names"]),
            late_pauses=bool(live_settings["late_pauses"]),
            speaker_changes=bool(live_settings["speaker_changes"]))
        session = LiveSession(
            name, source, feed, recognizer, encoder, folder,
            RollUp(uppercase=bool(live_settings["uppercase"])), settings, container.metrics(),
            voices=container.live_voices() if settings.speaker_changes else None,
            spelling=container.spelling(vocabulary=vocabulary))
        keeping = TranscriptKeeping(
            name, LiveKeeper(name, folder, container.live_sessions()), lambda: folder.current).start()
        where = f"{target['host']}:{target['port']}" if target else "no encoder (web only)"
        click.echo(f"{name}: live captions from {source} to {where}; "
                   f"`archivist live stop {name}` or Ctrl-C stops")
        session.run(lambda: stopping["asked"] > 0)
    except ArchivistError as exc:
        _fail(f"{name}: {exc}", 1)
    except KeyboardInterrupt:
        click.echo(f"{name}: stopped at once", err=True)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if feed is not None:
            feed.close()
        if encoder is not None:
            encoder.close(_ENCODER_CLOSE)
        if keeping is not None:
            keeping.stop()
        folder.release()
    _print_status(folder.last_status() or {}, name, running=False)


@live.command("stop")
@click.argument("city")
@click.option("--wait", type=click.FloatRange(0, 600), default=_STOP_WAIT, show_default=True,
              help="Seconds to wait for the session to end.")
@click.pass_obj
def stop(ctx: Context, city: str, wait: float) -> None:
    """Ask CITY's live session to stop and wait for it to end."""
    name = str(find_city(ctx.config, city)["name"])
    folder = ctx.container.live_folder(city=name)
    folder.unwant()   # else the worker with --beat would start it again
    if folder.holder() is None:
        click.echo(f"{name}: no live session is running")
        return
    folder.request_stop()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if folder.holder() is None:
            click.echo(f"{name}: live session stopped")
            return
        time.sleep(0.2)
    _fail(f"{name}: asked to stop, still ending after {wait:g} s", 1)


@live.command("supervise")
@click.pass_obj
def supervise(ctx: Context) -> None:
    """Run the live sessions started from the web or the API, until Ctrl-C or SIGTERM
    (`archivist worker --beat` runs this for you)."""
    import functools
    import subprocess
    import threading

    from archivist.adapters.live.children import dying_with_us
    from archivist.entrypoints.live_keeping import Afterwards
    from archivist.entrypoints.live_supervisor import LiveSupervisor, live_command

    container = ctx.container
    names = container.meeting_names()
    cities = ctx.config["library"]["cities"]
    afterwards = Afterwards([str(c["name"]) for c in live_cities(cities)], container.live_folder,
                            container.live_sessions(),
                            lambda city, path: names.read(city, path).date)
    supervisor = LiveSupervisor(
        cities, container.live_folder, live_command(ctx.config_path), afterwards=afterwards,
        spawn=functools.partial(subprocess.Popen, stdin=subprocess.DEVNULL,
                                preexec_fn=dying_with_us(signal.SIGTERM)))
    stopping = threading.Event()
    previous = {s: signal.signal(s, lambda *_: stopping.set())
                for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        supervisor.run(stopping)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@live.command("status")
@click.argument("city", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per city.")
@click.pass_obj
def status(ctx: Context, city: str | None, as_json: bool) -> None:
    """Each city's live session: running or not, source, encoder, words sent, latency."""
    config = ctx.config
    folder = ctx.container.live_folder
    if city:
        report = [session_report(folder(city=str(find_city(config, city)["name"])))]
    else:
        report = reports(config["library"]["cities"], folder)
    if as_json:
        click.echo(json.dumps(report if city is None else report[0], indent=2))
        return
    if not report:
        click.echo("no city has live captions configured (library.cities[].live)")
    for entry in report:
        _print_status(entry, entry["city"], running=entry["running"])


def _print_status(entry: Mapping[str, Any], name: str, running: bool) -> None:
    """One line for a city's session. A session that is not running says nothing of its
    source or encoder: those were so when it ended, not now."""
    state = entry.get("state") or ("running" if running else "stopped")
    if state == "failing":
        retry = entry.get("retry_at")
        again = f"; trying again in {max(0, round(retry - time.time()))} s" if retry else ""
        click.echo(f"{name}: failing: {entry.get('problem')}{again}")
        return
    if state == "starting" and entry.get("problem"):
        click.echo(f"{name}: starting, but {entry['problem']}")
        return
    if state == "loading":   # a process has the city, its model and source not yet ready
        click.echo(f"{name}: {'starting (loading the model)' if running else 'stopped'}")
        return
    if not entry.get("session"):
        click.echo(f"{name}: {state}")
        return
    state = "running" if running else "stopped"
    measured = latency_figures(entry)
    latency = f"latency {measured}" if measured else latency_said({**entry, "running": running})
    gaps = int(entry.get("gaps", 0))
    figures = (f"{entry.get('words_sent', 0)} words sent, {latency}, "
               f"{gaps} gap{'' if gaps == 1 else 's'}, {entry.get('stream_seconds', 0)} s heard")
    if not running:
        click.echo(f"{name}: stopped (session {entry['session']}), source {entry.get('source')}, "
                   f"{figures}")
        return
    encoder = {True: "connected", False: "DOWN", None: "none"}[entry.get("encoder_up")]
    # Before its first sound a source is awaited, unless it says what is wrong (then QUIET).
    source = ("sending" if entry.get("source_up") else "QUIET"
              if entry.get("source_problem") or not entry.get("waiting") else "waiting for it")
    if entry.get("encoder_problem"):
        encoder += f" ({entry['encoder_problem']})"
    if entry.get("source_quiet_since") and not entry.get("source_up"):
        at = datetime.fromtimestamp(float(entry["source_quiet_since"])).astimezone()
        source += f" since {at:%H:%M:%S}"   # its last sound, in the station's time
    if entry.get("source_problem"):
        source += f" ({entry['source_problem']})"
    click.echo(f"{name}: {state} (session {entry['session']}), source {entry.get('source')} "
               f"{source}, encoder {encoder}, {figures}")


@cli.command("fake-encoder")
@click.option("--port", type=click.IntRange(0, 65535), default=2323, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def fake_encoder(port: int, host: str) -> None:
    """Run a stand-in EEG caption encoder: shows the roll-up screen a viewer would see."""
    from archivist.testing.fake_encoder import main

    try:
        main(port=port, host=host)
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", 1)
