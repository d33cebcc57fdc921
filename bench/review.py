"""Review benchmark: save + apply of a 3-hour meeting's corrected transcript (about 30,000
words), without Cablecast, on the embedded station (SQLite) and on PostgreSQL, beside a
baseline: rendering the same transcript's files the way `archivist render` did before
revisions (read the JSON, render every format and the report, write them).

A save is what the editor's PUT does below the HTTP layer: the edit checked and retimed against
the current revision, the revision stored with its transcript and search passages in one
transaction, then applied (every sidecar rendered and the changed ones written atomically).

Usage: .venv/bin/python bench/review.py [--words N] [--runs N] [--database URL]
Target: save + apply under 3 s on both databases.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _databases import throwaway_database

from archivist import containers
from archivist.domain import transcript_json
from archivist.domain.captioning import caption_files
from archivist.domain.captions.guards import clean
from archivist.domain.models import Job, Segment, Transcript, Word
from archivist.domain.review.revisions import EditedLine
from archivist.providers import settings

POSTGRES = os.environ.get("ARCHIVIST_TEST_POSTGRES_URL",
                          "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
WORDS = ("the council will now consider the water main replacement on Elm Street and the "
         "budget for the new fire station motion to approve seconded all in favor say aye "
         "opposed the motion carries next item is the public hearing on the zoning variance "
         "for twelve thousand dollars please state your name for the record thank you").split()
HOURS = 3.0


def meeting(words: int, seed: int = 7) -> Transcript:
    """A meeting of `words` words spread over three hours, in lines of 8 to 16 words."""
    rng = random.Random(seed)
    step = HOURS * 3600 / words
    segments, t, said = [], 2.0, 0
    while said < words:
        n = min(rng.randint(8, 16), words - said)
        spoken = []
        for _ in range(n):
            spoken.append(Word(round(t, 3), round(t + step * 0.8, 3), " " + rng.choice(WORDS),
                               round(rng.uniform(0.5, 1.0), 3)))
            t += step
        text = " ".join(w.word.strip() for w in spoken).capitalize() + "."
        spoken[-1] = Word(spoken[-1].start, spoken[-1].end, spoken[-1].word + ".",
                          spoken[-1].probability)
        spoken[0] = Word(spoken[0].start, spoken[0].end, " " + spoken[0].word.strip().capitalize(),
                         spoken[0].probability)
        segments.append(Segment(spoken[0].start, spoken[-1].end, text, tuple(spoken)))
        said += n
    return Transcript(tuple(segments), duration=HOURS * 3600, model="bench")


@contextmanager
def station(folder: Path, database_url: str) -> Iterator[Any]:
    mount = folder / "mnt"
    mount.mkdir(parents=True, exist_ok=True)
    config = settings.load(environ={"ARCHIVIST_DATA_DIR": str(folder / "data"),
                                    "ARCHIVIST_DATABASE_URL": database_url})
    config["library"]["cities"] = [{"name": "Riverton", "path": str(mount)}]
    container = containers.build(config)
    try:
        yield container, mount
    finally:
        containers.shutdown(container)


def measure(container: Any, mount: Path, transcript: Transcript, runs: int) -> dict[str, float]:
    """Seconds of the baseline render and of each save + apply."""
    media = mount / "Council (20261103).mp4"
    media.write_bytes(b"\0" * 4096)
    recording = container.jobs().recording_at(media, "Riverton")
    repo = container.repository()
    job, _ = repo.queue_job(Job(recording_id=recording.id, path=media, city="Riverton"))
    repo.save_transcript(recording.id, job.id, transcript)
    formats = list(container.config.captions.formats())
    caption_settings, library = container.caption_settings(), container.library()
    json_file = mount / "edited.json"
    json_file.write_text(transcript_json.dumps(transcript))

    baseline = []
    for _ in range(runs):
        started = time.perf_counter()
        parsed = transcript_json.loads(json_file.read_text())
        texts, _ = caption_files(clean(parsed), media, formats, caption_settings)
        for path, text in texts.items():
            library.write_sidecar(path, text)
        baseline.append(time.perf_counter() - started)

    reviews = container.reviews()
    lines = [EditedLine(s.start, s.end, s.text) for s in transcript.segments]
    saves = []
    for run in range(runs):
        # A clerk's pass: a name fixed in a dozen lines across the meeting.
        for i in range(run, len(lines), len(lines) // 12):
            line = lines[i]
            lines[i] = EditedLine(line.start, line.end, line.text.replace("council", "Okafor", 1)
                                  if "council" in line.text else line.text + " Okafor")
        current, _ = reviews.revision(recording.id)
        started = time.perf_counter()
        saved = reviews.save(recording.id, lines, current.number, "staff:bench")
        saves.append(time.perf_counter() - started)
        assert saved.created and saved.applied.captions == "done", saved.applied
    return {"baseline": statistics.median(baseline), "save": statistics.median(saves),
            "save_max": max(saves)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", help="a PostgreSQL URL to use (default: a new database, "
                                           "dropped afterwards)")
    args = parser.parse_args()
    transcript = meeting(args.words)
    print(f"meeting: {sum(len(s.words) for s in transcript.segments)} words, "
          f"{len(transcript.segments)} lines, {HOURS:g} hours; median of {args.runs} runs")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        with station(Path(tmp) / "sqlite", "") as (container, mount):
            results["sqlite (embedded)"] = measure(container, mount, transcript, args.runs)
        pg = throwaway_database(POSTGRES) if args.database is None else _kept(args.database)
        with pg as url, station(Path(tmp) / "pg", url) as (container, mount):
            results["postgresql"] = measure(container, mount, transcript, args.runs)
    print(f"{'database':<20}{'render (before)':>18}{'save + apply':>16}{'worst':>10}  target < 3 s")
    for name, r in results.items():
        verdict = "ok" if r["save_max"] < 3.0 else "TOO SLOW"
        print(f"{name:<20}{r['baseline']:>16.2f} s{r['save']:>14.2f} s{r['save_max']:>8.2f} s  "
              f"{verdict}")


@contextmanager
def _kept(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    main()
