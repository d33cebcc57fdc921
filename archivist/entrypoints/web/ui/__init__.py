"""The operator pages: server-rendered, a little script, every backend call under a deadline."""

from __future__ import annotations

from archivist.entrypoints.web.ui import archive, dashboard, live, queue, recordings, search, status
from archivist.entrypoints.web.ui.blueprint import blueprint

MODULES = (archive, dashboard, queue, recordings, search, status, live)
__all__ = ["MODULES", "blueprint"]
