"""Sessions end on the server: a copy of the cookie taken before logout, or before a new
password, no longer changes anything."""

from __future__ import annotations

import re

from tests.web.test_security import PASSWORD, staff_client


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(api, cookie: str, csrf: str, path: str):
    thief = api.app.test_client()
    thief.set_cookie("session", cookie)
    return thief.post("/api/v1/jobs", json={"path": path}, headers={"X-CSRF-Token": csrf})


def test_a_cookie_copied_before_logout_is_refused_after_it(api) -> None:
    client, csrf = staff_client(api)
    copied, path = _cookie(client), str(api.recording())
    assert _replay(api, copied, csrf, path).status_code == 202     # the copy works while logged in
    client.post("/logout", data={"csrf_token": csrf})
    after = _replay(api, copied, csrf, path)
    assert after.status_code == 401 and "log in" in after.get_json()["error"]["message"]


def test_a_new_password_ends_every_session_of_that_account(api) -> None:
    client, csrf = staff_client(api)
    copied, path = _cookie(client), str(api.recording())
    api.app.container.access().change_password("dana", PASSWORD + " again")
    assert _replay(api, copied, csrf, path).status_code == 401
    assert client.post("/api/v1/jobs", json={"path": path},
                       headers={"X-CSRF-Token": csrf}).status_code == 401


def test_a_page_opened_before_logging_in_again_is_told_to_reload(api) -> None:
    """Staff logged in again in another tab (the session had ended, or they logged out): the
    editor left open kept the old session's CSRF token, and every save answered "send the
    page's CSRF token in X-CSRF-Token", words for an API client. It says what happened and
    what to do."""
    client, opened = staff_client(api)
    client.post("/logout", data={"csrf_token": opened})
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"name": "dana", "password": PASSWORD, "csrf_token": csrf,
                                "next": "/"})
    stale = client.post("/api/v1/jobs", json={"path": str(api.recording())},
                        headers={"X-CSRF-Token": opened})
    assert stale.status_code == 403
    said = stale.get_json()["error"]["message"]
    assert "reload" in said and "logged in again" in said, said
    missing = client.post("/api/v1/jobs", json={"path": str(api.recording())})
    assert missing.status_code == 403 and "X-CSRF-Token" in missing.get_json()["error"]["message"]
