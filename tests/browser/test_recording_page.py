"""The recording page's script (static/archivist.js) in Chromium over the page's own markup
(templates/recording.html, as staff see a captioned recording), the API answered by the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).parents[2] / "archivist" / "entrypoints" / "web" / "static" / "archivist.js"
ORIGIN = "http://recording.test"
PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>recording</title>
<meta name="csrf-token" content="token">
<main><dl>
  <dt>Captions</dt><dd id="latest" data-id="1" data-state="succeeded" data-reload>
    <span class="state captioned">captioned</span>
    <span class="percent"></span>
    <a href="/jobs/1">job 1</a>
    (2026-12-07 17:32:13 → 2026-12-07 17:32:29)</dd>
</dl>
<p class="actions recording-actions" data-id="1" data-state="succeeded">
  <button class="retry" data-action="retry">Retry</button>
  <button class="again" type="button" data-path="/mnt/riverton/council.mp4">Caption again</button>
  <span class="feedback" role="status"></span>
</p></main>
<script src="/archivist.js"></script>"""


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()

    def answer(route: Any) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path == "/recordings/1":
            route.fulfill(content_type="text/html", body=PAGE)
        elif path == "/archivist.js":
            route.fulfill(content_type="text/javascript", body=SCRIPT.read_text())
        elif path == "/api/v1/jobs" and route.request.method == "POST":
            route.fulfill(status=202, json={"id": 2, "state": "queued", "progress": 0})
        elif path == "/api/v1/jobs/2":
            route.fulfill(json={"id": 2, "state": "running", "progress": 0.37})
        else:
            route.fulfill(status=404, json={"error": {"message": "not here"}})
    context.route(f"{ORIGIN}/**", answer)
    opened = context.new_page()
    opened.on("dialog", lambda dialog: dialog.accept())
    opened.goto(f"{ORIGIN}/recordings/1")
    yield opened
    context.close()


def test_caption_again_shows_the_new_job_not_the_last_ones_link_and_times(page: Any) -> None:
    """After "Caption again" the page said "running 37 % job 1 (17:32:13 → 17:32:29)": the
    new job's state over the finished job's link and times, for as long as the new one ran
    (an hour for a long meeting)."""
    page.click("button.again")
    page.wait_for_function("() => document.querySelector('#latest .percent').textContent.trim()")
    latest = page.locator("#latest")
    said = " ".join(latest.inner_text().split())
    assert said == "running 37 % job 2", said
    assert latest.locator("a").get_attribute("href") == "/jobs/2"
