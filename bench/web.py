"""Web benchmark: p50/p95 of the job list and of search through the REST API, and of a city's
archive page, on PostgreSQL holding 100,000 jobs, 1,000 meeting transcripts and a city of
10,000 recordings.

Requests go through the real app (Flask's client, in this process): routing, validation,
the database, serialisation; no network. Transcripts are built from the corpus's meeting
scripts (../shared/corpus), shuffled and varied per meeting so that words are common, rare
or absent as they would be across a station's archive.

Then the same app on the real server (waitress, 8 threads) with 5 city mounts of 300
recordings each: --clients concurrent clients asking the job list and the dashboard `/`;
and, with the database hung, a burst of API calls beside `/` and /metrics.

Usage: .venv/bin/python bench/web.py [--jobs N] [--transcripts N] [--words N] [--runs N]
                                    [--city-recordings N] [--clients N] [--each N]
                                    [--database URL]   (kept, and loaded only when empty)
Targets: job list p95 < 25 ms, search p95 < 100 ms, city archive page p95 < 50 ms; at 32
clients `/` p95 within 3x the job list's; with the database hung, 503s, and `/` and /metrics
within 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _web_concurrent
from _databases import throwaway_database

from archivist import containers
from archivist.domain.models import Segment, Transcript, Word
from archivist.entrypoints.web import create_app
from archivist.providers import settings

POSTGRES = os.environ.get("ARCHIVIST_TEST_POSTGRES_URL",
                          "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
CORPUS = Path(os.environ.get("ARCHIVIST_SHARED_CORPUS",
                           Path(__file__).resolve().parents[2] / "shared" / "corpus" / "media"))
CITIES = ["Riverton", "Northfield", "Lakeside", "Oak Hill", "Fairview"]
# Words that make meetings differ: each meeting mentions a few of them.
TOPICS = ["sidewalk", "water main", "Elm Street", "library levy", "stormwater", "zoning variance",
          "snow removal", "fire station", "bike lane", "parking meters", "dog park",
          "property tax", "school bond", "traffic signal", "tree canopy", "broadband",
          "Maple Avenue", "sewer rates", "senior center", "skate park"]
LIST_QUERIES = ["limit=50", "limit=50&state=failed", "limit=50&city=Lakeside",
                "limit=50&offset=5000", "limit=50&state=queued&city=Riverton"]
ARCHIVE_CITY = "Maplewood"
BODIES = ["City Council", "Planning Commission", "School Board", "Parks Board", "Library Board"]
ARCHIVE_QUERIES = ["", "?page=2", "?page=150", "?body=Planning+Commission",
                   "?since=2020-01-01&until=2020-12-31", "?body=City+Council&since=2024-06-01&page=2"]
SEARCH_QUERIES = ["council", "sidewalk", '"water main"', "budget", '"Elm Street" zoning',
                  "quorum", '"call the roll"', "parking meters", "allegiance", "broadband",
                  "council&city=Lakeside", '"water main"&city=Riverton']


def database() -> Any:
    return throwaway_database(POSTGRES)


def sentences() -> list[str]:
    found = []
    for script in sorted(CORPUS.glob("*.json")):
        found += [u["text"] for u in json.loads(script.read_text())["utterances"] if u.get("text")]
    if not found:
        raise SystemExit(f"no corpus scripts in {CORPUS}")
    return found


def meeting(rng: random.Random, said: list[str], words: int) -> Transcript:
    """A meeting of about `words` words: corpus sentences, shuffled, a few topics woven in."""
    topics = rng.sample(TOPICS, 3)
    segments, t, count = [], 5.0, 0
    while count < words:
        text = rng.choice(said)
        if rng.random() < 0.15:
            text += f" Next is the {rng.choice(topics)} item."
        spoken = []
        for w in text.split():
            spoken.append(Word(t, t + 0.3, " " + w, 0.9))
            t += 0.36
        segments.append(Segment(spoken[0].start, spoken[-1].end, text, tuple(spoken)))
        count += len(spoken)
        t += rng.uniform(0.3, 2.5)
    return Transcript(tuple(segments), duration=t + 5, model="bench")


def fill(engine: Any, jobs: int) -> None:
    """`jobs` recordings with one job each: mostly succeeded, some failed, a few queued."""
    from sqlalchemy import text

    cities = "ARRAY[" + ",".join(f"'{c}'" for c in CITIES) + "]"
    with engine.begin() as conn:
        conn.execute(text(f"""
            INSERT INTO recordings (path, content_hash, size, city, created_at)
            SELECT '/mnt/flex/' || i || '.mp4', md5(i::text), 1000000 + i,
                   ({cities})[1 + i % 5], now() - (i || ' minutes')::interval
            FROM generate_series(1, :n) AS i"""), {"n": jobs})
        conn.execute(text(f"""
            INSERT INTO jobs (recording_id, state, progress, notes, outputs, created_at, path,
                              city, priority, attempts)
            SELECT i, CASE WHEN i % 50 = 0 THEN 'failed' WHEN i % 333 = 0 THEN 'queued'
                           ELSE 'succeeded' END,
                   1.0, '[]', '[]', now() - (i || ' minutes')::interval,
                   '/mnt/flex/' || i || '.mp4', ({cities})[1 + i % 5], 5, 1
            FROM generate_series(1, :n) AS i"""), {"n": jobs})
        conn.execute(text("ANALYZE"))


def fill_city(engine: Any, recordings: int) -> None:
    """`recordings` meetings of one city, named as Cablecast names them, one every other day."""
    from sqlalchemy import text

    bodies = "ARRAY[" + ",".join(f"'{b}'" for b in BODIES) + "]"
    with engine.begin() as conn:
        conn.execute(text(f"""
            INSERT INTO recordings (path, content_hash, size, city, created_at)
            SELECT '/mnt/maplewood/' || (50000 + i) || '-1-' || ({bodies})[1 + i % 5] || ' ('
                   || to_char(date '2026-12-01' - 2 * i, 'YYYYMMDD') || ').mp4',
                   md5('maplewood' || i), 1000000 + i, :city, now() - (i || ' minutes')::interval
            FROM generate_series(1, :n) AS i"""), {"n": recordings, "city": ARCHIVE_CITY})
        conn.execute(text("ANALYZE"))


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1000,
            ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000)


def measure(client: Any, urls: list[str], runs: int) -> dict[str, list[float]]:
    took: dict[str, list[float]] = {u: [] for u in urls}
    for url in urls:                      # warm each statement's plan once
        assert client.get(url).status_code == 200, url
    for _ in range(runs):
        for url in urls:
            start = time.perf_counter()
            response = client.get(url)
            took[url].append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.get_data(as_text=True)[:200])
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--transcripts", type=int, default=1_000)
    parser.add_argument("--words", type=int, default=4_000, help="words per meeting")
    parser.add_argument("--runs", type=int, default=40, help="rounds over every query")
    parser.add_argument("--city-recordings", type=int, default=10_000,
                        help=f"recordings of {ARCHIVE_CITY}, whose archive page is measured")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--each", type=int, default=5, help="requests per concurrent client")
    parser.add_argument("--database", help="a PostgreSQL URL to keep (default: a new database, "
                                           "dropped afterwards)")
    args = parser.parse_args()
    rng = random.Random(7)
    said = sentences()
    place = nullcontext(args.database) if args.database else database()
    with place as url, tempfile.TemporaryDirectory() as data:
        config = settings.load(environ={"ARCHIVIST_DATA_DIR": data,
                                        "ARCHIVIST_DATABASE_URL": url,
                                        "ARCHIVIST_SECRET_KEY": "bench"})
        # The cities the queries name (an unknown city is a 404).
        config["library"]["cities"] = [{"name": name, "path": data}
                                       for name in (ARCHIVE_CITY, *CITIES)]
        container = containers.build(config)
        repo = container.repository()
        loaded = repo.job(1) is not None   # (and migrates an empty database)
        t0 = time.perf_counter()
        if not loaded:
            fill(container.engine(), args.jobs)
            fill_city(container.engine(), args.city_recordings)
        t1 = time.perf_counter()
        for recording_id in range(1, 0 if loaded else args.transcripts + 1):
            repo.save_transcript(recording_id, recording_id, meeting(rng, said, args.words))
        with container.engine().begin() as conn:
            from sqlalchemy import text

            conn.execute(text("ANALYZE"))
            passages = conn.execute(text("SELECT count(*) FROM passages")).scalar_one()
        t2 = time.perf_counter()
        if loaded:
            print(f"reusing {url.rsplit('/', 1)[1]}: {passages:,} passages")
        else:
            print(f"loaded {args.jobs:,} jobs in {t1 - t0:.1f}s; {args.transcripts:,} transcripts "
                  f"({args.words:,} words each, {passages:,} passages) in {t2 - t1:.1f}s")
        client = create_app(container=container).test_client()
        lists = measure(client, [f"/api/v1/jobs?{q}" for q in LIST_QUERIES], args.runs)
        searches = measure(client, [f"/api/v1/search?q={q}" for q in SEARCH_QUERIES], args.runs)
        archive = measure(client, [f"/cities/{ARCHIVE_CITY}{q}" for q in ARCHIVE_QUERIES], args.runs)
        cities = _web_concurrent.mounts(Path(data) / "mnt", CITIES)
        config["library"]["cities"] = cities
        _web_concurrent.queue_newest(containers.build(config), cities)
        containers.shutdown(container)
        with _web_concurrent.served(config) as (port, _):
            together = _web_concurrent.concurrent(port, ["/api/v1/jobs?limit=50", "/"],
                                                  args.clients, args.each)
        hung = _web_concurrent.hung_database(config, args.clients)
    print(f"\n{'request':<52} {'p50 ms':>8} {'p95 ms':>8}")
    for name, took in [*lists.items(), *searches.items(), *archive.items()]:
        p50, p95 = percentiles(took)
        print(f"{name:<52} {p50:8.1f} {p95:8.1f}")
    for name, took, target in [("job list, all", lists, 25), ("search, all", searches, 100),
                               ("city archive page, all", archive, 50)]:
        p50, p95 = percentiles([t for ts in took.values() for t in ts])
        verdict = "meets" if p95 < target else "MISSES"
        print(f"{name:<52} {p50:8.1f} {p95:8.1f}   target p95 < {target} ms: {verdict}")
    print(f"\n{args.clients} clients at once, real server (8 threads)")
    for name, took in together.items():
        p50, p95 = percentiles(took)
        print(f"{name:<52} {p50:8.1f} {p95:8.1f}")
    ratio = percentiles(together["/"])[1] / percentiles(together["/api/v1/jobs?limit=50"])[1]
    print(f"{'/ p95 over the job list p95':<52} {ratio:8.1f}x  target <= 3x: "
          f"{'meets' if ratio <= 3 else 'MISSES'}")
    print("\ndatabase hung")
    for name, took in hung.items():
        p50, p95 = percentiles(took)
        print(f"{name:<52} {p50:8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
