"""Live replays pooled over files: errors over truth words, latencies over every word."""

from __future__ import annotations

import json

from bench import live_pool


def line(media: str, settings: str, errors: int, words: int, latencies: list[float]) -> str:
    return json.dumps({"media": media, "until": 90.0, "settings": settings, "errors": errors,
                       "words": words, "offline": "", "latencies": latencies})


def test_settings_are_pooled_over_the_files_they_share_by_their_words() -> None:
    found = live_pool.runs([
        line("2101 a.mp4", "", 10, 100, [1.0, 2.0]),
        line("2102 b.ts", "", 30, 300, [3.0]),
        line("2101 a.mp4", "first_seconds=1.5", 5, 100, [2.0]),
        line("2102 b.ts", "first_seconds=1.5", 35, 300, [4.0]),
        line("2103 c.mp4", "first_seconds=1.5", 0, 50, [9.0]),   # not replayed with the defaults
        "",
    ])
    shared, lines = live_pool.pooled(found)
    assert shared == ["2101 a.mp4 (until 90 s)", "2102 b.ts (until 90 s)"]
    assert lines[0].startswith("defaults: WER 10.0% (40 of 400 words; 2101 10.0%, 2102 10.0%)")
    assert lines[0].endswith("latency p50 2.00 p95 2.90 s")
    assert lines[1].startswith("first_seconds=1.5: WER 10.0% (40 of 400 words; 2101 5.0%")
