"""create_app: its container, its secret key, and JSON errors that say what was wrong."""

from __future__ import annotations

from flask import request

from archivist import containers
from archivist.domain.errors import GatewayUnavailable
from archivist.domain.health import Status
from archivist.entrypoints.web import create_app
from tests.fakes import FakeProbe


def test_app_builds_its_own_container_from_config(config) -> None:
    app = create_app(config)
    assert app.container.config.data_dir() == config["data_dir"]
    assert app.config["SECRET_KEY"] == "test-secret"


def test_app_uses_the_container_it_is_given(config) -> None:
    container = containers.build(config)
    assert create_app(container=container).container is container


def test_empty_secret_key_leaves_sessions_unsigned(config) -> None:
    app = create_app({**config, "secret_key": ""})
    assert app.config["SECRET_KEY"] is None


def test_unknown_url_is_a_json_404_naming_the_path(app_with) -> None:
    response = app_with().test_client().get("/no/such/page")
    assert response.status_code == 404
    assert response.get_json()["error"] == {
        "code": 404, "name": "Not Found", "message": "no such URL: /no/such/page"}


def test_a_visitor_is_told_the_whole_api_url_that_does_not_exist(app_with) -> None:
    # Visitors see file names for server paths; the URL they typed is not a server path.
    client = app_with().test_client()
    response = client.get("/api/v1/recording/7/captions")
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "no such URL: /api/v1/recording/7/captions"
    response = client.get("/api/v1/jobs/1/cancel")
    assert response.get_json()["error"]["message"].startswith(
        "GET is not allowed on /api/v1/jobs/1/cancel; allowed:")


def test_wrong_method_is_a_json_405_listing_the_allowed_ones(app_with) -> None:
    response = app_with().test_client().post("/health")
    assert response.status_code == 405
    message = response.get_json()["error"]["message"]
    assert message.startswith("POST is not allowed on /health; allowed:") and "GET" in message
    assert "GET" in response.headers["Allow"]


def test_malformed_json_is_a_json_400_that_says_why(app_with) -> None:
    app = app_with()
    app.add_url_rule("/echo", "echo", lambda: request.get_json(), methods=["POST"])
    _, secret = app.container.access().create_token("test")
    bearer = {"Authorization": f"Bearer {secret}"}
    for url in ("/echo", "/api/v1/jobs"):
        response = app.test_client().post(url, data="{not json", headers=bearer,
                                          content_type="application/json")
        assert response.status_code == 400, url
        assert "JSON" in response.get_json()["error"]["message"], url


def test_unavailable_backend_is_a_json_503_naming_it(app_with) -> None:
    app = app_with()

    def publish() -> None:
        raise GatewayUnavailable("cablecast", "no answer within 5s")
    app.add_url_rule("/publish", "publish", publish)
    response = app.test_client().get("/publish")
    assert response.status_code == 503
    assert response.get_json()["error"]["message"] == "cablecast unavailable: no answer within 5s"


def test_a_crash_is_a_json_500_without_internals(app_with) -> None:
    app = app_with(FakeProbe("redis", Status.OK))

    def broken() -> None:
        raise RuntimeError("secret internals")
    app.add_url_rule("/broken", "broken", broken)
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] == 500


def test_shipped_defaults_report_optional_gateways_as_not_configured(config) -> None:
    response = create_app(config).test_client().get("/health")
    body = response.get_json()
    # Embedded database, embedded queue, no Cablecast, no mounts, the bundled model: all ok.
    assert (response.status_code, body["status"]) == (200, "ok"), body
    gateways = {g["name"]: g for g in body["gateways"]}
    assert gateways["redis"]["status"] == "ok" and "embedded queue" in gateways["redis"]["detail"]
    assert gateways["cablecast"] == {**gateways["cablecast"], "status": "ok",
                                     "detail": "not configured: publishing is off"}


def test_every_response_carries_security_headers(app_with) -> None:
    client = app_with(FakeProbe("redis", Status.OK)).test_client()
    for response in (client.get("/health"), client.get("/nowhere"), client.post("/health")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"   # never to other sites
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"   # localhost


def test_the_opener_policy_goes_only_where_browsers_honour_it(app_with) -> None:
    """Over HTTPS or from this machine; from a LAN address over HTTP Chromium ignores it and
    logs an error on every page."""
    client = app_with(FakeProbe("redis", Status.OK)).test_client()
    lan = client.get("/health", base_url="http://station.lan:8080")
    assert "Cross-Origin-Opener-Policy" not in lan.headers
    assert lan.headers["X-Frame-Options"] == "DENY"
    secure = client.get("/health", base_url="https://station.lan")
    assert secure.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_request_body_over_the_cap_is_refused(config, app_with) -> None:
    config["web"]["max_body_mb"] = 1
    app = app_with()
    # A GET, so that no sign-in is needed: the cap holds before any view reads the body.
    app.add_url_rule("/echo", "echo", lambda: str(len(request.get_data())), methods=["GET"])
    response = app.test_client().get("/echo", data=b"x" * (2 * 1024 * 1024))
    assert response.status_code == 413
