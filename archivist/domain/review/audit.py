"""The audit log: who changed what, when and from where; never a secret."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# Keys whose values are never written down, whatever a caller passes.
_SECRET = re.compile(r"pass|secret|token_hash|authorization|cookie|csrf|^token$|key",
                     re.IGNORECASE)
MAX_DETAIL = 2000     # characters of one detail value


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change: `actor` is `staff:<name>`, `token:<name>` or `cli:<user>`; `target` names
    what changed (`recording:7`, `job:12`, `city:Riverton`, `token:ci`)."""

    actor: str
    action: str
    target: str = ""
    detail: Mapping[str, Any] = field(default_factory=dict)
    address: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat().replace("+00:00", "Z"),
                "actor": self.actor, "action": self.action, "target": self.target,
                "detail": dict(self.detail), "address": self.address}


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Which entries to list: newest first, before the entry `before` (paging)."""

    actor: str | None = None
    action: str | None = None
    target: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    before: int | None = None
    limit: int = 50


def entry(actor: str, action: str, target: str = "", detail: Mapping[str, Any] | None = None,
          address: str | None = None) -> AuditEntry:
    """An entry with its detail cleaned of anything secret and cut to a readable size."""
    return AuditEntry(actor=actor or "unknown", action=action, target=target,
                      detail=scrub(detail or {}), address=address)


def scrub(detail: Mapping[str, Any]) -> dict[str, Any]:
    """`detail` without secret-looking keys; long values cut."""
    clean: dict[str, Any] = {}
    for key, value in detail.items():
        if _SECRET.search(str(key)):
            continue
        if isinstance(value, Mapping):
            value = scrub(value)
        elif isinstance(value, str) and len(value) > MAX_DETAIL:
            value = value[:MAX_DETAIL] + "…"
        elif not isinstance(value, (int, float, bool, type(None), list, tuple)):
            value = str(value)[:MAX_DETAIL]
        clean[str(key)] = value
    return clean
