"""A dashboard row's "Caption this now" in Chromium (static/archivist.js over the row's markup
in templates/dashboard.html, as staff see a new recording), the API answered by the test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.script_pages import script_page

PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>dashboard</title>
<meta name="csrf-token" content="token">
<main><table><tbody>
  <tr class="shelf-row" data-job="" data-state="new">
    <td data-label="Meeting">Text Meeting</td>
    <td data-label="Captions"><span class="state new">new</span> <span class="percent"></span></td>
    <td data-label="Actions" class="actions">
      <button class="caption-now" data-path="/mnt/riverton/text.mp4"
              aria-label="Caption this now: Text Meeting">Caption this now</button>
      <span class="feedback" role="status"></span>
    </td>
  </tr>
</tbody></table></main>
<script src="/archivist.js"></script>"""


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with script_page(browser, "http://dashboard.test/", PAGE, {
            "POST /api/v1/jobs": (202, {"id": 6, "state": "queued", "progress": 0}),
            "GET /api/v1/jobs/6": (200, {"id": 6, "state": "failed", "progress": 0,
                                         "error": "text.mp4: not a media file"})}) as opened:
        yield opened


def test_the_answer_beside_the_button_follows_the_job(page: Any) -> None:
    """The row turned "failed" while the answer beside it still said "Job 6 queued", and no
    screen reader heard that it failed or why."""
    page.click("button.caption-now")
    page.wait_for_selector("tr.shelf-row[data-state=failed]")
    row = " ".join(page.locator("tr.shelf-row").inner_text().split())
    assert "queued" not in row, row
    assert page.locator(".feedback").inner_text() == "Job 6 failed: text.mp4: not a media file"
