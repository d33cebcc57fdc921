"""The operator pages: server-rendered, a little script, every backend call under a deadline."""

from __future__ import annotations

from archivist.entrypoints.web.ui import (
    archive,
    audit,
    dashboard,
    editor,
    live,
    queue,
    recordings,
    search,
    status,
)
from archivist.entrypoints.web.ui.blueprint import blueprint

MODULES = (archive, audit, dashboard, editor, queue, recordings, search, status, live)
__all__ = ["MODULES", "blueprint"]
