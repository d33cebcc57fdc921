"""A staff member's evening, in a real browser against `archivist serve`: log in, caption the
sample meeting, watch its progress reach 100 %, read and play the transcript, find a phrase.

The tests run in order and share one station and one browser page, as one person would.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PASSWORD, STAFF

pytestmark = pytest.mark.slow


def test_logging_in_lands_on_the_dashboard(page, station) -> None:
    page.goto("/login?next=/")
    page.fill("input[name=name]", STAFF)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{station.url}/")
    assert page.locator("header .who").inner_text().startswith(STAFF)
    city = page.locator("section.city[data-city=Riverton]")
    assert "storage ok" in city.inner_text()
    assert "Riverton Council Sample" in city.inner_text()   # the meeting, named from its file


def test_caption_this_now_and_watch_the_progress_reach_100(page, station) -> None:
    page.click("button.caption-now")
    page.wait_for_selector("tr.shelf-row .feedback:has-text('queued')")   # beside the button
    page.goto("/jobs")
    row = page.locator("tr.job").first
    assert "Riverton Council Sample" in row.inner_text()
    # The bar moves by the page's polling alone: no reload.
    page.wait_for_function("() => { const p = document.querySelector('tr.job progress');"
                           " return p && p.value >= 100; }", timeout=180_000)
    page.wait_for_selector("tr.job[data-state=succeeded]")
    assert "100 %" in row.inner_text()


def test_the_transcript_plays_from_a_clicked_line(page) -> None:
    page.click("tr.job .job-link")
    page.wait_for_selector("#job")
    page.click("#job dd a")                    # the recording
    page.click("text=Watch with transcript")
    page.wait_for_selector("#transcript li")
    page.wait_for_function("() => document.getElementById('player').readyState >= 1")
    track = page.evaluate("() => document.querySelector('track').track.mode")
    assert track == "showing"
    line = page.locator("#transcript li").nth(2)
    start = float(line.get_attribute("data-start"))
    line.locator("button").click()
    page.wait_for_function(
        f"() => {{ const v = document.getElementById('player');"
        f" return !v.paused && v.currentTime > {start} + 0.3; }}")
    now = page.evaluate("() => document.getElementById('player').currentTime")
    assert start <= now < start + 5
    page.wait_for_selector("#transcript li.current")
    current = float(page.locator("#transcript li.current").get_attribute("data-start"))
    assert current >= start
    page.evaluate("() => document.getElementById('player').pause()")


def test_a_searched_phrase_opens_the_video_where_it_is_said(page) -> None:
    page.goto("/search")
    page.fill("input[name=q]", '"call the roll"')
    page.click("form.search button[type=submit]")
    hit = page.locator("li.hit").first
    assert "Riverton" in hit.inner_text() and "call the roll" in hit.inner_text().lower()
    href = hit.locator("a").get_attribute("href")
    said = float(re.search(r"t=([0-9.]+)", href).group(1))
    assert 6.0 < said < 11.0     # the truth file has the sentence between 2 s and 10.2 s
    hit.locator("a").click()
    page.wait_for_function(
        f"() => Math.abs(document.getElementById('player').currentTime - {said}) < 0.5")
    current = page.locator("#transcript li.current")
    assert float(current.get_attribute("data-start")) <= said <= float(
        current.get_attribute("data-end")) + 0.5
    assert "roll" in current.inner_text().lower()


def test_caption_again_with_a_chosen_model_shows_it_on_the_job(page, station) -> None:
    page.goto("/jobs")
    page.click("tr.job .job-link")
    page.click("#job dd a")                    # the recording
    choice = page.locator("select.again-model")
    offered = choice.locator("option").all_inner_texts()
    assert "tiny.en (the city's)" in offered   # the station's model, chosen unless changed
    assert choice.input_value() == "tiny.en"
    choice.select_option("tiny.en")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("button.again")
    page.wait_for_function("() => document.querySelector('.recording-actions .feedback')"
                           ".textContent.length > 1")
    said = page.locator(".recording-actions .feedback").inner_text()
    assert said.startswith("Job "), said
    assert asked and "again" in asked[0]
    job_id = re.search(r"Job (\d+)", said).group(1)
    page.goto(f"/jobs/{job_id}")
    assert page.locator("#job dd.model").inner_text() == "tiny.en (chosen by staff)"
    audit = page.evaluate("() => fetch('/api/v1/audit?action=recording.caption_again')"
                          ".then(r => r.json())")
    assert audit["entries"][0]["detail"]["model"] == "tiny.en"
