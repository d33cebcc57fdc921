"""Checkpoints and liveness beside the queue: real Redis (what every machine sees) and the
embedded queue's folder keep a transcription's segments exactly, and a worker's beats."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator

import pytest

from archivist.adapters.checkpoints import QueueCheckpoints
from archivist.adapters.liveness import QueueLiveness
from archivist.domain.models import Segment, Word
from archivist.providers import redis as redis_gateway
from tests.e2e import redis_keys
from tests.e2e.redis_keys import REDIS

SEGMENTS = (Segment(0.1 / 3, 2.718281828459045, "Call to order.",
                    (Word(0.1 / 3, 1.1, " Call", 0.987654321), Word(1.2, 2.718281828459045,
                                                                      " to order.", 0.5)),
                    avg_logprob=-0.123456789, no_speech_prob=1e-9, compression_ratio=1.5),)


@pytest.fixture(params=["redis", "folder"])
def beside(request, tmp_path) -> Iterator[tuple[object, str]]:
    tag = f"t-{uuid.uuid4().hex[:8]}"
    if request.param == "folder":
        yield None, tag
        return
    client = redis_gateway.client(REDIS, connect_timeout=2, timeout=2)
    yield client, tag
    redis_keys.remove(REDIS, tag)
    assert not redis_keys.leftovers(REDIS, tag)
    client.close()


def test_a_checkpoint_comes_back_exactly_and_goes_when_dropped(beside, tmp_path):
    client, tag = beside
    store = QueueCheckpoints(client, tmp_path / "cp", tag)
    assert store.load(7) == ((), {})
    store.save(7, SEGMENTS, {"seek": 27.44, "tokens": [50363, 1012]})
    segments, context = store.load(7)
    assert tuple(segments) == SEGMENTS and context == {"seek": 27.44, "tokens": [50363, 1012]}
    store.drop(7)
    assert store.load(7) == ((), {})


def test_a_beat_makes_its_attempt_alive_until_it_expires(beside, tmp_path):
    client, tag = beside
    liveness = QueueLiveness(client, tmp_path / "alive", tag)
    assert not liveness.alive(3, 1)
    liveness.beat(3, 1, "host:1", ttl=0.5)
    assert liveness.alive(3, 1) and not liveness.alive(3, 2)
    time.sleep(0.7)
    assert not liveness.alive(3, 1)
    liveness.beat(3, 2, "host:2", ttl=5)
    liveness.forget(3)
    assert not liveness.alive(3, 2)


def test_a_store_that_does_not_answer_says_not_alive_and_no_checkpoint(tmp_path):
    with socket.socket() as s:   # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    client = redis_gateway.client(f"redis://127.0.0.1:{closed_port}/0", connect_timeout=0.5,
                                  timeout=0.5)
    liveness = QueueLiveness(client, tmp_path, "x")
    liveness.beat(1, 1, "h", ttl=5)          # logged, never raised
    assert not liveness.alive(1, 1)
    store = QueueCheckpoints(client, tmp_path, "x")
    store.save(1, SEGMENTS, {})
    assert store.load(1) == ((), {})
