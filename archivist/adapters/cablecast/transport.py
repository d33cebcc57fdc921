"""Calls to the Cablecast API: timeouts, a total deadline, bounded retries, a circuit, honest errors.

`requests` is imported on first call: the session arrives already built by the provider,
and this module only needs the library to recognise its exceptions.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from archivist.adapters.cablecast.wire import (
    NOT_CONFIGURED,
    api_base,
    host_of,
    reason_of,
    refusal,
    retry_after,
    waited,
)
from archivist.domain.errors import CablecastError, GatewayUnavailable
from archivist.domain.policy import Circuit, Retry, Timeouts

if TYPE_CHECKING:
    import requests

log = logging.getLogger("archivist.cablecast")

# What `already` returns: what the server has that makes another POST unnecessary, or None.
Already = Callable[[], Any]


class _OutOfTime(Exception):
    """The call's total deadline passed; never worth another try."""


class CablecastClient:
    """A configured client for the Cablecast API; every call has timeouts and a retry policy.

    `deadline` bounds one call, retries and waits included. `circuit`, when given, is shared
    with the probe: after repeated failures calls fail at once instead of waiting.
    """

    def __init__(self, session: requests.Session | None, base_url: str, timeouts: Timeouts,
                 retry: Retry, deadline: float = 120.0, circuit: Circuit | None = None,
                 page_size: int = 100, max_pages: int = 1000) -> None:
        self._session = session
        self._base_url = base_url
        self._timeouts = timeouts
        self._retry = retry
        self._deadline = float(deadline)
        self._circuit = circuit
        self.page_size = page_size
        self.max_pages = max_pages

    @property
    def enabled(self) -> bool:
        """False when no Cablecast server is configured."""
        return self._session is not None

    @property
    def server(self) -> str:
        """host[:port] of the server, for messages."""
        return host_of(self._base_url)

    def get(self, path: str, **params: Any) -> Any:
        """GET `path` under the API root (e.g. "shows/12", include="vod") and return its JSON."""
        return self._call("GET", path, params=params or None)

    def put(self, path: str, body: Any) -> Any:
        """PUT a JSON body (idempotent, so retried like a GET)."""
        return self._call("PUT", path, json=body)

    def delete(self, path: str) -> Any:
        return self._call("DELETE", path)

    def post(self, path: str, body: Any, already: Already | None = None) -> Any:
        """POST a JSON body, which may create a record, so is never retried blindly.

        Without `already` the POST is tried once. With it, a failed try is followed by
        `already()`, which looks at what the server has now: what it returns (not None) is the
        answer, else the POST is tried again within the retry policy.
        """
        return self._call("POST", path, json=body, already=already, retried=already is not None)

    def post_file(self, path: str, data: dict[str, Any], files: dict[str, Any]) -> Any:
        """POST a multipart form. Only for sends that are safe to repeat (an upload segment)."""
        return self._call("POST", path, data=data, files=files)

    def _call(self, method: str, path: str, already: Already | None = None, retried: bool = True,
              **send: Any) -> Any:
        if self._session is None:
            raise GatewayUnavailable("cablecast", f"{NOT_CONFIGURED} (set cablecast.url)")
        import requests

        session, url = self._session, f"{api_base(self._base_url)}/{path.lstrip('/')}"
        started = time.monotonic()
        deadline_at = started + self._deadline
        tries = {"n": 0, "wait_until": 0.0}

        def attempt() -> Any:
            # Honour the last answer's Retry-After before going again.
            pause = tries["wait_until"] - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            if tries["n"] and already is not None:
                found = already()
                if found is not None:
                    log.info("already in Cablecast", extra={"method": method, "url": path})
                    return found
            remaining = deadline_at - time.monotonic()
            if remaining <= 0:
                raise _OutOfTime()
            if self._circuit is not None and not self._circuit.allow():
                raise GatewayUnavailable("cablecast", f"{method} {path}: not called, the circuit "
                                                      f"is {self._circuit.describe()}")
            tries["n"] += 1
            timeout = (min(self._timeouts.connect, remaining), min(self._timeouts.read, remaining))
            try:
                response = session.request(method, url, timeout=timeout, **send)
            except requests.RequestException as exc:
                self._failed(f"{method} {path}: {reason_of(exc)}")
                raise
            status = response.status_code
            if status >= 500:
                self._failed(f"{method} {path}: {status}")
            elif self._circuit is not None:
                self._circuit.succeeded()  # it answered, even if to refuse
            if status == 429 or (status == 503 and "Retry-After" in response.headers):
                wait = retry_after(response)
                if time.monotonic() + wait > deadline_at:
                    raise GatewayUnavailable(
                        "cablecast", f"{method} {path}: asked to retry after {wait:g}s ({status}), "
                                     f"past the {self._deadline:g}s deadline")
                tries["wait_until"] = time.monotonic() + wait
            response.raise_for_status()  # lets the policy see 5xx and 429 as transient
            return response

        try:
            result = self._retry(attempt) if retried else attempt()
        except requests.HTTPError as exc:
            raise refusal(method, path, exc.response, self.server) from exc
        except requests.Timeout as exc:
            raise GatewayUnavailable(
                "cablecast", f"{method} {path}: no answer within "
                             f"{waited(exc, self._timeouts):g}s, gave up after "
                             f"{tries['n']} attempt(s)") from exc
        except requests.RequestException as exc:
            raise GatewayUnavailable("cablecast", f"{method} {path}: {reason_of(exc)}") from exc
        except _OutOfTime:
            raise GatewayUnavailable(
                "cablecast", f"{method} {path}: no answer within the {self._deadline:g}s "
                             f"deadline ({tries['n']} attempt(s))") from None
        if not isinstance(result, requests.Response):
            return result  # what `already` found
        log.debug("cablecast call", extra={"method": method, "url": path,
                                           "status": result.status_code, "attempts": tries["n"],
                                           "seconds": round(time.monotonic() - started, 3)})
        if not result.content:
            return None
        try:
            return result.json()
        except ValueError:
            raise CablecastError(method, path, result.status_code,
                                 "answered with something that is not JSON: "
                                 "is cablecast.url a Cablecast server?", self.server) from None

    def _failed(self, error: str) -> None:
        if self._circuit is not None:
            self._circuit.failed(error)
