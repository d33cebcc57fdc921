"""The `archivist` command: one module per command group, all registered on `cli`."""

from __future__ import annotations

# Each module registers its commands on `cli` when imported.
from archivist.entrypoints.cli import (  # noqa: F401
    access,
    config,
    db,
    health,
    jobs,
    live,
    models,
    publish,
    render,
    report,
    review,
    scan,
    search,
    serve,
    transcribe,
)
from archivist.entrypoints.cli.app import cli, main

__all__ = ["cli", "main"]
