"""Releasing gateways: one that fails to close is logged, and the others are still closed."""

from __future__ import annotations

import logging

import pytest

from archivist.providers.lifecycle import Built


def test_a_gateway_that_fails_to_close_is_logged_and_the_rest_still_close(
        caplog: pytest.LogCaptureFixture) -> None:
    closed: list[str] = []

    def refuse(_: object) -> None:
        raise OSError("socket already gone")

    built = Built()
    built.gateway(lambda: "engine", closed.append, None)
    built.gateway(lambda: "redis", refuse, None)
    with caplog.at_level(logging.WARNING):
        built.release(closing=True)
    assert closed == ["engine"]
    [failed] = [r for r in caplog.records if r.getMessage() == "gateway release failed"]
    assert "socket already gone" in failed.error   # type: ignore[attr-defined]
