"""The one deadline primitive: a call that hangs is left behind at its deadline, a gateway
with its fill of stuck calls turns callers away at once, and a slow read is never doubled."""

from __future__ import annotations

import threading
import time

import pytest

from archivist.domain.deadline import Gate, Kept, Pending, within
from archivist.domain.errors import GatewayUnavailable


def test_a_call_that_hangs_is_left_at_its_deadline_and_one_that_answers_is_not():
    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(GatewayUnavailable, match=r"listing /mnt: no answer within 0\.2s"):
        within(lambda: release.wait(10), 0.2, "library", "listing /mnt")
    assert time.monotonic() - started < 1
    release.set()
    assert within(lambda: 42, 1, "library") == 42
    with pytest.raises(ZeroDivisionError):
        within(lambda: 1 / 0, 1, "library")


def test_a_gateway_with_its_fill_of_stuck_calls_turns_callers_away_at_once():
    gate, release = Gate("database", 2), threading.Event()
    for _ in range(5):   # answering in time never counts
        assert Pending(lambda: 1, gate=gate).wait(time.monotonic() + 1)
    stuck = [Pending(lambda: release.wait(10), gate=gate) for _ in range(2)]
    for pending in stuck:
        assert not pending.wait(time.monotonic() + 0.05)
        pending.late()   # its caller gives up: now it counts as stuck
    started = time.monotonic()
    with pytest.raises(GatewayUnavailable,
                       match=r"not answering \(2 earlier call\(s\) still waiting past their deadline"):
        Pending(lambda: 1, gate=gate)
    assert time.monotonic() - started < 0.05
    release.set()
    for pending in stuck:
        assert pending.wait(time.monotonic() + 5)
    assert Pending(lambda: 1, gate=gate).wait(time.monotonic() + 1)   # the gateway is back


def test_a_hung_read_answers_within_its_wait_and_is_never_doubled():
    release, calls = threading.Event(), []

    def hangs() -> int:
        calls.append(1)
        release.wait(10)
        return 1
    kept = Kept(hangs, keep=0)
    for _ in range(3):
        started = time.monotonic()
        answer = kept.get(0.2)
        assert answer.value is None and "no answer within 0.2s" in answer.error
        assert time.monotonic() - started < 1
    assert len(calls) == 1
    release.set()
    assert kept.get(5).value == 1


def test_a_kept_answer_is_reused_and_the_last_one_served_while_a_new_read_runs():
    now, calls, release = [0.0], [], threading.Event()

    def read() -> int:
        calls.append(1)
        if len(calls) > 1:
            release.wait(10)
        return len(calls)
    kept = Kept(read, keep=5, clock=lambda: now[0])
    assert kept.get(1).value == 1
    assert kept.get(1).value == 1 and len(calls) == 1     # fresh: kept
    now[0] = 10
    kept.begin()                                          # stale: a new read starts
    started = time.monotonic()
    assert kept.get(1, stale=True).value == 1             # the last answer, without waiting
    assert time.monotonic() - started < 0.5
    release.set()
    assert kept.get(5).value == 2
