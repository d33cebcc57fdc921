"""Caption-quality figures: read caption files, the ground truth, and measure one against the other.

Used by `caption_quality.py`. Everything here is about text and times; nothing runs a model.

Normaliser (for word error rate and alignment): archivist.domain.accuracy.words, the one the
product uses to measure its transcripts against a person's (lowercase, punctuation and sound
tags dropped, spelled-out whole numbers as digits on both sides: see its docstring).
"""

from __future__ import annotations

import html
import json
import re
import statistics
import subprocess
import tempfile
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path

from archivist.domain.accuracy.wer import word_errors
from archivist.domain.accuracy.words import normalise

# One caption as a viewer sees it: the same shape the writers take.
from archivist.domain.captions.cues import Cue as Caption

FRAME = 1001 / 30000        # one 29.97 fps frame, seconds
SILENCE_TOLERANCE = 0.25    # seconds either side of an utterance still counted as speech
MAX_CPS = 20.0              # the reading rate captions.*.max_cps defaults to (for the excess)
MIN_DURATION = 1.0          # captions.*.min_duration: the shortest a caption stays up (captions.md)
ALIGN_WINDOW = 10.0         # seconds around a caption searched for the words it shows


@dataclass(frozen=True)
class Truth:
    """What was said: utterance spans, and each normalised word with its estimated time."""

    text: str
    spans: list[tuple[float, float]]
    words: list[tuple[str, float]]
    # Where the clean voice sounds, when the corpus wrote it (scripts/corpus/voices.py); the
    # pauses inside an utterance are not in it.
    voiced: list[tuple[float, float]] | None = None
    # Seconds of music bed from the start (it plays alone before the chair speaks, then fades
    # under the opening words); 0 when the recording has none.
    music: float = 0.0


# -- ground truth ------------------------------------------------------------------------------

def load_truth(media: Path) -> Truth:
    """Read `<media>.json` and `.txt`; time each word by its character position in its utterance.

    The truth gives utterance start/end only, so a word's time is interpolated: the share of
    the utterance's characters before the word, times its duration. (espeak pauses at
    punctuation, so this is good to a few tenths of a second inside long utterances.)
    """
    data = json.loads(media.with_suffix(".json").read_text(encoding="utf-8"))
    words: list[tuple[str, float]] = []
    for u in data["utterances"]:
        text, start, end = u["text"], float(u["start"]), float(u["end"])
        for m in re.finditer(r"\S+", text):
            at = start + (end - start) * m.start() / max(len(text), 1)
            words.extend((w, at) for w in normalise(m.group()))
    spans = [(float(u["start"]), float(u["end"])) for u in data["utterances"]]
    voiced = ([(float(a), float(b)) for u in data["utterances"] for a, b in u["voiced"]]
              if all("voiced" in u for u in data["utterances"]) else None)
    music = float(data.get("settings", {}).get("music", 0))
    return Truth(media.with_suffix(".txt").read_text(encoding="utf-8"), spans, words, voiced,
                 music)


# -- reading caption files ---------------------------------------------------------------------

def _clock(stamp: str) -> float:
    hh, mm, ss = stamp.replace(",", ".").split(":")
    return int(hh) * 3600 + int(mm) * 60 + float(ss)


# Sound tags (captions.sound_tags): captions of music, not of words; left out of every figure.
SOUND_TAGS = frozenset({"[MUSIC]", "♪"})


def read_cues(text: str) -> list[Caption]:
    """Return the cues of a WebVTT or SRT file (sound tags left out: see tag_cues)."""
    return [c for c in _all_cues(text) if " ".join(c.lines) not in SOUND_TAGS]


def tag_cues(text: str) -> list[Caption]:
    """Return the sound-tag cues ("[MUSIC]") of a WebVTT or SRT file."""
    return [c for c in _all_cues(text) if " ".join(c.lines) in SOUND_TAGS]


def _all_cues(text: str) -> list[Caption]:
    # WebVTT escapes `&`, `<` and `>` (the writer's "R&amp;D"); a viewer reads "R&D", so line
    # lengths, reading rates and words are counted on the unescaped text. SRT has no entities.
    shown = html.unescape if text.lstrip("\ufeff").startswith("WEBVTT") else str
    out = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        rows = block.strip("\n").split("\n")
        for k, row in enumerate(rows):
            if "-->" in row:
                a, b = (s.strip().split(" ")[0] for s in row.split("-->"))
                lines = tuple(shown(r) for r in rows[k + 1:] if r.strip())
                out.append(Caption(_clock(a), _clock(b), lines))
                break
    return out


def _event_frames(scc: str) -> list[tuple[float, int]]:
    """(label read as clock seconds, frame number) of each event: how pycaption reads labels."""
    out = []
    for m in re.finditer(r"^(\d\d):(\d\d):(\d\d);(\d\d)\t", scc, re.M):
        hh, mm, ss, ff = (int(g) for g in m.groups())
        minutes = 60 * hh + mm
        frame = (3600 * hh + 60 * mm + ss) * 30 + ff - 2 * (minutes - minutes // 10)
        out.append((hh * 3600 + mm * 60 + ss + ff / 30, frame))
    return out


def _seconds(label_seconds: float, events: list[tuple[float, int]]) -> float:
    # pycaption reads a drop-frame label as if it were clock time and adds 1/30 s a frame;
    # map its time back to the real frame through the event it falls in.
    start, frame = max((e for e in events if e[0] <= label_seconds + 1e-6), key=lambda e: e[0])
    return (frame + round((label_seconds - start) * 30)) * FRAME


def read_scc_pycaption(scc: str, tags: bool = False) -> tuple[list[Caption], list[str]]:
    """Return the captions pycaption decodes (on at their EOC), and its errors; sound tags
    ("♪") are left out, as `read_cues` leaves them out of WebVTT and SRT (`tags`: only them)."""
    from pycaption import SCCReader

    try:
        decoded = SCCReader().read(scc).get_captions("en-US")
    except Exception as exc:   # pycaption raises on anything it finds wrong
        return [], [f"{type(exc).__name__}: {exc}"]
    events = _event_frames(scc)
    out = []
    for c in decoded:
        lines = tuple(x.strip("\xa0 ") for x in c.get_text().split("\n") if x.strip("\xa0 "))
        end = _seconds(c.end / 1e6, events) if c.end else float("inf")
        if (" ".join(lines) in SOUND_TAGS) == tags:   # tags apart, as read_cues/tag_cues do
            out.append(Caption(_seconds(c.start / 1e6, events), end, lines))
    return out, []


def scc_ffmpeg_errors(scc: str) -> list[str]:
    """Return ffmpeg's warnings and errors decoding `scc` to WebVTT."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.scc"
        path.write_text(scc, encoding="ascii")
        run = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "warning",
                              "-f", "scc", "-i", str(path), "-f", "webvtt", "-"],
                             capture_output=True, text=True, timeout=120)
    found = [line for line in run.stderr.splitlines()
             if line.strip() and not line.startswith("Output file is empty")]
    if run.returncode:
        found.append(f"exit status {run.returncode}")
    return found


# -- figures -----------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    """Return the `q` quantile (0..1) of `values`, linearly interpolated; nan if empty."""
    if not values:
        return float("nan")
    s = sorted(values)
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def word_error_rate(reference: str, hypothesis: str) -> float:
    return word_errors(reference, hypothesis).rate


def _overlap(a: tuple[float, float], spans: list[tuple[float, float]]) -> float:
    return sum(max(0.0, min(a[1], e) - max(a[0], s)) for s, e in spans)


def _union(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def start_offsets(captions: list[Caption], truth: Truth) -> tuple[list[float], int]:
    """Return (caption start - when its first word is spoken) per caption, and how many
    captions had no word matched.

    Each caption is aligned with the truth words within ALIGN_WINDOW seconds of it, with its
    neighbours' words as context so short captions ("Second.") anchor in the right place; a
    global alignment could pair a caption with the wrong pass of a script read several times
    over. The alignment (`_align`) keeps the most words in order and, of the ways to keep as
    many, the one nearest in time: a roll call says "Present." every few seconds, and a
    caption of misheard names and "present" matched as many words against a "Present." ten
    seconds earlier as against its own. If a caption's first words were misheard, it is placed
    as many characters before the caption's first matched word (`_back`).
    """
    tw = truth.words
    times = [t for _, t in tw]
    offsets, unmatched = [], 0
    for k, cap in enumerate(captions):
        context: list[tuple[int, str, float]] = []
        for j in (k - 1, k, k + 1):
            if 0 <= j < len(captions):
                context.extend((j, w, at) for w, at in _spoken(captions[j]))
        mine = [i for i, (j, _, _) in enumerate(context) if j == k]
        if not mine:
            continue
        lo = bisect_left(times, cap.start - ALIGN_WINDOW)
        hi = bisect_right(times, cap.end + ALIGN_WINDOW)
        pairs = _align([(w, at) for _, w, at in context], tw[lo:hi])
        # The caption's first word that matched a truth word (pairs come in caption order).
        first = next(((a - mine[0], lo + b) for a, b in pairs if mine[0] <= a <= mine[-1]),
                     None)
        if first is None:
            unmatched += 1
            continue
        skipped, index = first
        said = [w for j, w, _ in context if j == k][:skipped]
        offsets.append(cap.start - times[_back(tw, index, said)])
    return offsets, unmatched


def _spoken(caption: Caption) -> list[tuple[str, float]]:
    """The caption's normalised words, each with when it would be said if its words were
    spread evenly over the caption's time."""
    words = normalise(caption.text)
    step = (caption.end - caption.start) / max(len(words), 1)
    return [(w, caption.start + i * step) for i, w in enumerate(words)]


def _align(shown: list[tuple[str, float]], said: list[tuple[str, float]]
           ) -> list[tuple[int, int]]:
    """Return the (shown index, said index) pairs of equal words that keep the most words in
    order; of the alignments that keep as many, the one whose pairs are nearest in time
    (the sum of |shown time - said time|)."""
    # Each pair scores WORD less its distance in seconds; WORD outweighs any sum of distances
    # (a caption and its neighbours hold a few hundred words at most, each within a window of
    # 2 * ALIGN_WINDOW plus a caption's length), so the count decides and time breaks ties.
    word = 1e6
    n, m = len(shown), len(said)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        w, at = shown[i - 1]
        row, above = score[i], score[i - 1]
        for j in range(1, m + 1):
            best = max(above[j], row[j - 1])
            if said[j - 1][0] == w:
                best = max(best, above[j - 1] + word - abs(at - said[j - 1][1]))
            row[j] = best
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 and j > 0:
        if score[i][j] == score[i - 1][j]:
            i -= 1
        elif score[i][j] == score[i][j - 1]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return pairs[::-1]


def _back(words: list[tuple[str, float]], index: int, misheard: list[str]) -> int:
    """Return the truth word where a caption starts whose first words, `misheard`, matched
    nothing before the truth word `index`: as many characters back as they take.

    Characters, not words: a misheard word keeps roughly its length but not its count
    ("Anyone who" heard as "and in one who" is three words for one; stepping back three truth
    words would land in the sentence before and count the caption a second late).
    """
    remaining = sum(len(w) + 1 for w in misheard)
    while index > 0 and remaining > (len(words[index - 1][0]) + 1) / 2:
        index -= 1
        remaining -= len(words[index][0]) + 1
    return index


def reading_rate(caption: Caption) -> float:
    """Characters a second: what is read (the characters of the lines; a line break is none)
    over the time shown, that time to the microsecond (caption times are whole milliseconds
    or frames; the float difference of two would put a caption held exactly its reading time
    a hair over the rate, 20.000000000000036 cps)."""
    return sum(map(len, caption.lines)) / max(round(caption.end - caption.start, 6), FRAME)


def figures(captions: list[Caption], truth: Truth) -> dict[str, float]:
    """Return the timing and layout figures of `captions` against `truth`."""
    caps = sorted(captions, key=lambda c: c.start)
    finite = [c for c in caps if c.end != float("inf")]
    cps = [reading_rate(c) for c in finite]
    overlaps = sum(1 for a, b in zip(caps, caps[1:]) if b.start < a.end - 0.001)
    padded = _union([(s - SILENCE_TOLERANCE, e + SILENCE_TOLERANCE) for s, e in truth.spans])
    shown = sum(c.end - c.start for c in finite)
    over_silence = sum((c.end - c.start) - _overlap((c.start, c.end), padded) for c in finite)
    # Excess: time over silence beyond what reading needs (at MAX_CPS, what its characters take
    # beyond the speech it covers, and never less than the shortest time a caption is up,
    # captions.md's "at least ~1 s": a one-word "Seconded." flashed for its letters' 0.45 s
    # could not be read). Reading time is not excess, whatever the speech does.
    excess = sum(caption_excess(c, truth, padded, MIN_DURATION) for c in finite)
    # The letters' reading time alone (the issue's first wording; reported beside it, not
    # gated): what one-word captions held their second add to the figure above.
    excess_letters = sum(caption_excess(c, truth, padded) for c in finite)
    speech = sum(e - s for s, e in truth.spans)
    covered = _overlap_total(truth.spans, _union([(c.start, c.end) for c in finite]))
    offsets, unmatched = start_offsets(caps, truth)
    absolute = [abs(x) for x in offsets]
    return {
        "captions": len(caps),
        "max_line": max((len(x) for c in caps for x in c.lines), default=0),
        "max_lines": max((len(c.lines) for c in caps), default=0),
        "cps_p95": percentile(cps, 0.95),
        "shortest": min((c.end - c.start for c in finite), default=0.0),
        "longest": max((c.end - c.start for c in finite), default=0.0),
        "overlaps": overlaps,
        "offset_median": percentile(absolute, 0.5),
        "offset_p90": percentile(absolute, 0.9),
        "offset_signed": statistics.median(offsets) if offsets else float("nan"),
        "unmatched": unmatched,
        "silence": over_silence / shown if shown else 0.0,
        "excess": excess / shown if shown else 0.0,
        "excess_letters": excess_letters / shown if shown else 0.0,
        "covered": covered / speech if speech else 1.0,
        # Against voiced spans (when the corpus wrote them): the pauses inside sentences are
        # not speech to cover. NaN where the recording has none.
        "covered_voiced": _covered(truth.voiced, finite),
        "shown": shown,
    }


def caption_excess(c: Caption, truth: Truth,
                   padded: list[tuple[float, float]] | None = None,
                   shortest: float = 0.0) -> float:
    """Return the seconds `c` is up over silence beyond what reading it needs.

    Time over silence (outside every utterance widened by SILENCE_TOLERANCE) less what its
    characters take to read at MAX_CPS (at least `shortest` seconds) beyond the speech it
    covers; never below zero.
    """
    if padded is None:
        padded = _union([(s - SILENCE_TOLERANCE, e + SILENCE_TOLERANCE) for s, e in truth.spans])
    over = (c.end - c.start) - _overlap((c.start, c.end), padded)
    reading = (max(sum(map(len, c.lines)) / MAX_CPS, shortest)
               - _overlap((c.start, c.end), truth.spans))
    return max(0.0, over - max(0.0, reading))


def worst_captions(captions: list[Caption], truth: Truth, count: int = 10
                   ) -> list[tuple[float, Caption, list[tuple[float, float]]]]:
    """Return the `count` captions with the most excess: (excess seconds, caption, the
    utterance spans within 2 s of it), worst first."""
    padded = _union([(s - SILENCE_TOLERANCE, e + SILENCE_TOLERANCE) for s, e in truth.spans])
    scored = [(caption_excess(c, truth, padded, MIN_DURATION), c)
              for c in captions if c.end != float("inf")]
    scored.sort(key=lambda x: -x[0])
    return [(x, c, [(s, e) for s, e in truth.spans if e > c.start - 2 and s < c.end + 2])
            for x, c in scored[:count] if x > 0]


def tag_figures(tags: list[Caption], truth: Truth) -> dict[str, float]:
    """Return the sound tags' count, their seconds over speech (any utterance), and their
    seconds away from music (after the music bed's end: a recess, a pause, room noise)."""
    finite = [t for t in tags if t.end != float("inf")]
    return {
        "tags": len(tags),
        "tag_over_speech": sum(_overlap((t.start, t.end), truth.spans) for t in finite),
        "tag_off_music": sum(max(0.0, t.end - max(t.start, truth.music)) for t in finite),
    }


def _covered(voiced: list[tuple[float, float]] | None, captions: list[Caption]) -> float:
    if voiced is None:
        return float("nan")
    total = sum(e - s for s, e in voiced)
    shown = _union([(c.start, c.end) for c in captions])
    return _overlap_total(voiced, shown) / total if total else 1.0


def _overlap_total(spans: list[tuple[float, float]], shown: list[tuple[float, float]]) -> float:
    return sum(_overlap(span, shown) for span in spans)


# -- where the silence and the uncovered speech come from ------------------------------------

NEAR_WORD = 0.75   # seconds: speech this far from every word of the transcript was not heard


def causes(captions: list[Caption], truth: Truth, words: list[tuple[float, float]],
           max_cps: float = 20.0, min_duration: float = 1.0) -> dict[str, float]:
    """Return the caption time over silence and the speech left uncovered, in seconds, by cause.

    `words` are the (start, end) of the transcript's words as the captions time them. Each
    word belongs to the caption its middle falls in. Time over silence (as `figures` counts
    it) is split by where it falls in its caption: before the first word ("silence: before
    the words", the caption shown early), inside a word's own time ("inside word times":
    Whisper stretched the word over silence), between two words of the caption ("between
    words": a caption spans a pause), after the last word while the caption is being read
    ("after the words, reading time": reading rate and minimum duration), and after that
    ("after the words, up until the next": a short gap closed, or the next caption late).
    A caption with no word is "no words". Speech not covered is split by what is next to it:
    no word within NEAR_WORD ("not heard": the model gave no word, or the guards dropped
    it), the end of a caption before it and the start of one after ("between captions"),
    only a caption start after it ("before a caption"), only an end before it ("after a
    caption"), or neither ("near words, no caption").
    """
    caps = sorted((c for c in captions if c.end != float("inf")), key=lambda c: c.start)
    padded = _union([(s - SILENCE_TOLERANCE, e + SILENCE_TOLERANCE) for s, e in truth.spans])
    out = dict.fromkeys(SILENCE_CAUSES + UNCOVERED_CAUSES, 0.0)

    def silent(a: float, b: float) -> float:
        return max(0.0, b - a) - _overlap((a, b), padded) if b > a else 0.0

    middles = sorted(((s + e) / 2, s, e) for s, e in words)
    keys = [m for m, _, _ in middles]
    for cap in caps:
        mine = [(s, e) for _, s, e in middles[bisect_left(keys, cap.start):
                                              bisect_left(keys, cap.end)]]
        if not mine:
            out["no words"] += silent(cap.start, cap.end)
            continue
        first, last = mine[0][0], max(e for _, e in mine)
        out["before the words"] += silent(cap.start, min(first, cap.end))
        t = max(first, cap.start)
        for s, e in mine:
            out["between words"] += silent(t, min(max(s, t), cap.end))
            out["inside word times"] += silent(max(s, t), min(max(e, t), cap.end))
            t = max(t, min(e, cap.end))
        read = max(sum(map(len, cap.lines)) / max_cps, min_duration)
        until = max(min(cap.start + read, cap.end), last)
        out["after the words, reading time"] += silent(max(last, cap.start), until)
        out["after the words, up until the next"] += silent(max(until, cap.start), cap.end)

    shown = _union([(c.start, c.end) for c in caps])
    near = _union([(s - NEAR_WORD, e + NEAR_WORD) for s, e in words])
    starts = {round(a, 6) for a, _ in shown}
    ends = {round(b, 6) for _, b in shown}
    for span in truth.spans:
        for a, b in _gaps(span, shown):
            heard = _overlap((a, b), near)
            out["not heard"] += (b - a) - heard
            after_end, before_start = round(a, 6) in ends, round(b, 6) in starts
            kind = ("between captions" if after_end and before_start else
                    "before a caption" if before_start else
                    "after a caption" if after_end else "near words, no caption")
            out[kind] += heard
    return out


SILENCE_CAUSES = ("before the words", "inside word times", "between words",
                  "after the words, reading time", "after the words, up until the next",
                  "no words")
UNCOVERED_CAUSES = ("not heard", "before a caption", "after a caption", "between captions",
                    "near words, no caption")


def _gaps(span: tuple[float, float], shown: list[tuple[float, float]]
          ) -> list[tuple[float, float]]:
    """The parts of `span` no interval of `shown` (sorted, disjoint) covers."""
    out, t = [], span[0]
    for a, b in shown:
        if b <= t:
            continue
        if a >= span[1]:
            break
        if a > t:
            out.append((t, a))
        t = max(t, b)
    if t < span[1]:
        out.append((t, span[1]))
    return out
