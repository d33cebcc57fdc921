"""Where a live caption's latency goes, for the live benches: each matched word's time from the
end of its truth word to its caption leaving, cut into parts.

bench/live.py (real time) knows, for each word sent, when it left (wall clock), the session's
own latency (from the sound of the word's decoded end arriving to the word leaving) and the
word's decoded end on the session's stream clock. With the player's start and the truth:
- before: the sound of the decoded end arrived this long after the player's start plus that
  stream time (the player's start-up, the AAC encoding and MPEG-TS over UDP, the session's
  ffmpeg decoding it and the pipe; what the session cannot see);
- offset: the decoded end less the truth end (word times from the model and from the truth,
  which is interpolated within each utterance: a few tenths either way, not a delay);
- session: the session's own latency (waiting for decodes, the decodes themselves, agreement,
  the pause flush).
Total = before + offset + session, word by word.

bench/live_replay.py (virtual clock) tags each word with why it was sent (see `WHY`).
"""

from __future__ import annotations

from dataclasses import dataclass

try:
    import caption_metrics as cm
except ImportError:   # imported as bench.live_parts (the tests), not beside the benches
    from bench import caption_metrics as cm

# Why a word was sent (bench/live_replay.py): the step of the session, then how.
WHY = {
    "step/agreed": "two decodes agreed, while the speaker talks",
    "step/settled": "said settle_seconds before the buffer's end, decodes still disagreeing",
    "pause/agreed": "agreed by the decode at a pause",
    "pause/flushed": "sent as read at a pause (the last words of an utterance)",
    "late/agreed": "agreed by the decode at a late pause",
    "late/flushed": "sent as read at a late pause",
    "lost/flushed": "sent as read when the source went quiet",
    "end/flushed": "sent as read at the end",
}


@dataclass(frozen=True, slots=True)
class Parts:
    """One matched word's latency in parts (seconds): total = before + offset + session."""

    total: float
    before: float
    offset: float
    session: float


def parts(played: float, truth_end: float, sent: float, session: float,
          decoded_end: float) -> Parts:
    """The parts of a word whose truth ends at `truth_end` (seconds into the meeting), sent at
    wall time `sent`, with the session's own latency `session` and its decoded end
    `decoded_end` (stream seconds), the player having started at wall time `played`."""
    before = (sent - session) - (played + decoded_end)
    return Parts(total=sent - (played + truth_end), before=before,
                 offset=decoded_end - truth_end, session=session)


def summary(words: list[Parts]) -> str:
    """p50 / p95 of each part over the words, as a line."""
    def spread(values: list[float]) -> str:
        return f"{cm.percentile(values, 0.5):.2f} / {cm.percentile(values, 0.95):.2f}"

    return (f"total {spread([w.total for w in words])} s = before the session heard it "
            f"{spread([w.before for w in words])} s + decoded end less truth end "
            f"{spread([w.offset for w in words])} s + in the session "
            f"{spread([w.session for w in words])} s (p50 / p95 of each; the parts' p50s need "
            "not add up)")


def by_why(latencies: list[tuple[str, float]]) -> list[str]:
    """Per reason a word was sent (`WHY`): how many, and their latency p50 / p95 / max."""
    reasons: dict[str, list[float]] = {}
    for why, latency in latencies:
        reasons.setdefault(why, []).append(latency)
    total = max(1, len(latencies))
    return [f"{why:14} {len(values):5} ({len(values) / total:4.0%})  p50 "
            f"{cm.percentile(values, 0.5):.2f}  p95 {cm.percentile(values, 0.95):.2f}  max "
            f"{max(values):.2f} s   {WHY.get(why, '')}"
            for why, values in sorted(reasons.items(), key=lambda kv: -len(kv[1]))]
