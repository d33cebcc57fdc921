"""The REST API under /api/v1: one module per resource, each with its own blueprint."""

from __future__ import annotations

from archivist.entrypoints.web.api import (
    cities,
    jobs,
    live,
    publications,
    search,
    status,
    transcripts,
)

MODULES = (jobs, cities, transcripts, publications, search, status, live)
