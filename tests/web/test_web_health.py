"""GET /health through Flask's test client: status, body and HTTP code per gateway health."""

from __future__ import annotations

from archivist.domain.health import Status
from tests.fakes import FakeProbe


def test_all_ok_is_200_with_every_gateway(app_with) -> None:
    app = app_with(FakeProbe("database", Status.OK, "sqlite answered"), FakeProbe("redis", Status.OK))
    response = app.test_client().get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert [g["name"] for g in body["gateways"]] == ["database", "redis"]
    assert body["gateways"][0] == {"name": "database", "status": "ok", "detail": "sqlite answered",
                                   "seconds": body["gateways"][0]["seconds"]}
    # The web process's start-up phases, timed from its interpreter's start.
    web = body["startup"]["processes"]["web"]
    assert body["startup"]["since"] == "interpreter start"
    assert 0 < web["import"] <= web["container"] <= web["ready"]


def test_degraded_gateway_still_answers_200(app_with) -> None:
    app = app_with(FakeProbe("database", Status.OK), FakeProbe("cablecast", Status.DEGRADED, "401"))
    response = app.test_client().get("/health")
    assert response.status_code == 200
    assert response.get_json()["status"] == "degraded"


def test_down_gateway_answers_503_and_names_it(app_with) -> None:
    app = app_with(FakeProbe("database", Status.OK), FakeProbe("redis", Status.DOWN, "refused"))
    response = app.test_client().get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "down"
    assert {"name": "redis", "status": "down", "detail": "refused"}.items() <= body["gateways"][1].items()


def test_a_probe_that_crashes_is_reported_down(app_with) -> None:
    app = app_with(FakeProbe("library", RuntimeError("mount vanished")))
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert "mount vanished" in response.get_json()["gateways"][0]["detail"]


def test_without_a_cache_every_request_checks_again(app_with) -> None:
    probe = FakeProbe("redis", Status.OK)
    client = app_with(probe).test_client()
    client.get("/health")
    client.get("/health")
    assert probe.checks == 2


def test_reports_are_reused_for_the_cache_time(config, app_with) -> None:
    config["health"]["cache_seconds"] = 60
    probe = FakeProbe("redis", Status.OK)
    client = app_with(probe).test_client()
    for _ in range(5):
        assert client.get("/health").status_code == 200
    assert probe.checks == 1


def test_without_the_detail_switch_callers_get_status_only(config, app_with) -> None:
    config["web"]["health_detail"] = False
    app = app_with(FakeProbe("database", Status.DOWN, "FATAL: password for archivist@db-7 failed"))
    response = app.test_client().get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert set(body.pop("startup")) == {"since", "processes"}   # timings only: for anyone
    assert body == {"status": "down", "gateways": [{"name": "database", "status": "down"}]}


def test_a_burst_of_requests_runs_one_probe_round(config, app_with) -> None:
    import threading
    import time

    class SlowProbe(FakeProbe):
        def check(self):
            time.sleep(0.5)
            return super().check()

    config["health"]["cache_seconds"] = 60
    config["web"]["deadline"] = 10   # the round, not the deadline, is what is counted here
    probe = SlowProbe("cablecast", Status.OK)
    app = app_with(probe)
    codes: list[int] = []

    def ask() -> None:
        codes.append(app.test_client().get("/health").status_code)
    threads = [threading.Thread(target=ask) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert codes == [200] * 16 and probe.checks == 1


def test_a_gateway_that_cannot_be_built_is_down_and_the_rest_still_probed(config) -> None:
    from archivist.entrypoints.web import create_app

    app = create_app({**config, "database": {**config["database"], "url": "garbage"}})
    response = app.test_client().get("/health")
    assert response.status_code == 503
    gateways = {g["name"]: g for g in response.get_json()["gateways"]}
    assert gateways["database"]["status"] == "down"
    assert gateways["whisper"]["status"] == "ok"
