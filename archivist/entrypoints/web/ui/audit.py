"""/audit: who changed what, when and from where (staff only), filtered and paged.

The page is a form and a table; its script reads `GET /api/v1/audit` with the same filters.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from archivist.entrypoints.web.ui.blueprint import blueprint
from archivist.entrypoints.web.ui.staff import staff_only

FILTERS = ("actor", "action", "recording", "since", "until")


@blueprint.get("/audit")
@staff_only
def audit_page() -> Any:
    """The audit log, newest first, with its filters filled from the address."""
    chosen = {name: request.args.get(name, "")[:100] for name in FILTERS}
    return render_template("audit.html", chosen=chosen)
