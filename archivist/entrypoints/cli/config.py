"""`archivist config`: inspect the configuration."""

from __future__ import annotations

import click

from archivist.entrypoints.cli.app import Context, cli


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
