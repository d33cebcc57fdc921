"""Sending to the queue has its own deadline: a broker that never answers cannot hold a click."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from archivist import containers
from archivist.domain.errors import GatewayUnavailable
from archivist.providers import settings


def hung_queue(tmp_path: Path, port: int, deadline: float):
    config_file = tmp_path / "archivist.yml"
    config_file.write_text(f"worker: {{enqueue_timeout: {deadline}}}\n"
                           "redis: {connect_timeout: 10, timeout: 10, retry: {attempts: 3}}\n")
    config = settings.load(config_file, {"ARCHIVIST_DATA_DIR": str(tmp_path / "data"),
                                         "ARCHIVIST_REDIS_URL": f"redis://127.0.0.1:{port}/0"})
    return containers.build(config).job_queue()


@pytest.mark.parametrize("send", ["enqueue", "publish_job"])
def test_a_send_to_a_silent_broker_gives_up_at_enqueue_timeout(black_hole, tmp_path, send):
    queue = hung_queue(tmp_path, black_hole.port, 0.5)
    started = time.monotonic()
    with pytest.raises(GatewayUnavailable, match=r"no answer within 0\.5s"):
        getattr(queue, send)(7)
    assert time.monotonic() - started < 1.0
