"""The metric names the shipped rules and dashboard may use, and the names a query uses."""

from __future__ import annotations

import re
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
HISTOGRAM_SERIES = ("_bucket", "_sum", "_count")
# Series Prometheus makes itself, not Archivist.
PROMETHEUS_OWN = {"up"}

_NAME = re.compile(r"\b(archivist_[a-z0-9_]+)\b")


def exported_names() -> set[str]:
    """Every series name the catalogue exports (a histogram's as its three series)."""
    names: set[str] = set()
    for line in (DEPLOY / "metric_names.txt").read_text().splitlines():
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        name, *kind = fields
        names |= {name + s for s in HISTOGRAM_SERIES} if kind == ["histogram"] else {name}
    return names


def names_in(query: str) -> set[str]:
    """The archivist_ series a PromQL query reads (labels values and strings left out)."""
    without_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', query)
    return set(_NAME.findall(without_strings))
