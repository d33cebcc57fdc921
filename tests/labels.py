"""The label rule, checked over every series a scrape returns: label values are bounded (no
path, number id, URL, host:pid or secret), and no metric has more than a few series."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from prometheus_client.parser import text_string_to_metric_families

Samples = Mapping[tuple[str, tuple[tuple[str, str], ...]], float]

# Labels whose values are numbers or URL rules by nature.
NUMERIC = {"le", "quantile", "status"}
MAX_VALUES_PER_LABEL = 40
MAX_SERIES_PER_METRIC = 400


def parse(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape, by name and sorted label pairs."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float | None:
    """One sample's value, or None when the scrape has no such series."""
    return samples.get((name, tuple(sorted(labels.items()))))


def assert_bounded_labels(samples: Samples, secrets: Iterable[str] = (), places: Iterable[str] = ()) -> None:
    """`samples`: (name, sorted label pairs) -> value, as a scrape is parsed."""
    secrets = [s for s in secrets if s]
    values: dict[str, set[str]] = defaultdict(set)
    series: dict[str, int] = defaultdict(int)
    for name, labels in samples:
        series[name] += 1
        for label, value in labels:
            values[label].add(value)
            where = f"{name}{{{label}={value!r}}}"
            assert not any(secret in value for secret in secrets), f"a secret in {where}"
            assert not any(place in value for place in places), f"a path in {where}"
            assert "://" not in value, f"a URL in {where}"
            assert not re.search(r"\S+:\d+$", value), f"a host:port or host:pid in {where}"
            if label in NUMERIC:
                continue
            assert not re.fullmatch(r"\d+", value), f"a number id in {where}"
            if label == "route":
                assert value == "unmatched" or (value.startswith("/") and not re.search(
                    r"/\d+(/|$)", value)), f"a raw path, not a URL rule, in {where}"
            else:
                assert "/" not in value and "\\" not in value, f"a path in {where}"
    for label, seen in values.items():
        if label not in ("le", "quantile"):
            assert len(seen) <= MAX_VALUES_PER_LABEL, f"label {label} has {len(seen)} values"
    for name, count in series.items():
        assert count <= MAX_SERIES_PER_METRIC, f"{name} has {count} series"
