"""`archivist serve` and `archivist worker`: the long-running processes."""

from __future__ import annotations

import subprocess
import sys

import click

from archivist.entrypoints.cli.app import Context, cli


@cli.command()
@click.option("--host", help="Address to listen on (config web.host).")
@click.option("--port", type=int, help="Port to listen on (config web.port).")
@click.option("--worker/--no-worker", "embedded", default=None,
              help="Also run a worker and the schedule (default: when no Redis is configured).")
@click.pass_obj
def serve(obj: Context, host: str | None, port: int | None, embedded: bool | None) -> None:
    """Serve the web app and REST API on a production WSGI server (waitress).

    With no Redis configured this is a whole station on one box: a worker and the schedule
    (scan the mounts, reconcile jobs) run beside the server and stop with it.
    """
    import waitress

    from archivist.entrypoints.cli.station import embedded_worker, station_secret
    from archivist.entrypoints.web import create_app

    config = obj.config
    if not config["secret_key"]:
        config["secret_key"] = station_secret(config["data_dir"])
    web = config["web"]
    app = create_app(config, container=obj.container)
    run_worker = not config["redis"]["url"] if embedded is None else embedded
    with embedded_worker(obj.config_path, run_worker):
        waitress.serve(app, host=host or web["host"], port=port or web["port"], threads=8)


@cli.command(context_settings={"ignore_unknown_options": True})
@click.option("--beat", is_flag=True,
              help="Also run the schedule (scan the city mounts, reconcile jobs, publish) and "
                   "the housekeeping tasks beside the transcriptions. Exactly one worker of a "
                   "station runs with --beat; on a one-box station, that is the only one.")
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def worker(obj: Context, beat: bool, celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker that takes transcription jobs (extra arguments go to Celery)."""
    import os

    from archivist.providers.celery_app import control_queue

    _ = obj.config  # a bad configuration fails here, in one line, before Celery starts
    if obj.config_path:
        os.environ["ARCHIVIST_CONFIG"] = obj.config_path  # the worker reads it in each process
    from archivist.entrypoints.worker import celery_app

    housekeeping = _housekeeper(control_queue(obj.config)) if beat else None
    try:
        celery_app.worker_main(["worker", "--loglevel=INFO", "-Q", obj.config["worker"]["queue"],
                                *celery_args])
    finally:
        if housekeeping is not None:
            housekeeping.terminate()
            try:
                housekeeping.wait(timeout=30)
            except subprocess.TimeoutExpired:
                housekeeping.kill()


def _housekeeper(queue: str) -> subprocess.Popen[bytes]:
    """The schedule and the quick tasks (scan, reconcile, publish) in a worker of their own, so
    they run while every transcription slot is busy. It dies with this process."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "archivist.entrypoints.worker", "worker",
         "--beat", "-Q", queue, "--pool=threads", "--concurrency=2", "-n", "housekeeping@%h",
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        preexec_fn=_die_with_parent)


def _die_with_parent() -> None:
    # Linux: the housekeeper gets SIGTERM if `archivist worker` is killed, even with kill -9.
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
