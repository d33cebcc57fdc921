"""One hierarchy of errors; adapters translate library exceptions into these."""

from __future__ import annotations


class ArchivistError(Exception):
    """Base of every error Archivist reports to a person."""


class ConfigError(ArchivistError):
    """The configuration is wrong; the message names the file and the key."""


class MediaError(ArchivistError):
    """A recording cannot be used: not media, empty, truncated, or without audio."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class TranscriptionError(ArchivistError):
    """The transcriber failed on a recording it could read."""


class Cancelled(ArchivistError):
    """A job was cancelled while running."""


class GatewayUnavailable(ArchivistError):
    """A backend (database, Redis, Cablecast, storage, model) did not answer in time."""

    def __init__(self, gateway: str, reason: str) -> None:
        super().__init__(f"{gateway} unavailable: {reason}")
        self.gateway = gateway
        self.reason = reason


class CablecastError(ArchivistError):
    """Cablecast refused a request (a 4xx, or an answer that is not its JSON).

    A refusal of the credentials (401, 403) is `refused_credentials`: it is true of every
    request, so callers stop rather than record it against each recording.
    """

    @property
    def refused_credentials(self) -> bool:
        return self.status in (401, 403)


    def __init__(self, method: str, path: str, status: int, reason: str, server: str = "") -> None:
        where = f"cablecast at {server}" if server else "cablecast"
        super().__init__(f"{where} refused {method} {path}: {status} {reason}".rstrip())
        self.server = server
        self.method = method
        self.path = path
        self.status = status
        self.reason = reason


class NotFound(ArchivistError):
    """A recording, job or transcript that was asked for does not exist."""


class TranscriptFormatError(ArchivistError):
    """A JSON transcript (perhaps edited by hand) is not in the shape Archivist writes."""


class SchemaError(ArchivistError):
    """The database's schema is not the one this Archivist needs (older, or newer)."""


class Conflict(ArchivistError):
    """A change that the thing's current state does not allow (e.g. retrying a running job)."""
