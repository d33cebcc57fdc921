"""The station as residents and staff meet it on a LAN and on phones, in a real browser: log in
at a LAN address with the defaults, caption a broadcast master (MPEG-2 in a transport stream)
and see its row turn "captioned" without a reload, play it from its transcript (a browser copy
made by the worker) and seek, hear that a vanished file cannot play, and find every page fits a
390 px phone with no serious accessibility failures (axe-core).

The tests run in order and share one station and one browser page, as one person would.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import PASSWORD, SAMPLE, STAFF

pytestmark = pytest.mark.slow

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
MASTER = "1002-1-City Council Regular Meeting (20261110).ts"
CHECKED = {"id": None}   # the TS recording's id, once the dashboard links it


@pytest.fixture(scope="module")
def phone(browser: Any, station: Any) -> Iterator[Any]:
    """A phone-sized page; CSP bypassed only so that the test can inject axe-core."""
    context = browser.new_context(base_url=station.url, viewport=PHONE, bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def log_in(page: Any, station: Any) -> None:
    page.goto("/login?next=/")
    page.fill("input[name=name]", STAFF)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{station.url}/")


def test_staff_log_in_from_a_lan_address_with_the_default_settings(phone, station) -> None:
    assert station.url.startswith("http://127.0.0.2:")
    log_in(phone, station)
    assert phone.locator("header .who").inner_text().startswith(STAFF)
    cookie = next(c for c in phone.context.cookies() if c["name"] == "session")
    assert not cookie["secure"]    # plain HTTP: a Secure cookie would never come back


def test_a_captioned_row_turns_captioned_without_a_reload(phone, station) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(SAMPLE),
                    "-c:v", "mpeg2video", "-q:v", "6", "-c:a", "mp2", "-f", "mpegts",
                    str(station.mount / MASTER)], check=True, timeout=180)
    row = phone.locator("tr.shelf-row", has_text="City Council Regular Meeting")
    listed_by = time.monotonic() + 30          # the dashboard lists a mount every 5 s at most
    phone.goto("/")
    while row.count() == 0 and time.monotonic() < listed_by:
        time.sleep(1)
        phone.goto("/")
    phone.evaluate("() => { window.sameDocument = true; }")
    assert "Tue 10 Nov 2026" in row.inner_text()          # the date in its name, not the mtime
    row.locator("button.caption-now").click()
    row.locator(".feedback", has_text="queued").wait_for()   # said beside the button
    row.locator(".state", has_text="captioned").wait_for(timeout=240_000)
    assert phone.evaluate("() => window.sameDocument === true")   # no reload happened
    phone.reload()
    link = phone.locator("tr.shelf-row", has_text="City Council Regular Meeting").locator("a").first
    CHECKED["id"] = int(link.get_attribute("href").rsplit("/", 1)[1])


def test_the_transport_stream_plays_from_its_transcript_and_seeks(phone, station) -> None:
    transcript = f"/recordings/{CHECKED['id']}/transcript"
    deadline = time.monotonic() + 240
    phone.goto(transcript)
    while phone.locator("#player").count() == 0:   # the worker is making its browser copy
        assert time.monotonic() < deadline, phone.locator("main").inner_text()
        assert "being made" in phone.locator("#no-player").inner_text()
        time.sleep(2)
        phone.reload()
    served = phone.request.get(f"/recordings/{CHECKED['id']}/media", headers={"Range": "bytes=0-99"})
    assert served.status == 206 and served.headers["content-type"] == "video/mp4"
    phone.wait_for_function("() => document.getElementById('player').readyState >= 1")
    line = phone.locator("#transcript li").nth(1)
    start = float(line.get_attribute("data-start"))
    line.locator("button").click()
    phone.wait_for_function(
        f"() => {{ const v = document.getElementById('player');"
        f" return !v.paused && v.currentTime > {start} + 0.3; }}")
    assert start <= phone.evaluate("() => document.getElementById('player').currentTime") < start + 5
    phone.evaluate("() => document.getElementById('player').pause()")
    later = phone.locator("#transcript li").last
    at = float(later.get_attribute("data-start"))
    later.locator("button").focus()
    phone.keyboard.press("Space")                       # lines are buttons: Space seeks too
    phone.wait_for_function(
        f"() => Math.abs(document.getElementById('player').currentTime - {at}) < 1.5")
    phone.evaluate("() => document.getElementById('player').pause()")
    phone.click("#copy-moment")
    link = phone.locator("#moment-link").input_value()
    assert link.startswith(station.url + transcript + "?t=")
    moment = int(link.rsplit("=", 1)[1])
    phone.goto(link)
    phone.wait_for_function(
        f"() => Math.abs(document.getElementById('player').currentTime - {moment}) < 1")


def test_a_vanished_file_is_said_where_the_player_would_be(phone, station) -> None:
    (station.mount / MASTER).unlink()
    phone.goto(f"/recordings/{CHECKED['id']}/transcript")
    said = phone.locator("#no-player").inner_text()
    assert "not on the city's storage" in said and phone.locator("#player").count() == 0
    assert phone.locator("#transcript li").count() >= 2    # the transcript still reads


def pages(recording_id: int) -> list[str]:
    return ["/", "/recordings", "/cities/Riverton", "/recordings?body=City+Council",
            "/search?q=council", "/jobs", "/jobs/1", "/status", "/login",
            f"/recordings/{recording_id}", f"/recordings/{recording_id}/transcript",
            f"/recordings/{recording_id}/edit", "/audit", "/live", "/live/Riverton", "/no/such/page"]


def problems(page: Any, url: str) -> list[str]:
    """What is wrong with a page on a phone: sideways scrolling, serious axe findings, a
    cell's name shown with nothing after it."""
    page.goto(url)
    found = []
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    if wide > PHONE["width"]:
        found.append(f"{url}: {wide} px wide")
    if page.evaluate("() => typeof window.axe") == "undefined":
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")
    # A phone shows each cell with its column's name: a name with nothing after it reads as
    # something missing ("Detail:" for a resident, who is not shown the gateways' detail).
    bare = page.evaluate("""() => [...document.querySelectorAll('td[data-label]')]
        .filter(td => td.getClientRects().length && !td.innerText.trim()
                && !['none', '""'].includes(getComputedStyle(td, '::before').content))
        .map(td => td.dataset.label)""")
    found += [f"{url}: a '{label}:' with nothing after it" for label in bare]
    return found + [f"{url}: {v}" for v in violations]


def test_every_page_fits_a_phone_and_passes_axe_logged_in(phone) -> None:
    wrong = [p for url in pages(CHECKED["id"]) for p in problems(phone, url)]
    assert not wrong, "\n".join(wrong)


def test_every_page_fits_a_phone_and_passes_axe_logged_out(browser, station) -> None:
    context = browser.new_context(base_url=station.url, viewport=PHONE, bypass_csp=True)
    context.set_default_timeout(15_000)
    visitor = context.new_page()
    try:
        wrong = [p for url in pages(CHECKED["id"]) for p in problems(visitor, url)]
        assert visitor.request.get("/favicon.ico").status == 200
    finally:
        context.close()
    assert not wrong, "\n".join(wrong)
