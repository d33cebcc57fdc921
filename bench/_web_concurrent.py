"""bench/web.py's concurrent part: the real server (waitress, 8 threads, as `archivist serve`)
answering N clients at once, for the job list and the dashboard; then the API, the dashboard
and /metrics with the database hung (relayed through a proxy that stops relaying)."""

from __future__ import annotations

import http.client
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archivist import containers
from archivist.entrypoints.web import create_app
from archivist.entrypoints.web.server import create_server

FILES_PER_CITY = 300     # recordings on each city's mount
KNOWN_PER_CITY = 8       # of which the newest have jobs (the dashboard shows 8 a city)


def mounts(root: Path, cities: list[str]) -> list[dict[str, str]]:
    """A mount per city with FILES_PER_CITY recordings, newest first by a minute each."""
    found = []
    for city in cities:
        mount = root / city.replace(" ", "_")
        mount.mkdir(parents=True)
        for i in range(FILES_PER_CITY):
            path = mount / f"{city} council {i:04d}.mp4"
            path.write_bytes(f"{city} {i}".encode())
            then = time.time() - 3600 - 60 * i
            os.utime(path, (then, then))
        found.append({"name": city, "path": str(mount)})
    return found


def queue_newest(container: Any, cities: list[dict[str, str]]) -> None:
    jobs = container.jobs()
    for city in cities:
        for i in range(KNOWN_PER_CITY):
            path = Path(city["path"]) / f"{city['name']} council {i:04d}.mp4"
            jobs.submit(path, city=city["name"], send=False)


@contextmanager
def served(config: dict[str, Any]) -> Iterator[tuple[int, Any]]:
    container = containers.build(config)
    server = create_server(create_app(container=container), host="127.0.0.1", port=0,
                           threads=8, max_body=1024 * 1024)
    thread = threading.Thread(target=server.run, daemon=True, name="bench-waitress")
    thread.start()
    try:
        yield int(server.effective_port), container
    finally:
        server.close()
        containers.shutdown(container)


def get(port: int, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def burst(port: int, path: str, clients: int, each: int) -> list[tuple[int, float]]:
    """`clients` threads asking `path` `each` times, all at once."""
    answers: list[tuple[int, float]] = []
    lock = threading.Lock()

    def client() -> None:
        for _ in range(each):
            answer = get(port, path)
            with lock:
                answers.append(answer)
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    return answers


def concurrent(port: int, urls: list[str], clients: int, each: int) -> dict[str, list[float]]:
    took: dict[str, list[float]] = {}
    for url in urls:
        assert get(port, url)[0] == 200, url   # warm
        answers = burst(port, url, clients, each)
        bad = [code for code, _ in answers if code != 200]
        assert not bad, f"{url}: {len(bad)} answers were not 200 ({sorted(set(bad))})"
        took[url] = [seconds for _, seconds in answers]
    return took


def hung_database(config: dict[str, Any], clients: int) -> dict[str, list[float]]:
    """The API (a burst of `clients`), / and /metrics while the database does not answer."""
    from sqlalchemy.engine import make_url

    from tests.faults.proxy import FreezingProxy

    url = make_url(config["database"]["url"])
    proxy = FreezingProxy((url.host or "127.0.0.1", url.port or 5432))
    through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    config = {**config, "database": {**config["database"], "url": through}}
    try:
        with served(config) as (port, _):
            for path in ("/api/v1/jobs?limit=50", "/", "/metrics"):
                assert get(port, path)[0] == 200, path
            proxy.freeze()
            answers: dict[str, list[tuple[int, float]]] = {}
            api = threading.Thread(target=lambda: answers.setdefault(
                "/api/v1/jobs?limit=50 (hung)", burst(port, "/api/v1/jobs?limit=50", clients, 1)))
            api.start()
            time.sleep(0.1)
            for path in ("/", "/metrics"):
                answers[f"{path} (hung, during the burst)"] = [get(port, path)]
            api.join(120)
    finally:
        proxy.close()
    return {name: [seconds for _, seconds in got] for name, got in answers.items()}
