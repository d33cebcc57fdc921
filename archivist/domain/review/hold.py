"""Whether Cablecast may have a recording's captions yet (a city that publishes approved ones only)."""

from __future__ import annotations

from collections.abc import Mapping

from archivist.domain.review.ports import Revisions
from archivist.domain.review.state import PublishWhen


class ApprovalHold:
    """Whether a recording's captions wait for approval before Cablecast may have them."""

    def __init__(self, revisions: Revisions, rules: Mapping[str, PublishWhen]) -> None:
        self._revisions = revisions
        self._rules = dict(rules)

    def __call__(self, recording_id: int, city: str) -> bool:
        if self._rules.get(city, PublishWhen.ON_CAPTION) is PublishWhen.ON_CAPTION:
            return False
        review = self._revisions.review(recording_id)
        return review is None or not review.approved_current
