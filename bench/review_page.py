"""Editor page load: p50/p95 of opening the caption editor on a 3-hour meeting, on the
embedded station (SQLite) and on PostgreSQL.

Opening the editor is two requests: the page (`/recordings/<id>/edit`, staff only) and the
transcript its script reads (`GET /api/v1/recordings/<id>/transcript`, every word with its
times). Both go through the real app (Flask's client, in this process): routing, the session
check, the database, templates and serialisation; no network. The meeting is corpus sentences
(council sentences, shuffled as bench/web.py shuffles its corpus) to `--hours` of speech.

Usage: .venv/bin/python bench/review_page.py [--hours 3] [--runs 30] [--only sqlite|postgresql]
Target: page + transcript p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from web import POSTGRES, database, meeting, percentiles

from archivist import containers
from archivist.entrypoints.web import create_app
from archivist.providers import settings

TARGET_MS = 300
SAID = [
    "Good evening, everyone. I would like to call this regular meeting of the city council to order.",
    "Will the clerk please call the roll?", "Council member Villanueva. Present.",
    "The next item is the contract for the water main replacement on Kessler Avenue.",
    "Staff recommends approval of the $3,000 change order for the out-of-the-way lots.",
    "Is there a motion? So moved. Second. All those in favor? Aye. The motion carries.",
    "Thank you, Madam Mayor. I have a question for staff about the splash pad at Okafor Park.",
    "We have received 12 million dollars from the state for the stormwater project.",
    "Public comment is limited to three minutes per speaker; please state your name.",
]
WORDS_PER_HOUR = 9_000   # about 150 words a minute, as council meetings go


def station(data: str, url: str, mount: Path) -> Any:
    environ = {"ARCHIVIST_DATA_DIR": data, "ARCHIVIST_SECRET_KEY": "bench"}
    if url:
        environ["ARCHIVIST_DATABASE_URL"] = url
    config = settings.load(environ=environ)
    config["library"]["cities"] = [{"name": "Riverton", "path": str(mount)}]
    return containers.build(config)


def captioned(container: Any, mount: Path, hours: float) -> int:
    """A recording on the mount with a finished job and a `hours`-long transcript."""
    from archivist.domain.models import Job, Recording

    path = mount / "Council (20261103).mp4"
    path.write_bytes(b"not decoded by the editor")
    repo = container.repository()
    recording = repo.add_recording(Recording(path=path, content_hash="bench",
                                             size=path.stat().st_size, city="Riverton"))
    assert recording.id is not None
    job, _ = repo.queue_job(Job(recording_id=recording.id, path=path, city="Riverton"))
    claimed = repo.claim(job.id, "bench:1", stale_before=job.created_at)
    words = int(hours * WORDS_PER_HOUR)
    repo.succeed(job.id, claimed.attempts, meeting(random.Random(7), SAID, words), [], [])
    return int(recording.id)


def log_in(client: Any) -> None:
    """Log in as staff through the login form, as a browser does."""
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf, page[:300]
    answer = client.post("/login", data={"name": "bench", "password": "a long bench password",
                                         "csrf_token": csrf.group(1)})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]


def measure(client: Any, recording_id: int, runs: int) -> dict[str, list[float]]:
    """Seconds taken by the page, by the transcript, and by both, per run."""
    urls = {"page": f"/recordings/{recording_id}/edit",
            "transcript": f"/api/v1/recordings/{recording_id}/transcript"}
    took: dict[str, list[float]] = {"page": [], "transcript": [], "both": []}
    for run in range(runs + 1):
        both = 0.0
        for name, url in urls.items():
            start = time.perf_counter()
            response = client.get(url)
            spent = time.perf_counter() - start
            assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
            if run:   # the first warms templates and statements
                took[name].append(spent)
            both += spent
        if run:
            took["both"].append(both)
    return took


def bench(kind: str, hours: float, runs: int) -> tuple[dict[str, list[float]], int, int]:
    place = database() if kind == "postgresql" else nullcontext("")
    with place as url, tempfile.TemporaryDirectory() as data:
        mount = Path(data) / "mnt"
        mount.mkdir()
        container = station(data, url or "", mount)
        recording_id = captioned(container, mount, hours)
        container.access().add_staff("bench", "a long bench password")
        client = create_app(container=container).test_client()
        log_in(client)
        body = client.get(f"/api/v1/recordings/{recording_id}/transcript")
        size = len(body.get_data())
        segments = len(body.get_json()["segments"])
        took = measure(client, recording_id, runs)
        containers.shutdown(container)
    return took, size, segments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(f"editor page + transcript, {args.hours:g}-hour meeting "
          f"(~{int(args.hours * WORDS_PER_HOUR):,} words), {args.runs} runs; PostgreSQL at "
          f"{POSTGRES.rsplit('@', 1)[-1]}")
    print(f"{'station':<12} {'segments':>9} {'JSON KB':>8} {'page p95':>9} {'JSON p95':>9} "
          f"{'p50 ms':>8} {'p95 ms':>8}")
    for kind in [args.only] if args.only else ["sqlite", "postgresql"]:
        took, size, segments = bench(kind, args.hours, args.runs)
        p50, p95 = percentiles(took["both"])
        verdict = "meets" if p95 < TARGET_MS else "MISSES"
        print(f"{kind:<12} {segments:>9,} {size / 1024:8.0f} {percentiles(took['page'])[1]:9.1f} "
              f"{percentiles(took['transcript'])[1]:9.1f} {p50:8.1f} {p95:8.1f}   "
              f"target p95 < {TARGET_MS} ms: {verdict}")


if __name__ == "__main__":
    main()
