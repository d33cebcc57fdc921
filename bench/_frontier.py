"""The model frontier (`foundation.py --models`): every installed model on both corpus halves,
side by side in one run: WER, CPU seconds per audio minute, real-time factor, peak memory, and
the roll-call loop ("Present." said over and over where the truth says it once a name), and
bare faster-whisper's WER with the same model beside archivist's (issue 18: no worse than bare).

Each recording is captioned with `archivist transcribe --model M` in a fresh process (models
alternated per file, so the machine's load hits them alike); its peak memory is that process's
maximum resident set (wait4). Bare faster-whisper runs in a fresh process too (the pipeline's
options, the same seed; its time is not reported). Results are cached like the other benchmarks'.

Noise: both decodings are seeded, so a figure repeats exactly on the same code; changing the
seed moved tiny.en's WER on 2108 by 0.3 points (README). A file counts as worse than bare from
WORSE_BY: half a point, as the faster-mode search's margin.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _corpus
import caption_metrics as cm

# A model is fit for a station's default if it runs at least this many times faster than real
# time (on the machine measured: 2 cores).
REALTIME = 4.0
# Archivist's WER counts as worse than bare faster-whisper's on a file from this many points.
WORSE_BY = 0.005


def run(media: Path, env: dict[str, str], model: str, fresh: bool) -> tuple[Path, dict]:
    """Caption `media` with `model`; (its caption folder, {seconds, cpu, peak_mb, cached})."""
    out = _corpus.CACHE / "frontier" / _corpus.settings_key(env, model) / media.stem

    def measure() -> dict:
        # A data dir of its own (a fresh database: one left by an older schema is refused),
        # sharing the joined or downloaded models.
        shared = Path(env["ARCHIVIST_DATA_DIR"]) / "models"
        shared.mkdir(parents=True, exist_ok=True)
        own = Path(tempfile.mkdtemp(dir=env["ARCHIVIST_DATA_DIR"]))
        (own / "models").symlink_to(shared)
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "archivist.entrypoints.cli", "transcribe",
                                  str(media), "--out", str(out), "--force", "--formats",
                                  "vtt,json", "--model", model],
                                 env={**env, "ARCHIVIST_DATA_DIR": str(own)},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(child.pid, 0)
        err = child.stderr.read().decode(errors="replace") if child.stderr else ""
        if status != 0:
            raise RuntimeError(f"{media.name} with {model}: {err.strip()[-300:]}")
        return {"seconds": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
                "peak_mb": usage.ru_maxrss / 1024}

    return out, _corpus.stored(out / "timing.json", fresh, measure)


_LOOP = re.compile(r'collapsed a phrase repeated (\d+) times at ([0-9:]+)(?:–([0-9:]+))?: "([^"]*)"')


def roll_call_loop(out: Path, media: Path) -> tuple[int, str, str]:
    """The longest "Present." loop the guards collapsed (the model saying it over and over
    where the truth says it once a name, between names), from the transcript's notes, as
    (times, from, to); (0, "", "") if none."""
    data = json.loads((out / f"{media.stem}.json").read_text(encoding="utf-8"))
    found = [(int(m[1]), m[2], m[3] or "?") for note in data.get("notes", [])
             if (m := _LOOP.search(note)) and "present" in m[4].lower()]
    return max(found, default=(0, "", ""))


def frontier(env: dict[str, str], names: list[str], until: float | None, fresh: bool) -> dict:
    """Measure every model on both halves (shortest first) until the clock says `until`
    (a Unix time; None: everything). Prints each file as it goes and the table at the end;
    returns {model: {split: totals}}."""
    print(f"\n== model frontier: {', '.join(names)} on both corpus halves "
          f"(archivist transcribe, fresh process each; load at start: {_load()})")
    totals: dict[str, dict[str, dict]] = {n: {} for n in names}
    skipped = []
    # Both halves shortest first, so a run cut short by `until` still has figures for each.
    files = sorted(((_corpus.duration(m), split, m) for split in ("dev", "held")
                    for m in _corpus.recordings(split)), key=lambda f: f[0])
    for _seconds, split, media in files:
        measured = all((_corpus.CACHE / "frontier" / _corpus.settings_key(env, name) / media.stem
                        / "timing.json").exists() for name in names)
        if until is not None and time.time() > until and (fresh or not measured):
            skipped.append(media.name[:4])
            continue
        truth = cm.load_truth(media)
        minutes = _corpus.duration(media) / 60
        for name in names:
            out, timing = run(media, env, name, fresh)
            text = " ".join(c.text for c in cm.read_cues(
                (out / f"{media.stem}.vtt").read_text("utf-8")))
            wer = cm.word_error_rate(truth.text, text)
            bare_wer = cm.word_error_rate(truth.text, _corpus.bare(media, env, name, fresh)["text"])
            words = len(cm.normalise(truth.text))
            loop = roll_call_loop(out, media)
            t = totals[name].setdefault(split, {"files": 0, "minutes": 0.0, "errors": 0.0,
                                                "words": 0, "cpu": 0.0, "seconds": 0.0,
                                                "peak_mb": 0.0, "loops": [],
                                                "bare_errors": 0.0, "worse": []})
            t["files"] += 1
            t["minutes"] += minutes
            t["errors"] += wer * words
            t["words"] += words
            t["bare_errors"] += bare_wer * words
            if wer > bare_wer + WORSE_BY:
                t["worse"].append(f"{media.name[:4]} {100 * (wer - bare_wer):+.1f}")
            t["cpu"] += timing["cpu"]
            t["seconds"] += timing["seconds"]
            t["peak_mb"] = max(t["peak_mb"], timing.get("peak_mb", 0.0))
            if loop[0]:
                t["loops"].append(f"{media.name[:4]} {loop[0]}x {loop[1]}-{loop[2]}")
            print(f"  {split:<5} {media.name[:30]:<31}{minutes:5.1f} min  {name:<10} "
                  f"WER {100 * wer:5.1f}% (bare {100 * bare_wer:5.1f}%)  CPU {timing['cpu'] / minutes:5.1f} s/min  "
                  f"{60 * minutes / timing['seconds']:5.1f}x real time  "
                  f"peak {timing.get('peak_mb', 0):5.0f} MB"
                  + (f"  loop {loop[0]}x at {loop[1]}-{loop[2]}" if loop[0] else "")
                  + ("  (cached)" if timing["cached"] else ""), flush=True)
    print(f"\n{'model':<12}{'half':<6}{'files':>6}{'min':>7}{'WER':>8}{'bare':>8}"
          f"{'CPU s/audio min':>17}{'x real time':>13}{'peak MB':>9}  worse than bare by "
          f">{100 * WORSE_BY:.1f} pt; roll-call loops")
    for name in names:
        for split, t in totals[name].items():
            print(f"{name:<12}{split:<6}{t['files']:>6}{t['minutes']:>7.1f}"
                  f"{100 * t['errors'] / max(t['words'], 1):>7.1f}%"
                  f"{100 * t['bare_errors'] / max(t['words'], 1):>7.1f}%"
                  f"{t['cpu'] / t['minutes']:>17.1f}{60 * t['minutes'] / t['seconds']:>13.1f}"
                  f"{t['peak_mb']:>9.0f}  {', '.join(t['worse']) or 'none'}; "
                  f"{'; '.join(t['loops']) or 'none'}")
    if skipped:
        print(f"not measured (time ran out): {', '.join(skipped)}")
    print(f"load at end: {_load()}")
    return totals


def recommend(totals: dict) -> str | None:
    """The most accurate model (held half, else dev) that runs >= REALTIME x real time on 2
    cores, judged from CPU time (what `archivist models` does: wall time on a busy machine
    says more about the others' load)."""
    fit = []
    for name, by_split in totals.items():
        t = by_split.get("held") or by_split.get("dev")
        if t and 60 * 2 * t["minutes"] / t["cpu"] >= REALTIME:
            fit.append((t["errors"] / max(t["words"], 1), name))
    return min(fit)[1] if fit else None


def save_costs(totals: dict, costs_file: Path) -> None:
    """Keep the figures where `archivist models` reads them."""
    try:
        costs = json.loads(costs_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        costs = {}
    for name, by_split in totals.items():
        if not by_split:
            continue
        minutes = sum(t["minutes"] for t in by_split.values())
        row = {"cpu_s_per_audio_min": round(sum(t["cpu"] for t in by_split.values()) / minutes, 2),
               "realtime": round(60 * minutes / sum(t["seconds"] for t in by_split.values()), 1),
               "peak_mb": round(max(t["peak_mb"] for t in by_split.values())),
               "measured": time.strftime("%Y-%m-%d"), "source": "bench/foundation.py --models"}
        for split, t in by_split.items():
            row[f"wer_{split}"] = round(t["errors"] / max(t["words"], 1), 4)
        costs[name] = {**costs.get(name, {}), **row}
    costs_file.parent.mkdir(parents=True, exist_ok=True)
    costs_file.write_text(json.dumps(costs, indent=2) + "\n", encoding="utf-8")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores"
