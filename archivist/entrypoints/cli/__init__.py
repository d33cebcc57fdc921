"""The `archivist` command: one module per command group, all registered on `cli`."""

from __future__ import annotations

from archivist.entrypoints.cli import config, health, render, serve, transcribe  # noqa: F401  (registers)
from archivist.entrypoints.cli.app import cli, main

__all__ = ["cli", "main"]
