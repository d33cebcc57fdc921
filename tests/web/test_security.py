"""Who may change things, and what a request may name: tokens, staff sessions with CSRF,
rate limits, security headers, cookie flags, and paths that try to leave the city mounts."""

from __future__ import annotations

import logging
import os
import re

import pytest

from archivist.entrypoints.web import create_app

PASSWORD = "correct horse battery staple"


def staff_client(api, name: str = "dana"):
    """A browser-like client logged in as a staff member; returns it and its CSRF token."""
    api.app.container.access().add_staff(name, PASSWORD)
    client = api.app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"name": name, "password": PASSWORD,
                                           "csrf_token": csrf, "next": "/jobs"})
    assert response.status_code == 302 and response.headers["Location"] == "/jobs"
    fresh = re.search(r'name="csrf-token" content="([^"]+)"',
                      client.get("/login").get_data(as_text=True)).group(1)
    return client, fresh


@pytest.mark.parametrize("method,url", [
    ("post", "/api/v1/jobs"), ("post", "/api/v1/jobs/1/cancel"), ("post", "/api/v1/jobs/1/retry"),
    ("post", "/api/v1/jobs/1/priority")])
def test_changes_without_a_token_or_session_are_401(api, method, url) -> None:
    response = getattr(api.client, method)(url, json={"path": "/x", "priority": 9})
    assert response.status_code == 401
    assert "Bearer" in response.headers["WWW-Authenticate"]
    assert "log in" in response.get_json()["error"]["message"]


def test_a_wrong_or_revoked_token_is_401(api) -> None:
    for header in ("Bearer arv_nope", "Bearer ", "Basic dXNlcjpwYXNz", "arv_x"):
        response = api.client.post("/api/v1/jobs/1/cancel", headers={"Authorization": header})
        assert response.status_code == 401, header
    _, secret = api.app.container.access().create_token("old")
    api.app.container.access().revoke("old")
    response = api.client.post("/api/v1/jobs/1/cancel", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401 and "revoked" in response.get_json()["error"]["message"]


def test_reading_needs_no_token(api) -> None:
    assert api.read("/api/v1/jobs").status_code == 200
    assert api.read("/api/v1/openapi.json").status_code == 200


def test_a_staff_session_may_change_things_with_its_csrf_token_only(api) -> None:
    client, csrf = staff_client(api)
    path = str(api.recording())
    refused = client.post("/api/v1/jobs", json={"path": path})
    assert refused.status_code == 403 and "CSRF" in refused.get_json()["error"]["message"]
    wrong = client.post("/api/v1/jobs", json={"path": path}, headers={"X-CSRF-Token": "x" * 43})
    assert wrong.status_code == 403
    done = client.post("/api/v1/jobs", json={"path": path}, headers={"X-CSRF-Token": csrf})
    assert done.status_code == 202
    client.post("/logout", data={"csrf_token": csrf})
    after = client.post("/api/v1/jobs", json={"path": path}, headers={"X-CSRF-Token": csrf})
    assert after.status_code == 401


def test_login_refuses_a_wrong_password_and_a_missing_csrf_token(api) -> None:
    api.app.container.access().add_staff("dana", PASSWORD)
    client = api.app.test_client()
    no_csrf = client.post("/login", data={"name": "dana", "password": PASSWORD})
    assert no_csrf.status_code == 403
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    wrong = client.post("/login", data={"name": "dana", "password": "guess", "csrf_token": csrf})
    assert wrong.status_code == 401 and "Wrong name or password" in wrong.get_data(as_text=True)


def test_login_never_redirects_off_site(api) -> None:
    api.app.container.access().add_staff("dana", PASSWORD)
    client = api.app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"name": "dana", "password": PASSWORD,
                                           "csrf_token": csrf, "next": "//evil.example/x"})
    assert response.headers["Location"] == "/"


def test_login_attempts_are_rate_limited(api) -> None:
    client = api.app.test_client()
    codes = [client.post("/login", data={"name": "x", "password": "y"}).status_code
             for _ in range(12)]
    assert codes[:10] == [403] * 10 and codes[10:] == [429, 429]
    limited = client.post("/login", data={})
    assert int(limited.headers["Retry-After"]) >= 1


def test_session_cookie_is_secure_over_https_httponly_and_samesite(api) -> None:
    client = api.app.test_client()
    client.get("/login", base_url="https://archivist.example.org")
    cookie = client.get_cookie("session", domain="archivist.example.org")
    assert cookie.secure and cookie.http_only and cookie.same_site == "Lax"


def test_over_plain_http_on_a_lan_the_session_cookie_is_kept(api) -> None:
    client = api.app.test_client()
    client.get("/login", base_url="http://192.168.1.20:8080")
    assert not client.get_cookie("session", domain="192.168.1.20").secure


def test_x_forwarded_proto_counts_only_from_a_trusted_proxy(config) -> None:
    config = {**config, "web": {**config["web"], "trusted_proxies": ["10.0.0.5"]}}
    app = create_app(config)
    https = {"X-Forwarded-Proto": "https"}
    proxied = app.test_client()
    proxied.get("/login", headers=https, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert proxied.get_cookie("session").secure
    stranger = app.test_client()
    stranger.get("/login", headers=https, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert not stranger.get_cookie("session").secure


def test_with_secure_cookies_true_plain_http_login_says_what_to_set(config) -> None:
    app = create_app({**config, "web": {**config["web"], "secure_cookies": True}})
    page = app.test_client().get("/login", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "web.secure_cookies: auto" in page


def test_a_login_form_without_its_session_says_why(api) -> None:
    answer = api.app.test_client().post("/login", data={"name": "x", "password": "y",
                                                        "csrf_token": "stale"})
    assert answer.status_code == 403
    assert "web.secure_cookies" in answer.get_json()["error"]["message"]


def test_a_401_names_the_login_page_and_its_html_links_there(api) -> None:
    client = api.app.test_client()
    answer = client.post("/api/v1/jobs", json={"path": "x"})
    assert answer.status_code == 401 and "/login" in answer.get_json()["error"]["message"]
    page = client.post("/logout", headers={"Accept": "text/html"})
    assert page.status_code == 401 and 'href="/login' in page.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/login", "/health", "/api/v1/jobs", "/no/such/page",
                                 "/api/v1/openapi.json"])
def test_every_response_has_security_headers(api, url) -> None:
    response = api.client.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_paths_outside_the_city_mounts_are_refused(api, tmp_path) -> None:
    outside = tmp_path / "private.mp4"
    outside.write_bytes(b"secret" * 100)
    (api.mount / "link.mp4").symlink_to(outside)
    (api.mount / "dir").symlink_to(tmp_path)
    inside = api.recording()
    refused = {
        str(outside): 403,
        str(api.mount / ".." / "private.mp4"): 403,
        f"{api.mount}/../../mnt/riverton/council.mp4": 403,
        "../private.mp4": 403,                   # relative, leaving the mount
        "private.mp4": 403,                      # relative without a city
        str(api.mount / "link.mp4"): 403,        # a symlink leading out
        str(api.mount / "dir" / "private.mp4"): 403,
        "/etc/passwd": 403,
        f"{inside}\x00.mp4": 403,
    }
    for path, code in refused.items():
        response = api.post("/api/v1/jobs", {"path": path})
        assert response.status_code == code, (path, response.get_json())
    said = api.post("/api/v1/jobs", {"path": "private.mp4"}).get_json()["error"]["message"]
    assert "give an absolute path, or the city it is in" in said
    escaped = api.post("/api/v1/jobs", {"path": "../private.mp4", "city": "Riverton"})
    assert escaped.status_code == 403
    assert api.repo.jobs() == []
    assert api.post("/api/v1/jobs", {"path": str(inside)}).status_code == 202
    assert os.path.exists(outside)


def test_secrets_are_never_logged(api, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    _, secret = api.app.container.access().create_token("logged")
    api.client.post("/api/v1/jobs/1/cancel", headers={"Authorization": f"Bearer {secret}"})
    api.client.post("/api/v1/jobs/1/cancel", headers={"Authorization": f"Bearer {secret}x"})
    client, _ = staff_client(api)
    client.post("/login", data={"name": "dana", "password": "a wrong guess"})
    text = caplog.text
    assert secret not in text and PASSWORD not in text and "a wrong guess" not in text
