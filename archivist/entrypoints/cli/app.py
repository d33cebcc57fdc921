"""The `archivist` command group, its shared context and small helpers for the commands."""

from __future__ import annotations

import atexit
import os
import sys
from typing import Any, NoReturn

import click

from archivist.domain.errors import ConfigError
from archivist.domain.sidecars import FORMATS
from archivist.providers import startup


class Context:
    """Loads the configuration and builds the container once, when a command first needs it.

    A one-off command reports no metrics (nothing would scrape them); `serve` sets `reporting`
    first, for the web app's /metrics.
    """

    def __init__(self, config_path: str | None, verbose: bool = False,
                 log_level: str = "warning") -> None:
        self.config_path = config_path
        self.reporting = False
        self.verbose = verbose
        self.log_level = log_level   # when logging.level is not set
        self._config: dict[str, Any] | None = None
        self._container: Any = None

    @property
    def config(self) -> dict[str, Any]:
        if self._config is None:
            from archivist.providers import settings

            self._config = settings.load(self.config_path)
            self.start_logging()
        return self._config

    def start_logging(self) -> None:
        """Log as configured (at first with the environment's settings, until the file is read)."""
        from archivist.providers import logs

        logs.setup(self._config, default_level=self.log_level, verbose=self.verbose)

    @property
    def container(self) -> Any:
        if self._container is None:
            from dependency_injector import providers

            from archivist import containers
            from archivist.domain.metrics import NoMetrics

            self._container = containers.build(self.config)
            if not self.reporting:
                self._container.metrics.override(providers.Object(NoMetrics()))
            startup.mark("cli", "container")
        return self._container

    def close(self) -> None:
        if self._container is not None:
            from archivist import containers

            containers.shutdown(self._container)


def error_line(exc: BaseException) -> str:
    """One line for an error; configuration errors always in the same form."""
    text = " ".join(str(exc).split())
    return f"configuration: {text}" if isinstance(exc, ConfigError) else text


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"archivist: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="archivist", prog_name="archivist",
                      message="%(prog)s %(version)s")
@click.option("--config", "config_path", metavar="FILE", envvar="ARCHIVIST_CONFIG",
              help="A YAML file laid over the defaults (or set ARCHIVIST_CONFIG).")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens, one event a line.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: bool) -> None:
    """Caption and archive public-meeting recordings."""
    # The long-running commands say what they do; the others only what went wrong.
    ctx.obj = Context(config_path, verbose,
                      "info" if ctx.invoked_subcommand in ("serve", "worker") else "warning")
    ctx.obj.start_logging()
    ctx.call_on_close(ctx.obj.close)


def _formats(value: str) -> list[str]:
    chosen = [f.strip().lower().lstrip(".") for f in value.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"unknown format {', '.join(unknown) or '(none)'}; "
                                 f"choose from {','.join(FORMATS)}")
    return list(dict.fromkeys(chosen))


class Answered(SystemExit):
    """A one-off command's answer is out and its gateways closed (click closed its context on
    the way out): exit with `code` now.

    Also how a run stopped by Ctrl-C ends, with 130: after a KeyboardInterrupt the interpreter
    sometimes ends the process by killing itself with SIGINT whatever status was asked for
    (seen with strace: `transcribe` exiting -2 after saying its job was cancelled, in 11 of 12
    runs on one machine; CPython does so once a KeyboardInterrupt has left code it ran through
    its PyRun_* calls, which compiled extensions use, even if it was handled later)."""


def main(argv: list[str] | None = None) -> None:
    """Console-script entry: configuration errors become one line, not a traceback; a command
    that has Answered exits without the interpreter's teardown."""
    try:
        cli.main(args=argv, prog_name="archivist", standalone_mode=True)
    except ConfigError as exc:
        _fail(error_line(exc))
    except Answered as answered:
        _leave(answered.code if isinstance(answered.code, int) else 1)


def _leave(code: int) -> NoReturn:
    """Run the exit handlers (logging's flush among them), flush the output and exit with `code`.

    The teardown skipped frees every object and module one by one: ~90,000 objects and ~800
    modules after `health`, up to 12 s on a loaded machine after the answer was printed. Its
    daemon threads (a probe still waiting on a hung backend) end with the process.
    """
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:   # started with it closed (`archivist health >&-`): nothing to flush
            continue
        try:
            stream.flush()
        except (OSError, ValueError):   # a closed pipe or stream: nothing more can be said
            pass
    os._exit(code)


startup.mark("cli", "import")


def typed_city(obj: Context, name: str) -> str:
    """The configured name of the city a person typed (any case), or a usage error naming them."""
    from archivist.domain.city_names import UnknownCity, city_name

    cities = obj.config["library"]["cities"] or []
    try:
        return city_name((c["name"] for c in cities if isinstance(c, dict) and c.get("name")), name)
    except UnknownCity as exc:
        _fail(str(exc), 2)
