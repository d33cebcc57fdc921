"""Sessions end on the server: a copy of the cookie taken before logout, or before a new
password, no longer changes anything."""

from __future__ import annotations

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
