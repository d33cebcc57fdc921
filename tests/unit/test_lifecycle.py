"""Releasing gateways: one that fails to close is logged, and the others are still closed; a
forked child forgets its parent's gateways without closing them."""

from __future__ import annotations

import logging

import pytest
from dependency_injector import containers, providers

from archivist.providers import lifecycle

closed: list[str] = []
forgotten: list[str] = []


def refuse(_: object) -> None:
    raise OSError("socket already gone")


class Gateways(containers.DeclarativeContainer):
    engine = providers.ThreadSafeSingleton(providers.Resource(
        lifecycle.gateway, build=lambda: "engine", close=closed.append, forget=forgotten.append))
    redis = providers.ThreadSafeSingleton(providers.Resource(
        lifecycle.gateway, build=lambda: "redis", close=refuse, forget=None))


@pytest.fixture(autouse=True)
def _clean() -> None:
    closed.clear()
    forgotten.clear()


def test_a_gateway_that_fails_to_close_is_logged_and_the_rest_still_close(
        caplog: pytest.LogCaptureFixture) -> None:
    gateways = Gateways()
    gateways.engine(), gateways.redis()
    with caplog.at_level(logging.WARNING):
        lifecycle.shutdown(gateways)
    assert closed == ["engine"]
    [failed] = [r for r in caplog.records if r.getMessage() == "gateway release failed"]
    assert "socket already gone" in failed.error   # type: ignore[attr-defined]


def test_forgetting_closes_nothing_and_the_next_use_builds_anew() -> None:
    gateways = Gateways()
    gateways.engine(), gateways.redis()
    lifecycle.forget(gateways)
    assert forgotten == ["engine"] and closed == []
    gateways.engine()
    lifecycle.shutdown(gateways)
    assert closed == ["engine"]      # the new one; the forgotten one was never closed
