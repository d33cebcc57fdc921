"""The live bench's figures per stretch of the meeting (10 minutes by default): whether latency,
accuracy, CPU or memory drift over a long meeting, which the whole-run figures hide.

Words are placed by their time in the meeting (a truth word by its end, a live word by the end
of its sound on the session's stream clock, which starts at the first sound the player sent);
the process samples by when they were taken, each covering the time since the one before, so a
sample taken at minute 10 belongs to the first ten minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

try:
    import caption_metrics as cm
except ImportError:   # imported as bench.live_stretches (the tests), not beside bench/live.py
    from bench import caption_metrics as cm


@dataclass
class Stretch:
    """What happened in one stretch of the meeting: from `start` to `end` seconds."""

    start: float
    end: float
    latencies: list[float] = field(default_factory=list)   # of the truth words matched
    said: list[str] = field(default_factory=list)          # truth words
    sent: list[str] = field(default_factory=list)          # live words
    shares: list[float] = field(default_factory=list)      # CPU share samples (of all cores)
    resident: list[int] = field(default_factory=list)      # RSS samples (bytes)


def stretches(length: float, duration: float, latencies: list[tuple[float, float]],
              said: list[tuple[str, float]], sent: list[tuple[str, float]],
              samples: list[tuple[float, float, int]]) -> list[Stretch]:
    """The meeting of `duration` seconds cut into stretches of `length` seconds (the last may
    be shorter), given (word end, latency) of each matched word, (word, end) of each truth
    and live word, and (seconds in, CPU share, RSS) of each sample."""
    count = max(1, math.ceil(duration / length))
    out = [Stretch(k * length, min((k + 1) * length, duration)) for k in range(count)]

    def at(seconds: float) -> Stretch:   # a word or a moment in the meeting
        return out[min(count - 1, max(0, int(seconds // length)))]

    def before(seconds: float) -> Stretch:   # a sample: the time up to it
        return out[min(count - 1, max(0, math.ceil(seconds / length) - 1))]

    for end, latency in latencies:
        at(end).latencies.append(latency)
    for word, end in said:
        at(end).said.append(word)
    for word, end in sent:
        at(end).sent.append(word)
    for seconds, share, rss in samples:
        before(seconds).shares.append(share)
        before(seconds).resident.append(rss)
    return out


def line(s: Stretch) -> str:
    """One stretch as a line: words sent / matched, latency p50 / p95 / max, live WER, CPU
    share (mean of the samples), RSS (lowest to highest sample)."""
    lat = sorted(s.latencies)
    latency = (f"{cm.percentile(lat, 0.5):5.2f} / {cm.percentile(lat, 0.95):5.2f} / "
               f"{lat[-1]:5.2f} s" if lat else "     no word matched     ")
    wer = (f"{cm.word_error_rate(' '.join(s.said), ' '.join(s.sent)):6.1%}" if s.said
           else "   n/a")
    cpu = f"{sum(s.shares) / len(s.shares):4.0%}" if s.shares else " n/a"
    rss = (f"{min(s.resident) / 2**20:.0f}-{max(s.resident) / 2**20:.0f} MB"
           if s.resident else "n/a")
    span = f"{s.start / 60:g}-{round(s.end / 60, 1):g} min:"
    return (f"{span:>14} {len(s.sent):5d} / {len(lat):5d} words, "
            f"latency {latency}, live WER {wer}, CPU {cpu}, RSS {rss}")
