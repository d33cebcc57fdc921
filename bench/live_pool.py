"""Live replays pooled: each setting's WER over the truth words of every file it was replayed
on, and its latency p50 / p95 over every word, from the lines `bench/live_replay.py --figures
FILE` appended (the last run of a setting on a file counts). Only the files every setting was
replayed on are pooled, so the settings are compared on the same words.

Usage: .venv/bin/python bench/live_pool.py FILE
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import caption_metrics as cm


def runs(lines: list[str]) -> dict[str, dict[str, dict]]:
    """{setting: {file: its last run}} from the figures' lines."""
    found: dict[str, dict[str, dict]] = {}
    for line in lines:
        if line.strip():
            run = json.loads(line)
            key = f"{run['media']} (until {run['until']:g} s)"
            found.setdefault(run["settings"] or "defaults", {})[key] = run
    return found


def pooled(found: dict[str, dict[str, dict]]) -> tuple[list[str], list[str]]:
    """(the files every setting shares, one line per setting: pooled WER, p50, p95)."""
    shared = sorted(set.intersection(*(set(files) for files in found.values()))) if found else []
    lines = []
    for setting, files in found.items():
        errors = sum(files[f]["errors"] for f in shared)
        words = sum(files[f]["words"] for f in shared)
        latencies = [x for f in shared for x in files[f]["latencies"]]
        each = ", ".join(f"{f[:4]} {files[f]['errors'] / max(files[f]['words'], 1):.1%}"
                         for f in shared)
        lines.append(f"{setting}: WER {errors / max(words, 1):.1%} ({errors} of {words} words; "
                     f"{each}); latency p50 {cm.percentile(latencies, 0.5):.2f} "
                     f"p95 {cm.percentile(latencies, 0.95):.2f} s")
    return shared, lines


def main() -> int:
    shared, lines = pooled(runs(Path(sys.argv[1]).read_text().splitlines()))
    print(f"pooled over {len(shared)} files: {'; '.join(shared)}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
