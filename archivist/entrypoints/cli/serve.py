"""`archivist serve` and `archivist worker`: the long-running processes."""

from __future__ import annotations

import signal
import subprocess
import sys

import click

from archivist.adapters.live.children import dying_with_us
from archivist.entrypoints.cli.app import Context, _fail, cli


@cli.command()
@click.option("--host", help="Address to listen on (config web.host).")
@click.option("--port", type=int, help="Port to listen on (config web.port).")
@click.option("--worker/--no-worker", "embedded", default=None,
              help="Also run a worker and the schedule (default: when no Redis is configured).")
@click.pass_obj
def serve(obj: Context, host: str | None, port: int | None, embedded: bool | None) -> None:
    """Serve the web app and REST API on a production WSGI server (waitress).

    With no Redis configured this is a whole station on one box: a worker and the schedule
    (scan the mounts, reconcile jobs, publish) run beside the server and stop with it.
    """
    from archivist.entrypoints.cli.station import embedded_worker, station_secret
    from archivist.entrypoints.web import create_app
    from archivist.entrypoints.web.server import create_server

    config = obj.config
    obj.reporting = True   # the web app's /metrics
    if not config["secret_key"]:
        config["secret_key"] = station_secret(config["data_dir"])
    web = config["web"]
    host, port = host or web["host"], port if port is not None else web["port"]
    if not 0 < port < 65536:
        _fail(f"--port must be 1..65535, got {port}")
    app = create_app(config, container=obj.container)
    try:
        server = create_server(app, host=host, port=port, threads=8,
                               max_body=int(web["max_body_mb"] * 1024 * 1024))
    except OSError as exc:  # busy port, an address this machine does not have, no permission
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", 1)
    except ValueError as exc:  # waitress' word for a host it cannot resolve
        _fail(f"cannot listen on {host}:{port}: {exc}", 1)
    run_worker = not config["redis"]["url"] if embedded is None else embedded
    with embedded_worker(obj.config_path, run_worker):
        click.echo(f"archivist: serving on http://{_shown(host)}:{port}/ (Ctrl-C to stop)",
                   err=True)
        try:
            server.run()
        except KeyboardInterrupt:
            click.echo("archivist: stopped", err=True)
        finally:
            server.close()


def _shown(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@cli.command(context_settings={"ignore_unknown_options": True})
@click.option("--beat", is_flag=True,
              help="Also run the schedule (scan the city mounts, reconcile jobs, publish), "
                   "the housekeeping tasks beside the transcriptions, and the live sessions "
                   "started from the web. Exactly one worker of a "
                   "station runs with --beat; on a one-box station, that is the only one.")
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def worker(obj: Context, beat: bool, celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker that takes transcription jobs (extra arguments go to Celery)."""
    import os

    from archivist.adapters.prometheus import multiprocess
    from archivist.providers.celery_app import celery_settings, control_queue

    celery_settings(obj.config)  # a bad configuration fails here, in one line, before Celery starts
    if obj.config_path:
        os.environ["ARCHIVIST_CONFIG"] = obj.config_path  # the worker reads it in each process
    # Before Celery (or anything) imports prometheus-client; the housekeeping worker shares it.
    try:
        multiprocess.use_directory(obj.config["data_dir"])
    except OSError as exc:
        _fail(f"cannot make the metrics folder in data_dir {obj.config['data_dir']!r}: "
              f"{exc.strerror or exc}", 1)
    from celery.bin.celery import celery as celery_command

    housekeeping = _housekeeper(control_queue(obj.config)) if beat else None
    live = _live_supervisor(obj.config_path) if beat else None
    try:
        # Celery's own command in standalone mode exits with the worker's exit code, so a fatal
        # error (pidfile taken, broker gone for good) is not reported as success.
        # (Celery.start() and worker_main() drop that code.)
        celery_command.main(args=["-A", "archivist.entrypoints.worker", "worker", "--loglevel=INFO",
                                  "-Q", obj.config["worker"]["queue"], *celery_args],
                            prog_name="archivist worker", standalone_mode=True)
    finally:
        for child in (live, housekeeping):
            if child is not None:
                child.terminate()
        for child in (live, housekeeping):
            if child is not None:
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()


def _housekeeper(queue: str) -> subprocess.Popen[bytes]:
    """The schedule and the quick tasks (scan, reconcile, publish) in a worker of their own, so
    they run while every transcription slot is busy. It dies with this process.

    One at a time: two publishes of one recording at once (its job's task and the catch-up)
    would both add the chapters the VOD lacks."""
    import os

    from archivist.providers.celery_app import HOUSEKEEPER_ENV

    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "archivist.entrypoints.worker", "worker",
         "--beat", "-Q", queue, "--pool=threads", "--concurrency=1", "-n", "housekeeping@%h",
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        env={**os.environ, HOUSEKEEPER_ENV: "1"},   # counted on this worker's metrics port
        preexec_fn=dying_with_us(signal.SIGTERM))


def _live_supervisor(config_path: str | None) -> subprocess.Popen[bytes]:
    """`archivist live supervise`: the live sessions staff start from the web run under it (it
    ends them when it ends). It dies with this process."""
    return subprocess.Popen(
        [sys.executable, "-m", "archivist.entrypoints.cli",
         *(["--config", config_path] if config_path else []), "live", "supervise"],
        stdin=subprocess.DEVNULL, preexec_fn=dying_with_us(signal.SIGTERM))
