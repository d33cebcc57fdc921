"""CablecastClient.get: timeouts, bounded retries and honest errors, against a real HTTP server."""

from __future__ import annotations

import time

import pytest

from archivist.adapters.cablecast import CablecastClient, CablecastError
from archivist.domain.errors import GatewayUnavailable, NotFound
from archivist.providers import http, policies

RETRY = {"attempts": 3, "backoff": 0.01, "max_backoff": 0.05, "deadline": 10.0}


def client(url: str, timeout: float = 1.0, user: str = "") -> CablecastClient:
    return CablecastClient(
        session=http.session(url, user, "pw"), base_url=url, timeouts=http.Timeouts(timeout, timeout),
        retry=policies.policy("cablecast", RETRY, http.is_transient))


def test_get_returns_json_from_the_api_path_with_params(fake_cablecast) -> None:
    fake_cablecast.body = {"shows": [{"id": 10845}], "meta": {"count": 1}}
    shows = client(fake_cablecast.url + "/").get("/shows", search="council", page_size=10)
    assert shows["shows"][0]["id"] == 10845
    [(path, _)] = fake_cablecast.requests
    assert path == "/cablecastapi/v1/shows?search=council&page_size=10"


def test_transient_server_errors_are_retried(fake_cablecast) -> None:
    fake_cablecast.answers = [503, 500, 200]
    assert client(fake_cablecast.url).get("locations")["locations"]
    assert len(fake_cablecast.requests) == 3


def test_server_errors_past_the_retry_budget_make_the_gateway_unavailable(fake_cablecast) -> None:
    fake_cablecast.answers = [500]
    with pytest.raises(GatewayUnavailable) as caught:
        client(fake_cablecast.url).get("shows")
    assert caught.value.gateway == "cablecast"
    assert "500" in str(caught.value)
    assert len(fake_cablecast.requests) == RETRY["attempts"]


def test_bad_credentials_fail_at_once_and_say_so(fake_cablecast) -> None:
    fake_cablecast.answers = [401]
    with pytest.raises(CablecastError) as caught:
        client(fake_cablecast.url, user="archivist").get("shows")
    assert caught.value.status == 401
    assert "cablecast.password" in str(caught.value)
    assert len(fake_cablecast.requests) == 1, "a 4xx is not worth retrying"


def test_unknown_record_is_not_found(fake_cablecast) -> None:
    fake_cablecast.answers = [404]
    with pytest.raises(NotFound, match="shows/99"):
        client(fake_cablecast.url).get("shows/99")


def test_hanging_server_gives_up_within_attempts_times_timeout(fake_cablecast) -> None:
    fake_cablecast.answers = ["hang"]
    started = time.monotonic()
    with pytest.raises(GatewayUnavailable, match=r"no answer within 0\.3s"):
        client(fake_cablecast.url, timeout=0.3).get("shows")
    assert time.monotonic() - started < RETRY["attempts"] * 0.3 + 1.0
    assert len(fake_cablecast.requests) == RETRY["attempts"]


def test_refused_connection_makes_the_gateway_unavailable(closed_port: int) -> None:
    with pytest.raises(GatewayUnavailable, match="Connection refused"):
        client(f"http://127.0.0.1:{closed_port}").get("shows")


def test_unconfigured_client_is_disabled_and_refuses_calls() -> None:
    off = CablecastClient(session=None, base_url="", timeouts=http.Timeouts(1, 1),
                          retry=policies.policy("cablecast", RETRY, http.is_transient))
    assert off.enabled is False
    with pytest.raises(GatewayUnavailable, match="publishing is off"):
        off.get("shows")
