"""`archivist serve` and `archivist worker`: the long-running processes."""

from __future__ import annotations

import click

from archivist.entrypoints.cli.app import Context, cli


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
@click.option("--beat", is_flag=True,
              help="Also run the schedule (scan the city mounts, reconcile jobs) in this "
                   "process: for a one-box station. Run it in exactly one process.")
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def worker(obj: Context, beat: bool, celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker that takes transcription jobs (extra arguments go to Celery)."""
    import os

    _ = obj.config  # a bad configuration fails here, in one line, before Celery starts
    if obj.config_path:
        os.environ["ARCHIVIST_CONFIG"] = obj.config_path  # the worker reads it in each process
    from archivist.entrypoints.worker import celery_app

    celery_app.worker_main(["worker", "--loglevel=INFO", *(["--beat"] if beat else []),
                            *celery_args])
