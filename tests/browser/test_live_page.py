"""The live page in a real browser: words appear as the session sends them, with no reload."""

from __future__ import annotations

from datetime import datetime

from archivist.adapters.live.files import LiveFolder
from archivist.domain.live.rollup import Row
from archivist.domain.models import Word


def said(text: str, start: float) -> list[tuple[Word, float, float]]:
    return [(Word(start + i, start + i + 0.5, w), 1000.0 + start + i, 1.0)
            for i, w in enumerate(text.split())]


def ended_session(station) -> LiveFolder:
    """Riverton's live folder once a session has said "Meeting adjourned." and ended."""
    folder = LiveFolder(station.root / "data", "Riverton")
    assert folder.claim()
    folder.began("udp://127.0.0.1:5000")
    folder.sent(said("Meeting adjourned.", 1.0))
    folder.ended()
    folder.release()
    return folder


def test_the_live_transcript_grows_as_words_are_sent(station, page):
    folder = LiveFolder(station.root / "data", "Riverton")   # as `live start` keeps it
    assert folder.claim()
    try:
        folder.began("udp://127.0.0.1:5000")
        folder.sent(said("Good evening everyone.", 1.0))
        folder.rows([Row(1.0, 3.5, "Good evening everyone.")])
        folder.status({"city": "Riverton", "state": "running", "words_sent": 3})
        page.goto("/live/Riverton")
        transcript = page.locator("#live-transcript")
        transcript.get_by_text("Good evening everyone.").wait_for()
        assert page.locator("#live-status").inner_text() == "Live now"
        folder.sent(said("Will the clerk please call the roll?", 5.0))
        transcript.get_by_text("Will the clerk please call the roll?").wait_for(timeout=10_000)
        folder.gap(12.0, 20.0, 1020.0)
        transcript.get_by_text("(the live source was lost for 8 s)").wait_for(timeout=10_000)
        assert page.locator("#live-earlier").count() == 0   # these words are live, not earlier
        folder.ended()
    finally:
        folder.release()
    page.get_by_text("Not live").wait_for(timeout=10_000)
    # The words on the page are now the last session's: the page says so, as it would opened now.
    *_, (_offset, ended) = folder.events(folder.session_path())
    at = datetime.fromtimestamp(ended["at"]).strftime("%H:%M")   # the browser's zone is ours
    page.get_by_text(f"From the last session, ended {at}", exact=True).wait_for(timeout=10_000)


def test_a_page_left_open_says_when_the_source_drops_and_when_it_is_back(station, page):
    """Issue 19: the source dropped mid-meeting and the open page went on saying "Live now"
    to residents waiting for captions that could not come."""
    import time

    folder = LiveFolder(station.root / "data", "Riverton")
    assert folder.claim()
    try:
        folder.began("udp://127.0.0.1:5000")
        folder.sent(said("Good evening everyone.", 1.0))
        folder.status({"city": "Riverton", "state": "running", "source_up": True, "waiting": False})
        page.goto("/live/Riverton")
        status = page.locator("#live-status")
        page.locator("#live-transcript").get_by_text("Good evening everyone.").wait_for()
        assert status.inner_text() == "Live now"
        quiet_since = time.time() - 20
        folder.status({"city": "Riverton", "state": "running", "source_up": False,
                       "waiting": False, "source_quiet_since": quiet_since})
        at = datetime.fromtimestamp(quiet_since).strftime("%H:%M:%S")   # the browser's zone is ours
        # In a live region: a screen reader says it as it changes, as a sighted viewer sees it.
        page.get_by_role("status").filter(has_text=(
            f"Live, but the meeting's sound stopped reaching us at {at}; "
            "captions resume when it returns")).wait_for(timeout=10_000)
        folder.status({"city": "Riverton", "state": "running", "source_up": True, "waiting": False})
        page.get_by_text("Live now", exact=True).wait_for(timeout=10_000)
    finally:
        folder.ended()
        folder.release()


def test_a_viewer_in_another_time_zone_reads_one_time_for_the_drop(station, browser):
    """The page first said the station's time of the drop ("at 19:42:10", the server's), and
    3 s later the event stream's status said the viewer's ("at 16:42:10" in another zone): the
    same sentence changed its time under a resident's eyes, and a screen reader said it again."""
    import time
    from datetime import datetime

    quiet_since = time.time() - 20
    at = datetime.fromtimestamp(quiet_since).astimezone()   # the station's time (the server's)
    elsewhere = "Asia/Tokyo" if at.utcoffset().total_seconds() == -10 * 3600 else "Pacific/Honolulu"
    context = browser.new_context(base_url=station.url, timezone_id=elsewhere)
    context.set_default_timeout(15_000)
    page = context.new_page()
    folder = LiveFolder(station.root / "data", "Riverton")
    assert folder.claim()
    try:
        folder.began("udp://127.0.0.1:5000")
        folder.sent(said("Good evening everyone.", 1.0))
        folder.status({"city": "Riverton", "state": "running", "source_up": False,
                       "waiting": False, "source_quiet_since": quiet_since})
        page.goto("/live/Riverton")
        status = page.locator("#live-status")
        said_first = f"the meeting's sound stopped reaching us at {at:%H:%M:%S};"
        for _ in range(6):   # before and after the event stream's first status (3 s)
            assert said_first in status.inner_text()
            time.sleep(0.75)
        # A drop the open page is told of reads the station's time too.
        folder.status({"city": "Riverton", "state": "running", "source_up": True, "waiting": False})
        page.get_by_text("Live now", exact=True).wait_for(timeout=10_000)
        later = quiet_since + 15
        folder.status({"city": "Riverton", "state": "running", "source_up": False,
                       "waiting": False, "source_quiet_since": later})
        page.get_by_role("status").filter(has_text=(
            f"stopped reaching us at {datetime.fromtimestamp(later).astimezone():%H:%M:%S};"
        )).wait_for(timeout=10_000)
    finally:
        folder.ended()
        folder.release()
        context.close()


def test_a_page_opened_after_a_session_ended_keeps_saying_why_the_next_cannot_start(station, page):
    """The page said why the wanted session could not start, then at once "Not live (the
    session has ended)" for ~3 s: the last session's `ended`, replayed as the page opened.
    To a resident it says so plainly: the reason (a path on the station) is for staff; and the
    words under it are labelled the last session's."""
    import time

    folder = ended_session(station)
    folder.want("/mnt/feed/council.mp4")
    folder.failed({"reason": "Riverton: /mnt/feed/council.mp4: no such file", "retry_at": 2e9})
    try:
        page.goto("/live/Riverton")
        page.locator("#live-transcript").get_by_text("Meeting adjourned.").wait_for()
        status = page.locator("#live-status")
        for _ in range(6):   # before and after the event stream's first status (3 s)
            assert status.inner_text() == ("Not live: the station is having trouble starting "
                                           "the live captions; it keeps trying")
            time.sleep(0.75)
        assert "council.mp4" not in page.content()
        assert page.locator("#live-earlier").inner_text().startswith("From the last session, ended ")
    finally:
        folder.unwant()


def test_staff_start_from_the_page_and_are_told_why_a_city_cannot(station, page):
    from tests.browser.test_resident import log_in

    page.goto("/live/Riverton")
    assert page.locator("#live-start").count() == 0   # residents see no buttons
    log_in(page, station)
    page.goto("/live/Riverton")
    # Riverton has no live source configured here: the page says so, with no Start to press.
    assert page.locator("#live-start").count() == 0
    assert "No live source is set for Riverton" in page.locator("#live-no-source").inner_text()
    assert not (station.root / "data" / "live" / "Riverton" / "wanted").exists()


def test_a_button_that_cannot_be_pressed_does_not_look_like_one_that_can(station, browser):
    """Stop, with nothing running, looked just like Start beside it (same ink, same border,
    a pointer over it): staff pressed it and nothing happened."""
    from tests.browser.test_resident import log_in

    context = browser.new_context(base_url=station.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        log_in(page, station)
        page.goto("/live/Eastfield")
        start, stop = page.locator("#live-start"), page.locator("#live-stop")
        assert start.is_enabled() and stop.is_disabled()
        look = "e => { const s = getComputedStyle(e); return [s.color, s.borderColor, s.cursor]; }"
        (start_ink, start_border, start_cursor), (stop_ink, stop_border, stop_cursor) = (
            start.evaluate(look), stop.evaluate(look))
        assert stop_ink != start_ink and stop_border != start_border
        assert start_cursor == "pointer" and stop_cursor != "pointer"
    finally:
        context.close()


def test_the_starting_message_gives_way_once_the_first_words_arrive(station, browser):
    """It said "Starting: captions appear here within a minute." with the words flowing under it."""
    from tests.browser.test_resident import log_in

    context = browser.new_context(base_url=station.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, station)
    page.goto("/live/Eastfield")
    page.locator("#live-start").click()
    message = page.locator("#live-message")
    page.get_by_text("Starting: captions appear here within a minute.").wait_for()
    folder = LiveFolder(station.root / "data", "Eastfield")   # the session the worker starts
    assert folder.claim()
    try:
        folder.began("udp://127.0.0.1:5999")
        folder.sent(said("Good evening everyone.", 1.0))
        page.locator("#live-transcript").get_by_text("Good evening everyone.").wait_for(timeout=10_000)
        assert "Starting" not in message.inner_text()
        assert page.locator("#live-status").inner_text() == "Live now"
    finally:
        folder.ended()
        folder.release()
        folder.unwant()
        context.close()


def test_a_player_on_the_citys_own_site_attaches_the_live_captions(station, browser, tmp_path):
    """The city's web player is on another site (another origin): its <video crossorigin>
    loads the live WebVTT as a track, which needs the captions served to any origin."""
    import functools
    import http.server
    import shutil
    import threading

    from tests.browser.conftest import SAMPLE

    folder = LiveFolder(station.root / "data", "Riverton")
    assert folder.claim()
    try:
        folder.began("udp://127.0.0.1:5000")
        folder.sent(said("Good evening everyone.", 1.0))
        folder.rows([Row(1.0, 3.5, "Good evening everyone.")])
        site = tmp_path / "site"
        site.mkdir()
        shutil.copy(SAMPLE, site / "meeting.mp4")
        (site / "index.html").write_text(
            '<!doctype html><title>Riverton TV</title><video id="player" controls muted '
            'crossorigin="anonymous" src="meeting.mp4">'
            f'<track kind="captions" srclang="en" label="Live" default '
            f'src="{station.url}/live/Riverton/captions.vtt"></video>')
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.3", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        context = browser.new_context()
        try:
            player = context.new_page()
            player.goto(f"http://127.0.0.3:{server.server_address[1]}/index.html")
            player.wait_for_function(
                "() => { const t = document.getElementById('player').textTracks[0];"
                " return t && t.cues && t.cues.length > 0; }", timeout=15_000)
            text = player.evaluate("() => document.getElementById('player').textTracks[0].cues[0].text")
            assert text == "Good evening everyone."
        finally:
            context.close()
            server.shutdown()
            server.server_close()
        folder.ended()
    finally:
        folder.release()


def test_the_live_page_and_status_pass_axe_for_staff_at_desk_and_phone_widths(station, browser):
    """WCAG 2 A/AA and best practice (axe-core) on /live/<city> and /status while a session
    runs with words on the page, and while a wanted one is failing, at 1280 and 390 px."""
    from tests.browser.axe import violations
    from tests.browser.test_resident import log_in

    folder = LiveFolder(station.root / "data", "Riverton")
    wrong: list[str] = []
    for width in (1280, 390):
        context = browser.new_context(base_url=station.url, bypass_csp=True,
                                      viewport={"width": width, "height": 800})
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            log_in(page, station)
            assert folder.claim()
            folder.began("udp://127.0.0.1:5000")
            folder.sent(said("Good evening everyone.", 1.0))
            folder.rows([Row(1.0, 3.5, "Good evening everyone.")])
            folder.gap(5.0, 9.0, 1009.0)
            folder.status({"city": "Riverton", "state": "running", "words_sent": 3,
                           "source_up": False, "source_problem": "srt: Connection refused",
                           "encoder_up": False, "encoder_problem": "10.0.0.9:23: Connection refused"})
            page.goto("/live/Riverton")
            page.locator("#live-transcript").get_by_text("Good evening everyone.").wait_for()
            wrong += [f"{width} px /live/Riverton running: {v}" for v in violations(page)]
            page.goto("/status")
            wrong += [f"{width} px /status running: {v}" for v in violations(page)]
            folder.ended()
            folder.release()
            folder.want("/mnt/feed/council.mp4")
            folder.failed({"reason": "Riverton: /mnt/feed/council.mp4: no such file", "retry_at": 2e9})
            for url in ("/live/Riverton", "/status"):
                page.goto(url)
                wrong += [f"{width} px {url} failing: {v}" for v in violations(page)]
                wide = page.evaluate("() => document.documentElement.scrollWidth")
                if wide > width:
                    wrong.append(f"{width} px {url}: {wide} px wide")
        finally:
            folder.release()
            folder.unwant()
            context.close()
    assert not wrong, "\n".join(wrong)


def test_a_new_session_takes_away_the_last_ones_replaced_by_its_recording(station, page):
    """The page opened on an ended session whose recording is captioned ("its captions replace
    these live ones"); staff start the next meeting's session and it runs under that notice."""
    import sqlite3

    folder = ended_session(station)
    earlier = folder.current
    database = sqlite3.connect(station.root / "data" / "archivist.db")
    with database:   # the recording it became, captioned, as the schedule links them
        database.execute("insert into recordings (id, path, content_hash, size, city, created_at)"
                         " values (9001, '/mnt/adjourned.mp4', 'adjourned', 1, 'Riverton',"
                         " '2026-12-07 05:00:00')")
        database.execute("insert into transcripts values (9001, 0, 'tiny.en', 'en', 2.0,"
                         " 'Meeting adjourned.', '{}', '2026-12-07 05:01:00')")
        database.execute("delete from live_sessions where city = 'Riverton' and name = ?", (earlier,))
        database.execute("insert into live_sessions (city, name, source, started_at, ended_at,"
                         " kept_offset, recording_id) values ('Riverton', ?, 'udp://127.0.0.1:5000',"
                         " '2026-12-07 04:00:00', '2026-12-07 04:01:00', 0, 9001)", (earlier,))
    try:
        page.goto("/live/Riverton")
        page.locator("#live-transcript").get_by_text("Meeting adjourned.").wait_for()
        assert page.get_by_text("replace these live ones").is_visible()   # its own words kept it
        assert page.locator("#live-earlier").is_visible()
        assert folder.claim()
        folder.began("udp://127.0.0.1:5000")   # the next meeting, live
        folder.sent(said("Good evening everyone.", 1.0))
        page.locator("#live-transcript").get_by_text("Good evening everyone.").wait_for()
        assert page.locator(".live-replaced").count() == 0
        assert page.locator("#live-earlier").count() == 0   # its words are this meeting's
    finally:
        folder.ended()
        folder.release()
        with database:
            database.execute("delete from live_sessions where recording_id = 9001")
            database.execute("delete from transcripts where recording_id = 9001")
            database.execute("delete from recordings where id = 9001")
        database.close()


def test_the_playlist_instructions_opened_on_a_phone_stay_on_the_screen(station, browser):
    """Opening "Attaching the subtitle playlist to the live stream" at 390 px made the whole
    page 1,475 px wide: the example playlist's lines do not break. They wrap now (a copy of
    them is still the lines as written)."""
    context = browser.new_context(base_url=station.url, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto("/live/Riverton")
        page.click("details.live-hls summary")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        copied = page.evaluate("() => document.querySelector('details.live-hls pre').textContent")
        assert "AUTOSELECT=YES,URI=" in copied and copied.count("\n") >= 3
    finally:
        context.close()
