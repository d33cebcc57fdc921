"""The model frontier judges "no worse than bare faster-whisper" against bare's own spread: bare
run at 1 and at 2 threads, each in a fresh process whose thread setting is in its environment
before numpy loads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"

# What OpenBLAS itself says it computes with, in a fresh interpreter (as bench/_corpus.BARE asks).
PROBE = """
import ctypes, numpy
libs = {line.split()[-1] for line in open("/proc/self/maps") if "openblas" in line.lower()}
print([int(ctypes.CDLL(lib).scipy_openblas_get_num_threads64_()) for lib in libs])
"""


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(BENCH))   # the benches import each other by bare name
    import _corpus
    import _frontier
    return _corpus, _frontier


def test_a_file_is_judged_by_ours_worse_run_against_bares_worse_run(bench) -> None:
    _corpus, frontier = bench
    assert frontier.verdict([0.180], [0.121, 0.194]) == "inside"     # dev 2101, tiny.en
    assert frontier.verdict([0.155], [0.181, 0.162]) == "below"      # held 2208
    assert frontier.verdict([0.170, 0.200], [0.121, 0.194]) == "WORSE +0.6"
    assert frontier.verdict([0.194], [0.121, 0.194]) == "inside"     # equal to the worse: no worse


def test_a_thread_setting_replaces_the_parents_and_default_clears_it(bench) -> None:
    _corpus, _frontier = bench
    parent = {"PATH": "/bin", "OMP_NUM_THREADS": "8"}
    one = _corpus.with_threads(parent, 1)
    assert {k: one[k] for k in _corpus.THREAD_VARIABLES} == {k: "1" for k in _corpus.THREAD_VARIABLES}
    assert _corpus.with_threads(parent, None) == {"PATH": "/bin"}
    assert _corpus.threads_of(_corpus.with_threads(parent, None)) == ""


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/maps")
def test_the_child_computes_with_the_threads_it_was_given(bench) -> None:
    _corpus, _frontier = bench
    parent = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}

    def blas(env: dict[str, str]) -> str:
        return subprocess.run([sys.executable, "-c", PROBE], env=env, check=True,
                              capture_output=True, text=True).stdout.strip()

    assert blas(_corpus.with_threads(parent, 1)) == "[1]"
    if (os.cpu_count() or 1) >= 2:
        assert blas(_corpus.with_threads(parent, 2)) == "[2]"
        assert blas(_corpus.with_threads(parent, None)) != "[1]"   # the parent's 1 not inherited
