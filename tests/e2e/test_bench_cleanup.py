"""The benchmark leaves nothing in the system temp folder."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bench_removes_its_data_folder(tmp_path):
    before = set(Path(tempfile.gettempdir()).glob("archivist-bench-*"))
    subprocess.run([sys.executable, "bench/foundation.py", "--runs", "0", "--import-runs", "1"],
                   cwd=REPO, check=True, capture_output=True, timeout=300)
    assert set(Path(tempfile.gettempdir()).glob("archivist-bench-*")) == before
