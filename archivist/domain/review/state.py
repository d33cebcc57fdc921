"""Sign-off: each recording's review state, and when a city lets Cablecast have captions."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from archivist.domain.errors import ConfigError


class ReviewState(enum.StrEnum):
    MACHINE = "machine"        # as the transcriber wrote it
    IN_REVIEW = "in_review"    # a person has changed it, or reopened it
    APPROVED = "approved"      # a person signed off a revision


@dataclass(frozen=True, slots=True)
class Review:
    """Where a recording's captions are in review, and what applying them left to do."""

    recording_id: int
    revision: int                              # the current revision
    state: ReviewState = ReviewState.MACHINE
    approved_by: str | None = None
    approved_at: datetime | None = None
    approved_revision: int | None = None
    pending: tuple[str, ...] = ()              # steps of applying it still to do
    problems: tuple[str, ...] = ()             # why they are still to do
    updated_at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        def when(at: datetime | None) -> str | None:
            return at.isoformat().replace("+00:00", "Z") if at else None
        return {"state": str(self.state), "approved_by": self.approved_by,
                "approved_at": when(self.approved_at), "revision": self.approved_revision,
                "pending": list(self.pending), "problems": list(self.problems)}

    @property
    def approved_current(self) -> bool:
        return self.state is ReviewState.APPROVED and self.approved_revision == self.revision


class PublishWhen(enum.StrEnum):
    """When a city's captions go to Cablecast."""

    ON_CAPTION = "on_caption"      # the machine's at once, each correction after
    ON_APPROVAL = "on_approval"    # approved revisions only


def publish_rules(cities: Any) -> dict[str, PublishWhen]:
    """Each city's `review: {publish: ...}` from `library.cities` (default on_caption).

    Raises ConfigError naming the city for anything else.
    """
    rules: dict[str, PublishWhen] = {}
    for i, entry in enumerate(cities or []):
        if not isinstance(entry, Mapping) or not entry.get("name"):
            continue
        rules[str(entry["name"])] = publish_rule(entry.get("review"), f"library.cities[{i}]")
    return rules


def publish_rule(section: Any, where: str) -> PublishWhen:
    if section is None:
        return PublishWhen.ON_CAPTION
    if not isinstance(section, Mapping) or set(section) - {"publish"}:
        raise ConfigError(f"{where}.review: expected {{publish: on_caption | on_approval}}, "
                          f"got {section!r}")
    value = section.get("publish", "on_caption")
    try:
        return PublishWhen(str(value))
    except ValueError:
        raise ConfigError(f"{where}.review.publish: expected on_caption or on_approval, "
                          f"got {value!r}") from None

