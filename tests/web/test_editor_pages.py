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
