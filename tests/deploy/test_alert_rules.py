"""The shipped Prometheus rules load, every alert fires when it should and not otherwise
(promtool's unit tests in deploy/prometheus/alerts.test.yml), and the example configuration
that loads them is valid."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from tests.deploy.catalogue import DEPLOY, PROMETHEUS_OWN, exported_names, names_in

PROMETHEUS = DEPLOY / "prometheus"
RULES = PROMETHEUS / "alerts.yml"


@pytest.fixture(scope="module")
def promtool() -> str:
    found = shutil.which("promtool")
    assert found, "promtool is missing: scripts/setup installs Debian's prometheus package"
    return found


def _promtool(promtool: str, *args: str) -> str:
    done = subprocess.run([promtool, *args], cwd=PROMETHEUS, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_rules_are_valid(promtool: str) -> None:
    assert "SUCCESS" in _promtool(promtool, "check", "rules", RULES.name)


def test_every_alert_passes_its_unit_tests(promtool: str) -> None:
    assert "SUCCESS" in _promtool(promtool, "test", "rules", "alerts.test.yml")


def test_example_prometheus_config_loads_the_rules(promtool: str) -> None:
    out = _promtool(promtool, "check", "config", "prometheus.yml")
    assert "1 rule files found" in out


def _alerts() -> list[dict]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def test_every_alert_is_unit_tested() -> None:
    tests = yaml.safe_load((PROMETHEUS / "alerts.test.yml").read_text())["tests"]
    fired = {case["alertname"] for test in tests for case in test["alert_rule_test"]
             if case["exp_alerts"]}
    quiet = {case["alertname"] for test in tests for case in test["alert_rule_test"]
             if not case["exp_alerts"]}
    names = {rule["alert"] for rule in _alerts()}
    assert names - fired == set(), "alerts never seen firing in a test"
    assert names - quiet == set(), "alerts never seen staying quiet in a test"


def test_every_alert_says_how_bad_and_what_to_do() -> None:
    for rule in _alerts():
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        assert "`archivist " in rule["annotations"]["description"] \
            or "`curl" in rule["annotations"]["description"], rule["alert"]


def test_rules_use_only_metrics_archivist_exports() -> None:
    known = exported_names() | PROMETHEUS_OWN
    for rule in _alerts():
        used = names_in(rule["expr"])
        assert used or "up{" in rule["expr"], f"{rule['alert']} reads no metric"
        assert used <= known, f"{rule['alert']}: unknown {used - known}"
