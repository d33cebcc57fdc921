"""How many cases a property test tries: its full count in CI, a tenth (at least 10) in
`scripts/test --quick`, which sets ARCHIVIST_TEST_QUICK=1. The properties checked are the same."""

from __future__ import annotations

import os

QUICK = os.environ.get("ARCHIVIST_TEST_QUICK") == "1"


def examples(n: int) -> int:
    return max(10, n // 10) if QUICK else n
