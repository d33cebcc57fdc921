"""GET /metrics on the web app: the backlog read from the database at scrape time, request
latency by URL rule, who may read it, and the label rule over everything it shows."""

from __future__ import annotations

from typing import Any

from archivist import containers
from archivist.entrypoints.web import create_app
from tests.labels import assert_bounded_labels, parse, value


def scrape(client: Any, **headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.data
    assert response.content_type.startswith("text/plain; version=0.0.4")
    return parse(response.data.decode())


def test_metrics_show_the_backlog_by_state_and_city_and_requests_by_url_rule(api):
    first = api.post("/api/v1/jobs", {"path": str(api.recording("council.mp4"))}).json
    second = api.post("/api/v1/jobs", {"path": str(api.recording("planning.mp4"))}).json
    api.post(f"/api/v1/jobs/{second['id']}/cancel")
    api.client.get(f"/api/v1/jobs/{first['id']}")
    api.client.get("/no/such/page/42")

    samples = scrape(api.client)
    assert value(samples, "archivist_jobs", state="queued", city="Riverton") == 1
    assert value(samples, "archivist_jobs", state="cancelled", city="Riverton") == 1
    assert value(samples, "archivist_jobs", state="failed", city="Riverton") == 0
    assert value(samples, "archivist_city_oldest_waiting_seconds", city="Riverton") >= 0
    assert value(samples, "archivist_queue_depth", queue="archivist") is not None
    assert value(samples, "archivist_gateway_up", gateway="database") == 1
    # Latency by the URL rule, never the path with its id; a miss is "unmatched".
    assert value(samples, "archivist_http_request_duration_seconds_count",
                 route="/api/v1/jobs/<int(max=2147483647):job_id>", method="GET",
                 status="200") == 1
    assert value(samples, "archivist_http_request_duration_seconds_count",
                 route="/api/v1/jobs", method="POST", status="202") == 2
    assert value(samples, "archivist_http_request_duration_seconds_count",
                 route="unmatched", method="GET", status="404") == 1
    assert value(samples, "archivist_startup_seconds", process="web", phase="ready") > 0
    secret = api.bearer["Authorization"].split()[1]
    assert_bounded_labels(samples, secrets=[secret, "test-secret"], places=[str(api.mount)])


def test_metrics_need_a_token_or_staff_when_not_public(config):
    config["web"]["metrics_public"] = False
    container = containers.build(config)
    app = create_app(container=container)
    try:
        client = app.test_client()
        refused = client.get("/metrics")
        assert refused.status_code == 401
        assert "Bearer" in refused.headers.get("WWW-Authenticate", "") or \
            b"Bearer" in refused.data
        _, token = container.access().create_token("prometheus")
        samples = scrape(client, Authorization=f"Bearer {token}")
        assert value(samples, "archivist_build_info", version="0.1.0") == 1
    finally:
        containers.shutdown(container)


def test_the_catalogue_the_alert_rules_and_dashboard_use_is_what_the_web_app_exports(api):
    """deploy/metric_names.txt (checked against the rules and the dashboard by tests/deploy)
    names exactly the series /metrics declares, so a renamed metric cannot silence an alert."""
    from tests.deploy.catalogue import exported_names

    text = api.client.get("/metrics").data.decode()
    declared: set[str] = set()
    for line in text.splitlines():
        if line.startswith("# TYPE archivist_"):
            _, _, name, kind = line.split()
            if kind == "histogram":
                declared |= {name + s for s in ("_bucket", "_sum", "_count")}
            else:
                declared.add(name if kind != "counter" or name.endswith("_total") else name + "_total")
    assert declared == exported_names()
