"""The caption editor and the audit page are for staff: anyone else gets the login page.
The editor hands its script the caption profile's limits and the city's words."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.web.test_api import captioned
from tests.web.test_security import staff_client

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def setup_of(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="editor-setup">(.*?)</script>', html, re.S)
    assert found, html[:500]
    return json.loads(found.group(1))


def test_anonymous_people_are_sent_to_log_in_and_back(api) -> None:
    recording_id = captioned(api)
    for url in (f"/recordings/{recording_id}/edit", "/audit?actor=staff:dana"):
        response = api.client.get(url, headers=HTML)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
        assert api.client.get(response.headers["Location"], headers=HTML).status_code == 200


def test_the_editor_page_carries_the_profile_and_the_citys_words(api) -> None:
    recording_id = captioned(api)
    client, _ = staff_client(api)
    response = client.get(f"/recordings/{recording_id}/edit", headers=HTML)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    setup = setup_of(html)
    rules = api.app.container.caption_settings().broadcast
    assert setup["recording"] == recording_id and setup["city"] == "Riverton"
    assert setup["profile"]["max_chars"] == rules.max_chars == 32
    assert setup["profile"]["max_cps"] == rules.max_cps
    assert 0 < setup["low_probability"] < 1
    assert 'src="/static/editor/main.js"' in html and 'type="module"' in html


def test_the_editor_of_a_missing_recording_is_not_found(api) -> None:
    client, _ = staff_client(api)
    assert client.get("/recordings/999999/edit", headers=HTML).status_code == 404


def test_the_audit_page_keeps_its_filters(api) -> None:
    client, _ = staff_client(api)
    html = client.get("/audit?actor=staff:dana&action=transcript.save&recording=7",
                      headers=HTML).get_data(as_text=True)
    assert 'name="actor" value="staff:dana"' in html
    assert 'name="action" value="transcript.save"' in html and 'name="recording" value="7"' in html
    assert 'src="/static/audit.js"' in html


def test_the_editor_says_why_a_recording_cannot_play_yet_instead_of_a_broken_player(api) -> None:
    """Found by hand in Chromium: the editor of a transport stream whose browser copy was not
    made yet (or was cleared from the cache) showed a player that failed with "Format error"
    and said nothing. It says why, as the transcript page does, asks for the copy, and the
    lines stay editable; once the copy is made, the player plays it."""
    import subprocess

    from tests.browser.conftest import SAMPLE

    recording_id = captioned(api, "1002-1-Council (20261110).ts")
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-t", "4", "-i", str(SAMPLE),
                    "-c:v", "mpeg2video", "-c:a", "mp2", "-f", "mpegts",
                    str(api.mount / "1002-1-Council (20261110).ts")], check=True, timeout=60)
    client, _ = staff_client(api)
    html = client.get(f"/recordings/{recording_id}/edit", headers=HTML).get_data(as_text=True)
    assert 'id="no-player"' in html and "being made" in html
    assert re.search(r'<video id="player"[^>]*\bhidden\b', html) and "/media" not in html
    assert api.queue.playable == [recording_id]
    assert setup_of(html)["recording"] == recording_id      # the editor itself still loads
    api.app.container.playback().make(recording_id)          # what the worker's task does
    html = client.get(f"/recordings/{recording_id}/edit", headers=HTML).get_data(as_text=True)
    assert f'src="/recordings/{recording_id}/media"' in html and 'id="no-player"' not in html
