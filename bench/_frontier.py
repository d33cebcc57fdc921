"""The model frontier (`foundation.py --models`): every installed model on both corpus halves,
side by side in one run: WER, CPU seconds per audio minute, real-time factor, peak memory, and
the roll-call loop ("Present." said over and over where the truth says it once a name), and
bare faster-whisper's WER with the same model beside archivist's (issue 18: no worse than bare).

Each recording is captioned with `archivist transcribe --model M` in a fresh process (models
alternated per file, so the machine's load hits them alike); its peak memory is that process's
maximum resident set (wait4). Bare faster-whisper runs in a fresh process too (the pipeline's
options, the same seed; its time is not reported). Results are cached like the other benchmarks'
(keyed by the code, the settings, the thread setting and the file).

Bare's spread, and the verdict. Both decodings are seeded, so a run repeats exactly; but on a
given build the last float32 bit of the spectrogram follows how OpenBLAS splits the Mel
filters' multiply (by the matrix's width and by its threads; archivist multiplies 30-s blocks,
bare the whole speech), and the model decodes some windows differently on that bit: bare
faster-whisper itself moved by 7.3 WER points on dev 2101 between 1 and 2 BLAS threads. So one
bare run is one draw, and "no worse than bare" is judged against bare at 1 and at 2 threads
(`--bare-threads`), each in a fresh process whose OPENBLAS_NUM_THREADS, OMP_NUM_THREADS (which
CTranslate2 follows while whisper.cpu_threads is 0, the default) and MKL_NUM_THREADS are set
before it starts (bare reports the thread count OpenBLAS itself says it uses); archivist runs at
its default, all cores (`--ours-threads`, e.g. `default,1`, adds settings):
  * per file: "no worse" when archivist's worse run is at most bare's worse run ("below" when
    it is under bare's better run, "inside" between the two, "WORSE +x" above the worse);
  * per half (the verdict that counts): archivist's pooled WER (errors over words of every file
    measured; the mean over its settings) at most the mean of bare's pooled WERs: "no worse".
    Above that mean but within bare's worse pooled run it is "inside bare's spread" (not shown
    worse, not shown no worse); above bare's worse pooled run, "WORSE". Were ours only another
    draw of bare's, it would pass the per-file test on about two files in three and the pooled
    one about half the time, so a file "inside" proves little and the pooled line is the claim.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import _corpus
import caption_metrics as cm

# A model is fit for a station's default if it runs at least this many times faster than real
# time (on the machine measured: 2 cores).
REALTIME = 4.0
# The thread settings bare faster-whisper and archivist run at (None: each library's default,
# all cores): see the module's docstring.
BARE_THREADS: tuple[int | None, ...] = (1, 2)
OURS_THREADS: tuple[int | None, ...] = (None,)


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
        # The job's time limit (at least 900 s) guards a station against a stuck job; it is no
        # decoding setting. On a machine loaded by others a 3-minute recording took longer
        # (2026-12-06, load average 40), so the bench lifts it (the words are the same either
        # way, so the cache key leaves it out).
        overlay = own / "no-time-limit.yml"
        overlay.write_text("worker:\n  min_time_limit: 86400\n", encoding="utf-8")
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "archivist.entrypoints.cli", "transcribe",
                                  str(media), "--out", str(out), "--force", "--formats",
                                  "vtt,json", "--model", model],
                                 env={**env, "ARCHIVIST_DATA_DIR": str(own),
                                      "ARCHIVIST_CONFIG": str(overlay)},
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


def label(threads: int | None) -> str:
    """A thread setting as the tables name it."""
    return f"{threads} thr" if threads else "default"


def verdict(ours: list[float], bare: list[float]) -> str:
    """One file's verdict: ours' worse run against bare's range (see the module's docstring)."""
    if max(ours) > max(bare) + 1e-9:
        return f"WORSE {100 * (max(ours) - max(bare)):+.1f}"
    return "below" if max(ours) < min(bare) - 1e-9 else "inside"


def frontier(env: dict[str, str], names: list[str], until: float | None, fresh: bool,
             bare_threads: tuple[int | None, ...] = BARE_THREADS,
             ours_threads: tuple[int | None, ...] = OURS_THREADS) -> dict:
    """Measure every model on both halves (shortest first) until the clock says `until`
    (a Unix time; None: everything): archivist at each of `ours_threads`, bare faster-whisper
    at each of `bare_threads` (None: the libraries' defaults). Prints each file as it goes and
    the tables at the end; returns {model: {split: totals}}."""
    print(f"\n== model frontier: {', '.join(names)} on both corpus halves "
          f"(archivist transcribe at {', '.join(map(label, ours_threads))}; bare faster-whisper "
          f"at {', '.join(map(label, bare_threads))}; a fresh process each; "
          f"load at start: {_load()})")
    totals: dict[str, dict[str, dict]] = {n: {} for n in names}
    rows: list[tuple[str, str, str, list[float], list[float]]] = []
    skipped = []
    for split, media in _shortest_first():
        measured = all((_corpus.CACHE / "frontier"
                        / _corpus.settings_key(_corpus.with_threads(env, t), name) / media.stem
                        / "timing.json").exists() for name in names for t in ours_threads) \
            and all(_corpus.bare_path(media, _corpus.with_threads(env, t), name).exists()
                    for name in names for t in bare_threads)
        if until is not None and time.time() > until and (fresh or not measured):
            skipped.append(media.name[:4])
            continue
        truth = cm.load_truth(media)
        words = len(cm.normalise(truth.text))
        minutes = _corpus.duration(media) / 60
        for name in names:
            ours, timing, loop = [], {}, (0, "", "")
            for i, threads in enumerate(ours_threads):
                out, t_run = run(media, _corpus.with_threads(env, threads), name, fresh)
                text = " ".join(c.text for c in cm.read_cues(
                    (out / f"{media.stem}.vtt").read_text("utf-8")))
                ours.append(cm.word_error_rate(truth.text, text))
                if i == 0:   # the costs and the loops are the first setting's
                    timing, loop = t_run, roll_call_loop(out, media)
            bare = [cm.word_error_rate(truth.text, _corpus.bare(
                        media, _corpus.with_threads(env, threads), name, fresh)["text"])
                    for threads in bare_threads]
            rows.append((split, media.name[:4], name, ours, bare))
            t = totals[name].setdefault(split, {
                "files": 0, "minutes": 0.0, "words": 0, "cpu": 0.0, "seconds": 0.0,
                "peak_mb": 0.0, "loops": [], "worse": [],
                "ours_errors": [0.0] * len(ours_threads), "bare_errors": [0.0] * len(bare_threads)})
            t["files"] += 1
            t["minutes"] += minutes
            t["words"] += words
            t["ours_errors"] = [e + w * words for e, w in zip(t["ours_errors"], ours)]
            t["bare_errors"] = [e + w * words for e, w in zip(t["bare_errors"], bare)]
            # The mean over archivist's settings: what the frontier and `archivist models` show.
            t["errors"] = sum(t["ours_errors"]) / len(ours_threads)
            judged = verdict(ours, bare)
            if judged.startswith("WORSE"):
                t["worse"].append(f"{media.name[:4]} {judged[6:]}")
            t["cpu"] += timing["cpu"]
            t["seconds"] += timing["seconds"]
            t["peak_mb"] = max(t["peak_mb"], timing.get("peak_mb", 0.0))
            if loop[0]:
                t["loops"].append(f"{media.name[:4]} {loop[0]}x {loop[1]}-{loop[2]}")
            print(f"  {split:<5} {media.name[:30]:<31}{minutes:5.1f} min  {name:<8} WER ours "
                  + "/".join(f"{100 * w:.1f}" for w in ours) + " %, bare "
                  + "/".join(f"{100 * w:.1f}" for w in bare) + f" %: {judged}  "
                  f"CPU {timing['cpu'] / minutes:5.1f} s/min  "
                  f"{60 * minutes / timing['seconds']:5.1f}x real time  "
                  f"peak {timing.get('peak_mb', 0):5.0f} MB"
                  + (f"  loop {loop[0]}x at {loop[1]}-{loop[2]}" if loop[0] else "")
                  + ("  (cached)" if timing["cached"] else ""), flush=True)
    print_verdicts(rows, totals, bare_threads, ours_threads)
    print(f"\n{'model':<12}{'half':<6}{'files':>6}{'min':>7}{'WER':>8}"
          f"{'CPU s/audio min':>17}{'x real time':>13}{'peak MB':>9}  roll-call loops")
    for name in names:
        for split, t in totals[name].items():
            print(f"{name:<12}{split:<6}{t['files']:>6}{t['minutes']:>7.1f}"
                  f"{100 * t['errors'] / max(t['words'], 1):>7.1f}%"
                  f"{t['cpu'] / t['minutes']:>17.1f}{60 * t['minutes'] / t['seconds']:>13.1f}"
                  f"{t['peak_mb']:>9.0f}  {'; '.join(t['loops']) or 'none'}")
    if skipped:
        print(f"not measured (time ran out): {', '.join(skipped)}")
    print(f"load at end: {_load()}")
    return totals


def _shortest_first() -> Iterator[tuple[str, Path]]:
    """Both halves' recordings, shortest first, so a run cut short by `until` still has figures
    for each; listed again after each one, so recordings the corpus adds meanwhile are taken."""
    done: set[Path] = set()
    while True:
        waiting = sorted(((_corpus.duration(m), split, m) for split in ("dev", "held")
                          for m in _corpus.recordings(split) if m not in done),
                         key=lambda f: f[0])
        if not waiting:
            return
        _seconds, split, media = waiting[0]
        done.add(media)
        yield split, media


def print_verdicts(rows: list, totals: dict, bare_threads: tuple, ours_threads: tuple) -> None:
    """The per-file table (ours, bare's runs, bare's range, verdict) and the pooled verdict per
    model and half."""
    ours_names, bare_names = "/".join(map(label, ours_threads)), "/".join(map(label, bare_threads))
    print(f"\nWER against bare faster-whisper's spread (ours at {ours_names}; bare at "
          f"{bare_names}); per file: ours' worse run against bare's worse run")
    print(f"{'half':<6}{'file':<6}{'model':<9}{'ours %':>14}{'bare %':>14}{'bare range':>13}"
          "  verdict")
    for split, file, name, ours, bare in rows:
        print(f"{split:<6}{file:<6}{name:<9}{'/'.join(f'{100 * w:.1f}' for w in ours):>14}"
              f"{'/'.join(f'{100 * w:.1f}' for w in bare):>14}"
              f"{100 * (max(bare) - min(bare)):>12.1f}p  {verdict(ours, bare)}")
    print("\npooled per half (errors over words of the files measured): ours' mean over its "
          "settings against the mean of bare's pooled runs")
    print(f"{'model':<9}{'half':<6}{'files':>6}{'ours %':>14}{'mean':>7}{'bare %':>14}"
          f"{'mean':>7}  pooled verdict; files worse than bare's worse run")
    for name, by_split in totals.items():
        for split, t in by_split.items():
            ours = [e / max(t["words"], 1) for e in t["ours_errors"]]
            bare = [e / max(t["words"], 1) for e in t["bare_errors"]]
            mean_ours, mean_bare = sum(ours) / len(ours), sum(bare) / len(bare)
            t["bare_mean"] = mean_bare
            if mean_ours <= mean_bare + 1e-9:
                pooled = "no worse" + (" (below bare's better run too)" if mean_ours < min(bare)
                                       else "")
            elif mean_ours <= max(bare) + 1e-9:
                pooled = f"inside bare's spread ({100 * (mean_ours - mean_bare):+.1f} over its mean)"
            else:
                pooled = f"WORSE ({100 * (mean_ours - max(bare)):+.1f} over bare's worse run)"
            print(f"{name:<9}{split:<6}{t['files']:>6}"
                  f"{'/'.join(f'{100 * w:.1f}' for w in ours):>14}{100 * mean_ours:>7.1f}"
                  f"{'/'.join(f'{100 * w:.1f}' for w in bare):>14}{100 * mean_bare:>7.1f}  "
                  f"{pooled}; {', '.join(t['worse']) or 'none'}")


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


def save_costs(totals: dict, data_dir: str) -> None:
    """Keep the figures where `archivist models` (and `whisper.model: auto`) reads them."""
    from archivist.adapters.whisper import models

    costs: dict = models.read_costs(data_dir)
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
    models.write_costs(data_dir, costs)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores"
