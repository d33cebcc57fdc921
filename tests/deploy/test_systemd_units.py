"""The systemd units in deploy/systemd/ are valid units that run the commands this checkout
has, and rely on systemd's defaults for stopping (which the worker now meets)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
DEFAULT_TIMEOUT_STOP = 90   # systemd's DefaultTimeoutStopSec


def parsed(unit: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str   # type: ignore[assignment,method-assign]
    parser.read_string(unit.read_text())
    return parser


def test_there_is_a_unit_for_each_long_running_process():
    commands = {parsed(u)["Service"]["ExecStart"].split("archivist ", 1)[1] for u in UNITS}
    assert commands == {"worker --beat", "worker", "serve", "live start %I"}


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_a_unit_stops_with_systemds_defaults(unit):
    service = parsed(unit)["Service"]
    assert "KillMode" not in service and "TimeoutStopSec" not in service
    stop_timeout = yaml.safe_load((ROOT / "archivist" / "config.yml").read_text())["worker"][
        "stop_timeout"]
    assert stop_timeout < DEFAULT_TIMEOUT_STOP
    assert parsed(unit)["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_systemd_analyze_verifies_the_unit(unit, tmp_path):
    # Pointed at this checkout's command, as an operator's copy points at their install.
    here = Path(sys.executable).parent / "archivist"
    # A template is verified as an instance of it, as systemd runs it.
    copy = tmp_path / unit.name.replace("@.", "@Riverton.")
    copy.write_text(unit.read_text().replace("/opt/archivist/.venv/bin/archivist", str(here)))
    done = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True,
                          text=True, timeout=60)
    problems = [line for line in (done.stdout + done.stderr).splitlines() if copy.name in line]
    assert done.returncode == 0 and not problems, done.stdout + done.stderr
