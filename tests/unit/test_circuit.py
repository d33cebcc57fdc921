"""The circuit that stops calls to a backend that keeps failing."""

from __future__ import annotations

from archivist.domain.policy import Circuit
from tests.fakes import Clock


def test_the_circuit_opens_after_the_threshold_of_consecutive_failures() -> None:
    circuit = Circuit(threshold=3, cooldown=10, clock=Clock(100.0))
    for _ in range(2):
        circuit.failed("timeout")
        assert circuit.allow()
    circuit.failed("timeout")
    assert circuit.is_open and not circuit.allow()
    assert circuit.describe() == ("open after 3 consecutive failures, next try in 10s; "
                                  "last: timeout")


def test_a_success_between_failures_starts_the_count_again() -> None:
    circuit = Circuit(threshold=2, cooldown=10, clock=Clock(100.0))
    circuit.failed()
    circuit.succeeded()
    circuit.failed()
    assert not circuit.is_open


def test_after_the_cooldown_one_trial_call_decides() -> None:
    clock = Clock(100.0)
    circuit = Circuit(threshold=1, cooldown=5, clock=clock)
    circuit.failed("refused")
    clock.now += 5
    assert circuit.allow(), "the trial call"
    assert not circuit.allow(), "only one trial at a time"
    circuit.failed("refused")
    assert circuit.is_open and circuit.retry_in() == 5

    clock.now += 5
    assert circuit.allow()
    circuit.succeeded()
    assert circuit.allow() and circuit.allow() and circuit.retry_in() == 0
