"""Fixtures for the end-to-end tests: real media (see media.py) and the `archivist` command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.media import CONTAINERS, SAMPLE, ffmpeg
from tests.environment import station_env


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here runs the `archivist` command or its processes: `scripts/test --quick`
    leaves them to CI by this mark."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def media(tmp_path_factory) -> dict[str, Path]:
    """Good recordings in every container, and the bad kinds a station's storage holds."""
    if not shutil.which("ffmpeg"):
        pytest.fail("ffmpeg is needed to make test media (scripts/setup installs it)")
    folder = tmp_path_factory.mktemp("media")
    made = {}
    for name, opts in CONTAINERS.items():
        made[name] = folder / name
        ffmpeg("-i", str(SAMPLE), "-t", "12", *opts, str(made[name]))
    made["no-audio.mp4"] = folder / "no-audio.mp4"
    ffmpeg("-i", str(SAMPLE), "-t", "5", "-an", "-c:v", "libx264", "-preset", "ultrafast",
           str(made["no-audio.mp4"]))
    made["empty.mp4"] = folder / "empty.mp4"
    made["empty.mp4"].write_bytes(b"")
    made["agenda.mp4"] = folder / "agenda.mp4"
    made["agenda.mp4"].write_text("Agenda: 1. Call to order 2. Roll call\n" * 50)
    made["truncated.mp4"] = folder / "truncated.mp4"
    data = SAMPLE.read_bytes()
    made["truncated.mp4"].write_bytes(data[: len(data) // 2])
    return made


@pytest.fixture
def archivist(tmp_path):
    """Run the `archivist` command with its embedded defaults and a data dir of its own."""
    env = station_env()
    env["ARCHIVIST_DATA_DIR"] = str(tmp_path / "data")

    def run(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", *args],
                                env=env, capture_output=True, text=True, timeout=600)
        if check and result.returncode:
            raise AssertionError(f"archivist {' '.join(args)} exited {result.returncode}:\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result
    run.env = env
    run.data_dir = tmp_path / "data"
    return run
