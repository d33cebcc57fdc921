"""No input gives a server error: JSON nested thousands deep, text that is not Unicode, a NUL
in a path, and a body over the cap (answered by the real server) all get a 4xx in the usual
JSON shape, saying what was wrong."""

from __future__ import annotations

import http.client
import json
import threading

import pytest

from archivist.entrypoints.web.server import create_server


def refusal(response, code: int) -> str:
    assert response.status_code == code, response.get_data(as_text=True)
    body = response.get_json()["error"]
    assert body["code"] == code
    return body["message"]


def test_json_nested_five_thousand_deep_is_400(api) -> None:
    deep = b'{"path": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    response = api.client.post("/api/v1/jobs", data=deep, content_type="application/json",
                               headers=api.bearer)
    assert "nested 5001 levels deep; at most 64" in refusal(response, 400)


def test_brackets_inside_strings_are_not_nesting(api) -> None:
    path = api.recording("[" * 100 + "council.mp4")
    response = api.post("/api/v1/jobs", json={"path": str(path)})
    assert response.status_code == 202


@pytest.mark.parametrize("body, said", [
    (b'{"path": "/mnt/x\\ud800.mp4"}', "path: not valid Unicode text"),
    (b'{"path": "/mnt/x.mp4", "formats": ["scc", "\\udfff"]}', "formats[1]: not valid Unicode"),
    (b'{"path": "/mnt/caf\xe9.mp4"}', "not UTF-8 text"),
])
def test_text_that_is_not_unicode_is_400(api, body: bytes, said: str) -> None:
    response = api.client.post("/api/v1/jobs", data=body, content_type="application/json",
                               headers=api.bearer)
    assert said in refusal(response, 400)


def test_a_nul_in_a_path_says_so(api) -> None:
    response = api.post("/api/v1/jobs", json={"path": f"{api.mount}/council\x00.mp4"})
    message = refusal(response, 403)
    assert "NUL" in message and ".." not in message


def test_the_real_server_refuses_a_body_over_the_cap_in_json_with_the_security_headers(api) -> None:
    server = create_server(api.app, host="127.0.0.1", port=0, threads=2, max_body=1024)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=10)
        conn.request("POST", "/api/v1/jobs", body=b"{" + b" " * 4096 + b"}",
                     headers={**api.bearer, "Content-Type": "application/json"})
        response = conn.getresponse()
        body = json.loads(response.read())
    finally:
        server.close()
    assert response.status == 413
    assert body["error"]["code"] == 413 and "max_body_mb" in body["error"]["message"]
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")
