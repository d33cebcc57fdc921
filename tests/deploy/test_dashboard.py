"""The Grafana dashboard is valid JSON, every panel query parses as PromQL, and it reads only
metrics Archivist exports."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.catalogue import DEPLOY, PROMETHEUS_OWN, exported_names, names_in

DASHBOARD = DEPLOY / "grafana" / "archivist.json"
# Grafana's variables, as Prometheus would see them once Grafana filled them in.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$city": ".*"}


def _dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text())


def _queries() -> dict[str, str]:
    """Each panel's queries, by panel title and query letter."""
    found = {}
    for panel in _dashboard()["panels"]:
        for target in panel.get("targets", []):
            found[f"{panel['title']} [{target['refId']}]"] = target["expr"]
    return found


def _filled(query: str) -> str:
    for variable, value in GRAFANA_VARIABLES.items():
        query = query.replace(variable, value)
    return query


def test_dashboard_shows_what_the_night_shift_looks_at() -> None:
    dashboard = _dashboard()
    assert dashboard["uid"] == "archivist"
    titles = " ".join(p["title"].lower() for p in dashboard["panels"])
    for subject in ("jobs by state", "backlog", "oldest", "real-time factor", "audio",
                    "gateway state", "probe time", "retries", "http p95", "start-up"):
        assert subject in titles, subject


def test_dashboard_reads_only_metrics_archivist_exports() -> None:
    known = exported_names() | PROMETHEUS_OWN
    used: set[str] = set()
    for where, query in _queries().items():
        names = names_in(query)
        assert names <= known, f"{where}: unknown {names - known}"
        used |= names
    # Every metric of the catalogue is on the dashboard somewhere (a histogram by any series).
    shown = {n.removesuffix("_bucket").removesuffix("_count").removesuffix("_sum") for n in used}
    catalogue = {n.removesuffix("_bucket").removesuffix("_count").removesuffix("_sum")
                 for n in exported_names()}
    assert catalogue - shown == set()


def test_every_panel_query_is_valid_promql(tmp_path: Path) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail("promtool is missing: scripts/setup installs Debian's prometheus package")
    rules = [{"record": f"dashboard:query_{i}", "expr": _filled(q)}
             for i, q in enumerate(_queries().values())]
    path = tmp_path / "dashboard-queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    done = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
