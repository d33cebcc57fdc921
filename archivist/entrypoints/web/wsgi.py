"""The web app for a WSGI server other than `archivist serve`, as an app factory:

    gunicorn --workers 1 --threads 8 'archivist.entrypoints.web.wsgi:app()'

It does what `archivist serve` does before serving: reads the effective configuration
(ARCHIVIST_CONFIG and ARCHIVIST_* variables), sends the logs to stderr as configured (JSON
lines, secrets blanked), and keeps a session key in the data dir when none is set. One process
per station's web app: /metrics counts what its own process served.
"""

from __future__ import annotations

from flask import Flask


def app() -> Flask:
    """The configured web app, logging set up."""
    from archivist.entrypoints.cli.station import station_secret
    from archivist.entrypoints.web import create_app
    from archivist.providers import logs, settings

    config = settings.load()
    logs.setup(config, default_level="info")
    if not config["secret_key"]:
        config["secret_key"] = station_secret(config["data_dir"])
    return create_app(config)
