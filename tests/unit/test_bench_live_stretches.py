"""The live bench's figures by stretch of the meeting: a word counts in the stretch it ended in,
a sample in the stretch it covers (taken at minute 10, it is of the first ten minutes)."""

from __future__ import annotations

from bench import live_stretches as ls

MB = 2**20


def test_words_and_samples_fall_in_the_stretch_they_belong_to() -> None:
    parts = ls.stretches(
        600.0, 1500.0,
        latencies=[(10.0, 2.0), (599.9, 3.0), (600.0, 9.0), (1499.0, 4.0)],
        said=[("good", 10.0), ("evening", 599.9), ("motion", 600.0), ("adjourned", 1499.0)],
        sent=[("good", 10.5), ("evening", 601.0), ("motion", 602.0), ("adjourned", 1500.2)],
        samples=[(60.0, 0.4, 300 * MB), (600.0, 0.5, 350 * MB), (660.0, 0.2, 400 * MB),
                 (1560.0, 0.1, 380 * MB)])
    assert [(p.start, p.end) for p in parts] == [(0.0, 600.0), (600.0, 1200.0), (1200.0, 1500.0)]
    assert ls.line(parts[2]).lstrip().startswith("20-25 min:")
    assert [p.latencies for p in parts] == [[2.0, 3.0], [9.0], [4.0]]
    assert [p.said for p in parts] == [["good", "evening"], ["motion"], ["adjourned"]]
    # A live word said at the end of a stretch may be heard a moment into the next.
    assert [p.sent for p in parts] == [["good"], ["evening", "motion"], ["adjourned"]]
    assert [p.shares for p in parts] == [[0.4, 0.5], [0.2], [0.1]]
    assert [p.resident for p in parts] == [[300 * MB, 350 * MB], [400 * MB], [380 * MB]]


def test_a_stretch_line_gives_its_latency_wer_cpu_and_memory() -> None:
    (part,) = ls.stretches(600.0, 600.0, latencies=[(1.0, 1.0), (2.0, 2.0), (3.0, 3.0)],
                           said=[("the", 1.0), ("motion", 2.0), ("carries", 3.0), ("now", 4.0)],
                           sent=[("the", 1.0), ("motion", 2.0), ("carries", 3.0)],
                           samples=[(60.0, 0.30, 300 * MB), (120.0, 0.50, 320 * MB)])
    text = ls.line(part)
    assert text.lstrip().startswith("0-10 min:")
    assert "3 /     3 words" in text
    assert "latency  2.00 /  2.90 /  3.00 s" in text
    assert "live WER  25.0%" in text          # "now" missed: 1 of 4
    assert "CPU  40%" in text                  # the mean of the samples
    assert "RSS 300-320 MB" in text


def test_an_empty_stretch_says_so_rather_than_failing() -> None:
    (_first, quiet) = ls.stretches(600.0, 1200.0, latencies=[(5.0, 2.0)], said=[("aye", 5.0)],
                                   sent=[("aye", 5.5)], samples=[])
    text = ls.line(quiet)
    assert "no word matched" in text and "live WER    n/a" in text and "RSS n/a" in text
