"""Cablecast, the station's VOD server, over its REST API (JSON, HTTP Basic).

`requests` is imported on first call: the session arrives already built by the provider,
and this module only needs the library to recognise its exceptions.
"""

from __future__ import annotations

import logging
import re
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from archivist.domain.errors import ArchivistError, GatewayUnavailable, NotFound
from archivist.domain.health import ProbeResult, Status

if TYPE_CHECKING:
    import requests

    from archivist.providers.http import Timeouts
    from archivist.providers.policies import RetryPolicy

log = logging.getLogger("archivist.cablecast")

API_ROOT = "cablecastapi/v1"
NOT_CONFIGURED = "not configured: publishing is off"


class CablecastError(ArchivistError):
    """Cablecast refused a request (a 4xx, or an answer that is not its JSON)."""

    def __init__(self, method: str, path: str, status: int, reason: str) -> None:
        super().__init__(f"cablecast refused {method} {path}: {status} {reason}".rstrip())
        self.status = status
        self.reason = reason


class CablecastClient:
    """A configured client for the Cablecast API; every call has timeouts and a retry policy."""

    def __init__(self, session: requests.Session | None, base_url: str, timeouts: Timeouts,
                 retry: RetryPolicy) -> None:
        self._session = session
        self._base_url = base_url
        self._timeouts = timeouts
        self._retry = retry

    @property
    def enabled(self) -> bool:
        """False when no Cablecast server is configured."""
        return self._session is not None

    def get(self, path: str, **params: Any) -> Any:
        """GET `path` under the API root (e.g. "shows/12", include="vod") and return its JSON."""
        if self._session is None:
            raise GatewayUnavailable("cablecast", f"{NOT_CONFIGURED} (set cablecast.url)")
        import requests

        session, url = self._session, api_url(self._base_url, path)

        def attempt() -> requests.Response:
            response = session.get(url, params=params or None, timeout=self._timeouts.pair)
            response.raise_for_status()  # lets the policy see 5xx and 429 as transient
            return response

        started = time.monotonic()
        try:
            response = self._retry(attempt)
        except requests.HTTPError as exc:
            raise _refusal("GET", path, exc.response) from exc
        except requests.Timeout as exc:
            raise GatewayUnavailable(
                "cablecast", f"GET {path}: no answer within {waited(exc, self._timeouts):g}s, "
                             "gave up after retries") from exc
        except requests.RequestException as exc:
            raise GatewayUnavailable("cablecast", f"GET {path}: {reason_of(exc)}") from exc
        log.debug("event=cablecast_get path=%s status=%d seconds=%.3f",
                  path, response.status_code, time.monotonic() - started)
        try:
            return response.json()
        except ValueError:
            raise CablecastError("GET", path, response.status_code,
                                 "answered with something that is not JSON: "
                                 "is cablecast.url a Cablecast server?") from None


class CablecastProbe:
    """Report whether Cablecast answers one GET of its locations, without retrying."""

    name = "cablecast"

    def __init__(self, session: requests.Session | None, base_url: str, timeouts: Timeouts) -> None:
        self._session = session
        self._base_url = base_url
        self._timeouts = timeouts

    def check(self) -> ProbeResult:
        if self._session is None or not self._base_url:
            return ProbeResult(Status.OK, NOT_CONFIGURED)
        import requests

        where = host_of(self._base_url)
        try:
            response = self._session.get(api_url(self._base_url, "locations"),
                                         timeout=self._timeouts.pair)
        except requests.Timeout as exc:
            return ProbeResult(Status.DOWN, f"no answer from {where} within "
                                            f"{waited(exc, self._timeouts):g}s")
        except requests.RequestException as exc:
            return ProbeResult(Status.DOWN, f"{where}: {reason_of(exc)}")
        status = response.status_code
        if status in (401, 403):
            return ProbeResult(Status.DEGRADED, f"{where} refused the credentials ({status}): "
                                                "check cablecast.user and cablecast.password")
        if status == 404:
            return ProbeResult(Status.DEGRADED, f"{where} has no Cablecast API (404 on /{API_ROOT})")
        if status >= 400:
            return ProbeResult(Status.DEGRADED, f"{where} answered {status} {said(response)}".rstrip())
        try:
            locations = response.json().get("locations", [])
        except (ValueError, AttributeError):
            return ProbeResult(Status.DEGRADED, f"{where} answered {status} without Cablecast JSON: "
                                                "is cablecast.url a Cablecast server?")
        return ProbeResult(Status.OK, f"{where} answered: {len(locations)} location(s)")


def api_url(base_url: str, path: str) -> str:
    """The full URL of an API path: base + /cablecastapi/v1/ + path."""
    return f"{base_url.rstrip('/')}/{API_ROOT}/{path.lstrip('/')}"


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


def _refusal(method: str, path: str, response: requests.Response) -> ArchivistError:
    """The honest error for an HTTP error answer that the policy stopped retrying."""
    status = response.status_code
    if status == 404:
        return NotFound(f"cablecast: {method} {path}: not found (404)")
    answer = f"{status} {said(response)}".rstrip()
    if status >= 500 or status == 429:
        return GatewayUnavailable("cablecast", f"{method} {path} answered {answer}, "
                                               "gave up after retries")
    hint = " (check cablecast.user and cablecast.password)" if status in (401, 403) else ""
    return CablecastError(method, path, status, said(response) + hint)
