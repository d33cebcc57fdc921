"""The recording page's script (static/archivist.js) in Chromium over the page's own markup
(templates/recording.html, as staff see a captioned recording), the API answered by the test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.script_pages import script_page

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
    with script_page(browser, "http://recording.test/recordings/1", PAGE, {
            "POST /api/v1/jobs": (202, {"id": 2, "state": "queued", "progress": 0}),
            "GET /api/v1/jobs/2": (200, {"id": 2, "state": "running", "progress": 0.37})}) as opened:
        yield opened


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
