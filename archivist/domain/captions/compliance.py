"""Caption compliance report: one meeting's captions measured against the station's rules.

Computed from the transcript the captions were made from (its word times say where speech
is; its word probabilities say what is worth a second listen) and the cues of each caption
profile. Each profile's figures are checked against its configured limits and the targets
below; the report passes when every target does.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from archivist.domain import punctuation
from archivist.domain.captions import segmentation, timing
from archivist.domain.captions.cues import Cue
from archivist.domain.captions.settings import CaptionSettings, CueRules
from archivist.domain.models import Transcript
from archivist.domain.speakers import is_marked

SPEECH_TAIL = 0.25       # seconds either side of a word still counted as speech
MAX_SILENCE = 0.03       # share of caption time over silence, below this
MIN_COVERED = 0.96       # share of speech time on screen, at least this
LOW_PROBABILITY = 0.5    # a word the model was less sure of than this is worth a listen
VERY_LOW = 0.25          # ... and alone, below this
PROFILE_FORMATS = {"broadcast": ("scc",), "web": ("vtt", "srt")}


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the recording a person should look at, and why."""

    start: float
    end: float
    detail: str

    @property
    def at(self) -> str:
        return f"{clock(self.start)}–{clock(self.end)}"

    def as_dict(self) -> dict[str, Any]:
        return {"start": round(self.start, 3), "end": round(self.end, 3), "at": self.at,
                "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Target:
    """One rule checked: what was measured, the limit, and whether it holds."""

    name: str
    value: float
    limit: str
    passed: bool

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": round(self.value, 4), "limit": self.limit,
                "passed": self.passed}


@dataclass(frozen=True, slots=True)
class ProfileReport:
    """The figures of one caption profile's cues (broadcast: SCC; web: WebVTT and SRT)."""

    profile: str
    formats: tuple[str, ...]
    captions: int
    reading_rate: tuple[float, float, float]     # characters a second: p50, p95, max
    longest_line: int
    lines_per_caption: Mapping[int, int]          # lines -> captions with that many
    shortest: float
    longest: float
    overlaps: int
    silence: float                                # share of caption time over silence
    covered: float                                # share of speech time on screen
    too_fast: tuple[Span, ...]
    targets: tuple[Target, ...]

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.targets)

    def as_dict(self) -> dict[str, Any]:
        p50, p95, top = self.reading_rate
        return {
            "formats": list(self.formats), "captions": self.captions,
            "reading_rate_cps": {"p50": round(p50, 2), "p95": round(p95, 2), "max": round(top, 2)},
            "longest_line": self.longest_line,
            "lines_per_caption": {"max": max(self.lines_per_caption, default=0),
                                  "counts": {str(k): v for k, v in
                                             sorted(self.lines_per_caption.items())}},
            "duration_s": {"shortest": round(self.shortest, 3), "longest": round(self.longest, 3)},
            "overlaps": self.overlaps,
            "silence_share": round(self.silence, 4), "speech_covered": round(self.covered, 4),
            "too_fast": [s.as_dict() for s in self.too_fast],
            "targets": [t.as_dict() for t in self.targets], "passed": self.passed,
        }


@dataclass(frozen=True, slots=True)
class ComplianceReport:
    """Everything a person checks about one meeting's captions, with pass/fail per target."""

    duration: float
    words: int
    model: str
    profiles: tuple[ProfileReport, ...]
    punctuation: punctuation.PunctuationHealth
    low_confidence: tuple[Span, ...]
    notes: tuple[str, ...]

    @property
    def targets(self) -> list[tuple[str, Target]]:
        """(profile or "transcript", target) of every target checked."""
        out = [(p.profile, t) for p in self.profiles for t in p.targets]
        share = self.punctuation.worst_share
        out.append(("transcript", Target("punctuation steady to the end", share,
                                         f">= {punctuation.COLLAPSED_SHARE:.0%} of what its words carry",
                                         self.punctuation.steady)))
        return out

    @property
    def passed(self) -> bool:
        return all(t.passed for _, t in self.targets)

    def as_dict(self) -> dict[str, Any]:
        health = self.punctuation
        return {
            "duration_s": round(self.duration, 3), "words": self.words, "model": self.model,
            "passed": self.passed,
            "profiles": {p.profile: p.as_dict() for p in self.profiles},
            "punctuation": {
                "per_100_words": [round(d.per_100, 1) for d in health.parts],
                "expected_per_100_words": [round(e, 1) for e in health.expected],
                "worst_share_of_expected": round(health.worst_share, 3),
                "steady": health.steady,
                "passed": health.steady,
            },
            "low_confidence": [s.as_dict() for s in self.low_confidence],
            "notes": list(self.notes),
        }


def clock(seconds: float) -> str:
    """Return `HH:MM:SS` for a time in seconds (rounded down)."""
    s = max(0, int(seconds))
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


def pace_notes(profile: str, rules: CueRules, cues: Sequence[Cue]) -> list[str]:
    """Notes for staff naming each stretch where speech was too fast to keep the reading rate."""
    return [f"{profile} captions: speech too fast for {rules.max_cps:g} characters a second "
            f"at {Span(start, end, '').at} (up to {worst:.1f})"
            for start, end, worst in timing.too_fast(cues, rules)]


def measure(transcript: Transcript, cues: Mapping[str, Sequence[Cue]],
            settings: CaptionSettings) -> ComplianceReport:
    """Return the report of `cues` (by profile: "broadcast", "web") made from `transcript`.

    `transcript` is the one captions were made from (after the guards); its notes are the
    guards' notes, and each profile adds where speech was too fast for its reading rate.
    """
    speech = _speech(transcript)
    profiles: list[ProfileReport] = []
    notes = list(transcript.notes)
    for name, shown in cues.items():
        rules = settings.broadcast if name == "broadcast" else settings.web
        said_cues = [c for c in shown if not c.sound]   # sound tags are measured apart
        profiles.append(_profile(name, rules, said_cues, speech))
        notes.extend(pace_notes(name, rules, said_cues))
    notes.extend(f"{s.kind} without speech at {Span(s.start, s.end, '').at} (tagged)"
                 for s in transcript.sounds)
    said = _said(transcript)
    return ComplianceReport(
        duration=transcript.duration, words=len(said), model=transcript.model,
        profiles=tuple(profiles),
        punctuation=punctuation.health(said, parts=6),
        low_confidence=tuple(low_confidence(transcript)),
        notes=tuple(notes))


def _said(transcript: Transcript) -> list[str]:
    # A speaker change's `>>` is not a word said.
    return [w for seg in transcript.segments
            for w in ([x.word for x in seg.words] if seg.words else seg.text.split())
            if not is_marked(w)]


def _speech(transcript: Transcript) -> list[tuple[float, float]]:
    """Where speech is: the words' times (as captions use them), merged."""
    tokens = segmentation.tokens(transcript, max_chars=10**6)
    return _union((t.start, t.end) for t in tokens if t.end > t.start)


def _profile(name: str, rules: CueRules, cues: list[Cue],
             speech: list[tuple[float, float]]) -> ProfileReport:
    rates = sorted(timing.reading_rate(c) for c in cues)
    lines: dict[int, int] = {}
    for c in cues:
        lines[len(c.lines)] = lines.get(len(c.lines), 0) + 1
    shown = sum(c.duration for c in cues)
    around = _union((s - SPEECH_TAIL, e + SPEECH_TAIL) for s, e in speech)
    on_screen = _union((c.start, c.end) for c in cues)
    silence = shown - _overlap([(c.start, c.end) for c in cues], around)
    spoken = sum(e - s for s, e in speech)
    covered = _overlap(speech, on_screen)
    overlaps = sum(1 for a, b in zip(cues, cues[1:]) if b.start < a.end - 1e-6)
    longest_line = max((len(x) for c in cues for x in c.lines), default=0)
    most_lines = max(lines, default=0)
    p50, p95, top = _percentile(rates, 0.5), _percentile(rates, 0.95), max(rates, default=0.0)
    silence_share = silence / shown if shown else 0.0
    covered_share = covered / spoken if spoken else 1.0
    longest = max((c.duration for c in cues), default=0.0)
    targets = (
        Target("longest line", longest_line, f"<= {rules.max_chars}",
               longest_line <= rules.max_chars),
        Target("lines per caption", most_lines, f"<= {rules.max_lines}",
               most_lines <= rules.max_lines),
        Target("overlapping captions", overlaps, "0", overlaps == 0),
        Target("reading rate p95 (cps)", p95, f"<= {rules.max_cps:g}",
               p95 <= rules.max_cps * (1 + 1e-6)),
        Target("longest caption (s)", longest, f"<= {rules.max_duration:g}",
               longest <= rules.max_duration + 1e-6),
        Target("caption time over silence", silence_share, f"< {MAX_SILENCE:.0%}",
               silence_share < MAX_SILENCE),
        Target("speech covered", covered_share, f">= {MIN_COVERED:.0%}",
               covered_share >= MIN_COVERED),
    )
    fast = tuple(Span(s, e, f"up to {worst:.1f} cps") for s, e, worst in timing.too_fast(cues, rules))
    return ProfileReport(
        profile=name, formats=PROFILE_FORMATS.get(name, ()), captions=len(cues),
        reading_rate=(p50, p95, top), longest_line=longest_line, lines_per_caption=lines,
        shortest=min((c.duration for c in cues), default=0.0), longest=longest,
        overlaps=overlaps, silence=silence_share, covered=covered_share, too_fast=fast,
        targets=targets)


def low_confidence(transcript: Transcript) -> list[Span]:
    """Runs of words the model was unsure of: two or more under LOW_PROBABILITY, or one very low."""
    spans: list[Span] = []
    run: list[tuple[float, float, str, float]] = []

    def close() -> None:
        if len(run) >= 2 or (run and run[0][3] < VERY_LOW):
            said = " ".join(w for _, _, w, _ in run)
            lowest = min(p for *_, p in run)
            spans.append(Span(run[0][0], run[-1][1], f"\"{said}\" (lowest {lowest:.2f})"))
        run.clear()

    for seg in transcript.segments:
        for w in seg.words:
            if w.probability < LOW_PROBABILITY and w.word.strip():
                run.append((w.start, w.end, w.word.strip(), w.probability))
            else:
                close()
    close()
    return spans


def _union(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _overlap(items: Iterable[tuple[float, float]], spans: list[tuple[float, float]]) -> float:
    """Seconds of each of `items` inside `spans` (sorted and apart, as _union makes them),
    summed. Each item looks only at the spans it can touch, so a 3-hour meeting's thousands of
    captions cost thousands of steps, not millions."""
    ends = [e for _, e in spans]
    total = 0.0
    for start, end in items:
        i = bisect.bisect_right(ends, start)
        while i < len(spans) and spans[i][0] < end:
            total += max(0.0, min(end, spans[i][1]) - max(start, spans[i][0]))
            i += 1
    return total


def _percentile(values: list[float], q: float) -> float:
    """The `q` quantile of sorted `values`, linearly interpolated (0 if there are none)."""
    if not values:
        return 0.0
    pos = (len(values) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def dumps(report: ComplianceReport) -> str:
    """Return the report as JSON (the `.report.json` beside the captions)."""
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"


def describe(report: ComplianceReport, name: str = "") -> str:
    """Return the report as text a person reads: figures, targets, spans to check, notes."""
    out = [f"Caption report{' for ' + name if name else ''}",
           f"{clock(report.duration)} long, {report.words} words"
           + (f", model {report.model}" if report.model else ""), ""]
    for p in report.profiles:
        p50, p95, top = p.reading_rate
        counts = ", ".join(f"{k} line{'s' if k > 1 else ''}: {v}"
                           for k, v in sorted(p.lines_per_caption.items()))
        out += [f"{p.profile} ({', '.join(p.formats)}): {p.captions} captions",
                f"  reading rate p50/p95/max  {p50:.1f} / {p95:.1f} / {top:.1f} cps",
                f"  longest line              {p.longest_line} characters",
                f"  lines per caption         {counts or '-'}",
                f"  shown                     {p.shortest:.1f} to {p.longest:.1f} s",
                f"  caption time over silence {p.silence:.1%}",
                f"  speech covered            {p.covered:.1%}"]
        out += [f"  too fast to read at {s.at} ({s.detail})" for s in p.too_fast]
        out.append("")
    parts = " ".join(f"{d.per_100:.0f}" for d in report.punctuation.parts)
    out += [f"punctuation and capitals per 100 words, by sixth: {parts}"
            f" ({'steady' if report.punctuation.steady else 'collapses'};"
            f" lowest {report.punctuation.worst_share:.0%} of what its words would carry"
            f" written out)", ""]
    if report.low_confidence:
        out.append(f"{len(report.low_confidence)} low-confidence passage(s) to check:")
        out += [f"  {s.at}  {s.detail}" for s in report.low_confidence[:20]]
        if len(report.low_confidence) > 20:
            out.append(f"  and {len(report.low_confidence) - 20} more (see --json)")
        out.append("")
    if report.notes:
        out.append("notes:")
        out += [f"  {note}" for note in report.notes]
        out.append("")
    for where, t in report.targets:
        value = (f"{t.value:.1%}" if "%" in t.limit
                 else f"{t.value:.0f}" if t.value == int(t.value) else f"{t.value:.2f}")
        out.append(f"{'PASS' if t.passed else 'FAIL'}  {where}: {t.name} {value} ({t.limit})")
    return "\n".join(out) + "\n"
