"""What the audit log records besides the changes of the API: staff logging in (and failing
to, without the password tried) and "Caption again"; shown on the audit page's API."""

from __future__ import annotations

import re

from tests.web.test_security import PASSWORD, staff_client


def _entries(api, **query):
    answer = api.client.get("/api/v1/audit", query_string=query, headers=api.bearer)
    assert answer.status_code == 200
    return answer.get_json()["entries"]


def test_logins_are_audited_both_ways_and_never_with_the_password(api) -> None:
    staff_client(api, "dana")
    stranger = api.app.test_client()
    page = stranger.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = stranger.post("/login", data={"name": "dana", "password": "guess " + PASSWORD,
                                            "csrf_token": csrf})
    assert refused.status_code == 401
    failed, = _entries(api, action="staff.login_failed")
    assert (failed["actor"], failed["target"], failed["address"]) == \
        ("anonymous", "staff:dana", "127.0.0.1")
    logged, = _entries(api, action="staff.login")
    assert (logged["actor"], logged["target"]) == ("staff:dana", "staff:dana")
    everything = str(_entries(api))
    assert PASSWORD not in everything and "guess" not in everything


def test_caption_again_is_audited_as_such_and_a_plain_request_as_a_submit(api) -> None:
    path = api.recording("hearing.mp4")
    first = api.post("/api/v1/jobs", {"path": str(path)}).get_json()
    again = api.post("/api/v1/jobs", {"path": str(path), "force": True}).get_json()
    entry, = _entries(api, action="recording.caption_again")
    assert (entry["actor"], entry["target"]) == ("token:tests", f"recording:{first['recording_id']}")
    assert entry["detail"]["job"] == again["id"] and entry["detail"]["path"] == str(path)
    assert [e["action"] for e in _entries(api, action="job.submit")] == ["job.submit"]


def test_caption_again_with_an_installed_model_and_not_another(api) -> None:
    path = api.recording("hearing.mp4")
    unknown = api.post("/api/v1/jobs", {"path": str(path), "force": True, "model": "huge.en"})
    assert unknown.status_code == 400
    message = unknown.get_json()["error"]["message"]
    assert "'huge.en' is not installed here; installed: " in message and "tiny.en" in message
    job = api.post("/api/v1/jobs", {"path": str(path), "force": True, "model": "tiny.en"})
    assert job.status_code == 202 and job.get_json()["model"] == "tiny.en"
    shown = api.client.get(f"/api/v1/jobs/{job.get_json()['id']}").get_json()
    assert shown["model"] == "tiny.en"
    assert api.repo.job(shown["id"]).model == "tiny.en"   # what the worker will load
    entry, = _entries(api, action="recording.caption_again")
    assert entry["detail"]["model"] == "tiny.en"
