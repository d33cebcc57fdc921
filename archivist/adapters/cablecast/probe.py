"""Health of Cablecast: one GET of its locations, never retried, and the circuit's state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archivist.adapters.cablecast.wire import (
    API_ROOT,
    NOT_CONFIGURED,
    api_url,
    host_of,
    reason_of,
    said,
    waited,
)
from archivist.domain.health import ProbeResult, Status

if TYPE_CHECKING:
    import requests

    from archivist.domain.policy import Circuit, Timeouts


class CablecastProbe:
    """Report whether Cablecast answers one GET of its locations, without retrying.

    With the client's `circuit`, an open circuit is reported as down without calling: the
    publishing calls are failing fast, and that is what staff need to know.
    """

    name = "cablecast"

    def __init__(self, session: requests.Session | None, base_url: str, timeouts: Timeouts,
                 circuit: Circuit | None = None) -> None:
        self._session = session
        self._base_url = base_url
        self._timeouts = timeouts
        self._circuit = circuit

    def check(self) -> ProbeResult:
        if self._session is None or not self._base_url:
            return ProbeResult(Status.OK, NOT_CONFIGURED)
        import requests

        where = host_of(self._base_url)
        if self._circuit is not None and self._circuit.is_open:
            return ProbeResult(Status.DOWN, f"{where}: calls paused, circuit "
                                            f"{self._circuit.describe()}")
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
