"""The Cablecast gateway: an HTTP session with Basic auth, or None when Cablecast is off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archivist.domain.policy import Timeouts

if TYPE_CHECKING:
    import requests

__all__ = ["Timeouts", "close", "is_transient", "session"]


def session(url: str, user: str, password: str) -> requests.Session | None:
    """Build a session for the Cablecast server; no request is sent here."""
    if not url:
        return None
    import requests

    s = requests.Session()
    if user:
        s.auth = (user, password or "")
    s.headers.update({"Accept": "application/json", "User-Agent": "archivist"})
    return s


def close(s: requests.Session | None) -> None:
    if s is not None:
        s.close()


def is_transient(exc: BaseException) -> bool:
    """Timeouts, dropped connections, 5xx and 429 are worth another try; other 4xx are not."""
    import requests

    if isinstance(exc, (requests.Timeout, requests.ConnectionError, TimeoutError, ConnectionError)):
        return True
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return exc.response.status_code >= 500 or exc.response.status_code == 429
    return False
