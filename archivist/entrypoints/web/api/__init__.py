"""The REST API under /api/v1: one module per resource, each with its own blueprint."""

from __future__ import annotations

from archivist.entrypoints.web.api import (
    audit_log,
    cities,
    jobs,
    live,
    publications,
    review,
    search,
    status,
    transcripts,
)

MODULES = (jobs, cities, review, audit_log, transcripts, publications, search, status, live)
