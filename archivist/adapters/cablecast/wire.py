"""How Cablecast is addressed and how its answers read: the API root, error text, Retry-After."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from archivist.domain.errors import ArchivistError, CablecastError, GatewayUnavailable, NotFound

if TYPE_CHECKING:
    import requests

    from archivist.domain.policy import Timeouts

API_ROOT = "cablecastapi/v1"
NOT_CONFIGURED = "not configured: publishing is off"
# A server address written with the API root already on it, in any case, with or without "/".
_GIVEN_ROOT = re.compile(r"/cablecastapi/v1$", re.IGNORECASE)
# A Retry-After longer than this is not waited for, whatever the deadline.
_MAX_RETRY_AFTER = 300.0


def api_base(base_url: str) -> str:
    """The API root of a server: `https://host` and `https://host/CablecastAPI/v1/` alike."""
    return f"{_GIVEN_ROOT.sub('', base_url.strip().rstrip('/'))}/{API_ROOT}"


def api_url(base_url: str, path: str) -> str:
    """The full URL of an API path: base + /cablecastapi/v1/ + path."""
    return f"{api_base(base_url)}/{path.lstrip('/')}"


def host_of(base_url: str) -> str:
    """host[:port] of the server, without any credentials written into the URL."""
    parts = urlsplit(base_url)
    return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname or base_url)


def said(response: requests.Response) -> str:
    """The reason and the gist of an error body, on one short line."""
    try:
        body = response.json()
        text = str(body.get("message", "")) if isinstance(body, dict) else ""
    except ValueError:
        text = response.text
    text = " ".join(text.split())[:200]
    return f"{response.reason or ''}: {text}" if text else (response.reason or "")


def waited(exc: requests.Timeout, timeouts: Timeouts) -> float:
    """The timeout that ran out: the connect one or the read one."""
    import requests

    return timeouts.connect if isinstance(exc, requests.ConnectTimeout) else timeouts.read


def reason_of(exc: BaseException) -> str:
    """What went wrong with a connection, without urllib3's nested reprs."""
    # urllib3 wraps the OS error several layers deep; the errno text is what a person needs.
    match = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(exc))
    if match:
        return match.group(1).strip()
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def retry_after(response: requests.Response, default: float = 1.0) -> float:
    """Seconds a 429 (or 503) asks the client to wait: `Retry-After` as seconds or a date."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            return default
    return min(max(0.0, seconds), _MAX_RETRY_AFTER)


def refusal(method: str, path: str, response: requests.Response,
            server: str = "") -> ArchivistError:
    """The honest error for an HTTP error answer that the policy stopped retrying."""
    status = response.status_code
    if status == 404:
        return NotFound(f"cablecast: {method} {path}: not found (404)")
    answer = f"{status} {said(response)}".rstrip()
    if status >= 500 or status == 429:
        return GatewayUnavailable("cablecast", f"{method} {path} answered {answer}, "
                                               "gave up after retries")
    hint = " (check cablecast.user and cablecast.password)" if status in (401, 403) else ""
    return CablecastError(method, path, status, said(response) + hint, server=server)
