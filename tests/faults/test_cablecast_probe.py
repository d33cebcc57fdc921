"""CablecastProbe against a real HTTP server standing in for Cablecast."""

from __future__ import annotations

import time

from archivist.adapters.cablecast import CablecastProbe
from archivist.domain.health import Status
from archivist.providers import http


def probe(url: str, user: str = "", password: str = "", timeout: float = 1.0) -> CablecastProbe:
    return CablecastProbe(http.session(url, user, password), url, http.Timeouts(timeout, timeout))


def test_unconfigured_cablecast_is_ok_and_says_publishing_is_off() -> None:
    result = CablecastProbe(http.session("", "", ""), "", http.Timeouts(1, 1)).check()
    assert result.status is Status.OK
    assert result.detail == "not configured: publishing is off"


def test_answering_server_is_ok_and_gets_credentials_on_the_locations_path(fake_cablecast) -> None:
    result = probe(fake_cablecast.url, "archivist", "pw").check()
    assert result.status is Status.OK, result.detail
    assert "1 location" in result.detail
    [(path, auth)] = fake_cablecast.requests
    assert path == "/cablecastapi/v1/locations"
    assert auth and auth.startswith("Basic ")


def test_bad_credentials_are_degraded_and_name_the_settings(fake_cablecast) -> None:
    fake_cablecast.answers = [401]
    result = probe(fake_cablecast.url, "archivist", "wrong").check()
    assert result.status is Status.DEGRADED
    assert "401" in result.detail and "cablecast.password" in result.detail
    assert "wrong" not in result.detail


def test_server_error_is_degraded_once_without_retry(fake_cablecast) -> None:
    fake_cablecast.answers = [500]
    result = probe(fake_cablecast.url).check()
    assert result.status is Status.DEGRADED
    assert "500" in result.detail and "fake says 500" in result.detail
    assert len(fake_cablecast.requests) == 1


def test_hanging_server_is_down_within_the_read_timeout(fake_cablecast) -> None:
    fake_cablecast.answers = ["hang"]
    started = time.monotonic()
    result = probe(fake_cablecast.url, timeout=0.5).check()
    elapsed = time.monotonic() - started
    assert result.status is Status.DOWN
    assert "no answer" in result.detail and "0.5s" in result.detail
    assert elapsed < 1.5, f"probe took {elapsed:.2f}s"
    assert len(fake_cablecast.requests) == 1


def test_refused_connection_is_down(closed_port: int) -> None:
    result = probe(f"http://127.0.0.1:{closed_port}").check()
    assert result.status is Status.DOWN
    assert "Connection refused" in result.detail


def test_a_server_that_is_not_cablecast_is_degraded(fake_cablecast) -> None:
    fake_cablecast.answers = [404]
    result = probe(fake_cablecast.url).check()
    assert result.status is Status.DEGRADED
    assert "no Cablecast API" in result.detail
