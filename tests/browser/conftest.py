"""A one-box station served by `archivist serve` (SQLite, embedded queue, embedded worker) and
Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.environment import station_env

SAMPLE = next((Path(__file__).parents[2] / "archivist" / "samples").glob("*.mp4"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
STAFF, PASSWORD = "dana", "a long station password"


class Served:
    """The station: its URL, its mount and its processes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.mount = root / "mnt" / "riverton"
        self.mount.mkdir(parents=True)
        self.recording = Path(shutil.copy(SAMPLE, self.mount / SAMPLE.name))
        eastfield = root / "mnt" / "eastfield"   # a city with a live source, startable from its page
        eastfield.mkdir()
        # A second loopback address: Chromium treats only localhost and 127.0.0.1 as secure, so
        # this is a station's LAN address as far as cookies go (served with the defaults).
        self.host = "127.0.0.2"
        with socket.socket() as s:
            s.bind((self.host, 0))
            self.port = s.getsockname()[1]
        self.url = f"http://{self.host}:{self.port}"
        config = {"library": {"cities": [
                      {"name": "Riverton", "path": str(self.mount)},
                      {"name": "Eastfield", "path": str(eastfield),
                       "live": {"source": "udp://127.0.0.1:5999"}}]},
                  # deadline: this test machine is shared and loaded; a login's password
                  # hash can take longer than the default change deadline (2.3 s) there.
                  "web": {"host": self.host, "port": self.port, "deadline": 5},
                  "worker": {"queue": f"browser-{uuid.uuid4().hex[:8]}", "heartbeat_seconds": 0.5,
                             "scan_every": 3600}}
        (root / "station.yml").write_text(yaml.safe_dump(config))
        self.env = station_env()
        self.env.update(ARCHIVIST_DATA_DIR=str(root / "data"),
                        ARCHIVIST_CONFIG=str(root / "station.yml"))
        self.log = root / "serve.log"
        self.server: subprocess.Popen[bytes] | None = None

    def archivist(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", *args],
                              env=self.env, input=stdin, capture_output=True, text=True,
                              timeout=120, check=True)

    def start(self) -> None:
        self.server = subprocess.Popen(
            [sys.executable, "-m", "archivist.entrypoints.cli", "serve"], env=self.env,
            stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/api/v1/openapi.json", timeout=2)
                # The first use of the database migrates it: done here, not in a timed login.
                urllib.request.urlopen(f"{self.url}/api/v1/jobs", timeout=30)
                return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"archivist serve did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.server is None or self.server.poll() is not None:
            return
        self.server.send_signal(signal.SIGTERM)
        try:
            self.server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait(timeout=10)


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    served = Served(tmp_path_factory.mktemp("station"))
    served.archivist("user", "add", STAFF, "--password-stdin", stdin=PASSWORD + "\n")
    served.start()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: scripts/setup installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def page(browser: Any, station: Served) -> Iterator[Any]:
    context = browser.new_context(base_url=station.url)
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here drives a browser: `scripts/test --quick` leaves them out by this mark.
    (A module's tests share its station and go on from each other's steps, a fix saved then
    found in every output: scripts/test runs each file's tests in one process, in order.)"""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
