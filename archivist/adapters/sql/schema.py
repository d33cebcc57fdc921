"""`archivist db`'s view of the schema: where it stands, and migrating it, under the retry policy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archivist.adapters.sql import migrate
from archivist.adapters.sql.database import guarded
from archivist.domain.policy import Retry

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class Migrations:
    """Where the schema stands (`archivist db status`), and migrating it (`archivist db upgrade`)."""

    def __init__(self, engine: Engine, retry: Retry) -> None:
        self._engine = engine
        self._retry = retry

    def status(self) -> dict[str, Any]:
        return guarded(self._engine, self._retry, lambda: migrate.describe(self._engine))

    def upgrade(self) -> tuple[str | None, str]:
        return guarded(self._engine, self._retry, lambda: migrate.upgrade(self._engine))
