"""Caption-quality report: the captions users get, measured against the corpus ground truth.

For each recording of the corpus (scripts/make-corpus), the held-back half first, then the dev
half, then ../shared/corpus when present, runs `archivist transcribe FILE --out DIR --force` in
a fresh process (temporary ARCHIVIST_DATA_DIR) and a bare faster-whisper call with the same model
and options (`FasterWhisperTranscriber(...).options()`), then prints per format (scc, vtt, srt):
  * word error rate of the caption text against `.txt`, beside the bare model's (normaliser:
    see caption_metrics);
  * longest line, most lines in a caption, 95th-percentile reading rate, overlapping captions;
  * |caption start - first word spoken|, median and 90th percentile (truth words are timed by
    interpolating inside their utterance by character position);
  * share of caption time over silence (outside every utterance widened by 0.25 s; reported,
    not gated), its excess (the part beyond what each caption needs for reading, beyond the
    speech it covers: its characters at 20 cps, and never under the 1 s a caption is up at
    least (captions.md); target under 1 %; the letters' time alone is reported beside it), and share
    of speech time covered by some caption;
  * music tags ("[MUSIC]", "♪"): how many, their seconds over speech (any utterance) and away
    from the music bed (a recess or a pause: after the bed's end); both must be 0;
  * SCC: errors from pycaption's SCCReader and from `ffmpeg -f scc`; SCC timing figures use
    pycaption's decoded times (a caption appears at its End Of Caption);
  * punctuation health: punctuation marks and capitals per 100 words of the captions in each
    sixth of the recording, and the lowest sixth as a share of the first
    (archivist.domain.punctuation; below 0.5 counts as collapsed), beside bare faster-whisper's.
Then, per half, one line per target of the issue: PASS/FAIL, the worst figure and its margin
(how far inside the limit the worst file and format stay). Exit status 1 if any target fails.

Captions and bare transcripts are cached under ~/.cache/archivist/bench (keyed by the archivist
code, the settings and the model), so scoring again is free; `--fresh` runs them again.

`--render-from KEY` (repeatable) does not run the model: it takes the `.json` transcripts an
earlier run cached under captions/KEY (the key each run prints: "captions in .../KEY") and
renders the caption files again with the code as it is now, the way `archivist render
TRANSCRIPT.json --out DIR` does (the guards run again on the transcript, which `transcribe`
wrote already cleaned; they change nothing the second time), then scores them beside that
run's bare faster-whisper text. A caption-timing or layout change is then measured in seconds,
not in minutes of model time per file. For each recording the first KEY that has its
transcript is used; the renders are cached under rendered/<code now>/<KEY>.

`--causes` says, under each table, where the caption time over silence falls (before a
caption's first word, inside Whisper's word times, between the words of a caption, in its
reading time after the last word, or held until the next) and what the uncovered speech is
next to (no word of the transcript near it: not heard or dropped; before a caption's start;
after a caption's end; between two captions): see caption_metrics.causes; then the captions
with the most excess (SCC and WebVTT), each with its times and the utterances near it.

Usage: .venv/bin/python bench/caption_quality.py [--split held|dev|extra ...] [--media FILE ...]
       [--model M] [--fresh] [--render-from KEY ...] [--causes]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _corpus
import caption_metrics as cm

from archivist.domain import punctuation, transcript_json
from archivist.domain.captions import guards, segmentation

FORMATS = ("scc", "vtt", "srt")


def measure(media: Path, out: Path, truth: cm.Truth, bare_text: str | None) -> dict[str, dict]:
    """Return the figures of each format written for `media` into `out` (`bare_text` None:
    bare faster-whisper was not run)."""
    rows: dict[str, dict] = {}
    bare_wer = (cm.word_error_rate(truth.text, bare_text) if bare_text is not None
                else float("nan"))
    words = word_times(out / f"{media.stem}.json")
    for fmt in FORMATS:
        text = (out / f"{media.stem}.{fmt}").read_text(encoding="utf-8")
        errors: list[str] = []
        if fmt == "scc":
            caps, errors = cm.read_scc_pycaption(text)
            tags, _ = cm.read_scc_pycaption(text, tags=True)
            ffmpeg = cm.scc_ffmpeg_errors(text)
            decode = (len(errors), len(ffmpeg))
            errors += ffmpeg
        else:
            caps, decode, tags = cm.read_cues(text), None, cm.tag_cues(text)
        row = cm.figures(caps, truth)
        row.update(cm.tag_figures(tags, truth))
        row.update(wer=cm.word_error_rate(truth.text, " ".join(c.text for c in caps)),
                   bare_wer=bare_wer, decode=decode, errors=errors,
                   causes=cm.causes(caps, truth, words) if words is not None else None,
                   worst=cm.worst_captions(caps, truth))
        rows[fmt] = row
    return rows


def word_times(transcript: Path) -> list[tuple[float, float]] | None:
    """(start, end) of each word of the transcript written beside the captions, as the
    captions time them (after the guards and the word-time corrections); None if absent."""
    if not transcript.exists():
        return None
    clean = guards.clean(transcript_json.loads(transcript.read_text(encoding="utf-8")))
    return [(t.start, t.end) for t in segmentation.tokens(clean, 10**6)]


def print_causes(rows: dict[str, dict], speech: float) -> None:
    """Where the caption time over silence and the uncovered speech come from, per format."""
    if any(rows[f]["causes"] is None for f in FORMATS):
        return
    print("caption time over silence, by where it falls (% of caption time):")
    for cause in cm.SILENCE_CAUSES:
        print(f"  {cause:<36}" + "".join(
            f"{100 * rows[f]['causes'][cause] / max(rows[f]['shown'], 1e-9):8.2f}%"
            for f in FORMATS))
    print("speech not covered, by what is next to it (% of speech):")
    for cause in cm.UNCOVERED_CAUSES:
        print(f"  {cause:<36}" + "".join(
            f"{100 * rows[f]['causes'][cause] / speech:8.2f}%" for f in FORMATS))
    for fmt in ("scc", "vtt"):
        print(f"captions with the most excess ({fmt}): seconds, shown, text; utterances near it")
        for excess, cap, near in rows[fmt]["worst"]:
            print(f"  {excess:5.2f} s  {cap.start:8.2f}-{cap.end:8.2f}  {cap.text[:50]!r}  "
                  + " ".join(f"[{s:.2f}-{e:.2f}]" for s, e in near))


def rerender(media: Path, env: dict[str, str], runs: list[str],
             fresh: bool = False) -> tuple[Path, dict, dict] | None:
    """Caption `media` again, without the model, from the transcript an earlier run cached.

    `runs` are cache keys of earlier runs (directories under captions/); the first that holds
    `media`'s `.json` transcript is rendered with the code as it is now, as `archivist render
    TRANSCRIPT.json --out DIR` does. Returns (the folder of the caption files, that run's
    {"seconds", "cpu"} of transcribing, that run's bare faster-whisper {"text", ...}), or None
    when no run has the transcript.
    """
    for run in runs:
        transcript = _corpus.CACHE / "captions" / run / media.stem / f"{media.stem}.json"
        if transcript.exists():
            break
    else:
        return None
    out = _corpus.CACHE / "rendered" / _corpus.code_version() / run / media.stem

    def render() -> dict:
        started, cpu = time.perf_counter(), _corpus.child_cpu()
        subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", "render",
                        str(transcript), "--out", str(out), "--formats", "scc,srt,vtt,txt,json"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        return {"seconds": time.perf_counter() - started, "cpu": _corpus.child_cpu() - cpu}

    _corpus.stored(out / "render.json", fresh, render)
    timing = json.loads((transcript.parent / "timing.json").read_text())
    bare_file = _corpus.CACHE / "bare" / run / f"{media.stem}.json"
    if not bare_file.exists():
        print(f"{media.name}: no bare faster-whisper text cached under {run}", file=sys.stderr)
    said = json.loads(bare_file.read_text()) if bare_file.exists() else {"text": None}
    return out, timing, said


def _f(value: float, spec: str) -> str:
    return "n/a" if isinstance(value, float) and math.isnan(value) else format(value, spec)


# (label, how to show a row's value, the target's text)
TABLE = [
    ("word error rate", lambda r: _f(100 * r["wer"], ".1f") + "%", "<= bare"),
    ("  bare faster-whisper", lambda r: _f(100 * r["bare_wer"], ".1f") + "%", ""),
    ("decode errors pycaption/ffmpeg",
     lambda r: "{}/{}".format(*r["decode"]) if r["decode"] else "-", "0/0"),
    ("captions", lambda r: str(r["captions"]), ""),
    ("longest line (chars)", lambda r: str(r["max_line"]), "<= 32"),
    ("most lines in a caption", lambda r: str(r["max_lines"]), "<= 2"),
    ("overlapping captions", lambda r: str(r["overlaps"]), "0"),
    ("reading rate p95 (cps)", lambda r: _f(r["cps_p95"], ".1f"), "<= 20"),
    ("shortest / longest caption (s)",
     lambda r: _f(r["shortest"], ".1f") + "/" + _f(r["longest"], ".1f"), "1 to 7"),
    ("|start offset| median (s)", lambda r: _f(r["offset_median"], ".2f"), "<= 0.3"),
    ("|start offset| p90 (s)", lambda r: _f(r["offset_p90"], ".2f"), "<= 0.8"),
    ("  signed median (+ = late)", lambda r: _f(r["offset_signed"], "+.2f"), ""),
    ("  captions not aligned", lambda r: str(r["unmatched"]), ""),
    ("caption time over silence", lambda r: _f(100 * r["silence"], ".1f") + "%", "reported"),
    # Reading time: the letters at 20 cps, at least the 1 s a caption is up (captions.md).
    ("  excess (beyond reading)", lambda r: _f(100 * r["excess"], ".2f") + "%", "< 1%"),
    ("  excess, letters only", lambda r: _f(100 * r["excess_letters"], ".2f") + "%",
     "reported"),
    ("speech covered", lambda r: _f(100 * r["covered"], ".1f") + "%", "reported"),
    ("  against voiced spans", lambda r: _f(100 * r["covered_voiced"], ".1f") + "%", ">= 96%"),
    ("music tags", lambda r: str(r["tags"]), ""),
    ("  over speech / off music (s)",
     lambda r: f"{r['tag_over_speech']:.1f}/{r['tag_off_music']:.1f}", "0/0"),
]

# (target, a row's figure, limit, "max" if the figure must stay at or under the limit or "min"
#  if at or over it, formats it applies to). The margin is how far inside the limit the worst
#  file and format stay.
TARGETS = [
    ("SCC decodes with zero errors (pycaption, ffmpeg)",
     lambda r: sum(r["decode"]), 0, "max", ("scc",)),
    ("no line over 32 characters", lambda r: r["max_line"], 32, "max", FORMATS),
    ("at most 2 lines a caption", lambda r: r["max_lines"], 2, "max", FORMATS),
    ("no overlapping captions", lambda r: r["overlaps"], 0, "max", FORMATS),
    ("95th-percentile reading rate <= 20 cps", lambda r: r["cps_p95"], 20.0, "max", FORMATS),
    ("caption-start offset: median <= 0.3 s", lambda r: r["offset_median"], 0.3, "max", FORMATS),
    ("caption-start offset: 90th percentile <= 0.8 s",
     lambda r: r["offset_p90"], 0.8, "max", FORMATS),
    ("under 1% of caption time over silence beyond reading time (excess)",
     lambda r: 100 * r["excess"], 1.0, "max", FORMATS),
    ("at least 96% of voiced speech covered (files with voiced spans)",
     lambda r: 100 * r["covered_voiced"], 96.0, "min", FORMATS),
    ("no music tag over speech (seconds)", lambda r: r["tag_over_speech"], 0.0, "max", FORMATS),
    ("no music tag away from music: recess, pause (seconds)",
     lambda r: r["tag_off_music"], 0.0, "max", FORMATS),
    ("word error rate no worse than bare (points over bare)",
     lambda r: 100 * (r["wer"] - r["bare_wer"]), 0.0, "max", FORMATS),
    ("punctuation steady: every sixth >= 0.6 of the script's *",
     lambda r: r["punctuation_kept"], 0.6, "min", ("vtt",)),
]


def kept(said: punctuation.PunctuationHealth, shown: punctuation.PunctuationHealth) -> float:
    """The lowest sixth's density as a share of the first, each measured against the truth's.

    The raw share compares unlike text: a meeting opens with a roll call ("Council member
    Lopez. Present.") dense in capitals and full stops, so even the truth's later sixths fall
    to half of its first. Dividing each sixth by the truth's own density leaves what the
    captions lost.
    """
    pairs = list(zip(shown.parts, said.parts))
    if len(shown.parts) != len(said.parts) or len(pairs) < 2:
        return shown.worst_share
    ratios = [s.per_100 / t.per_100 if t.per_100 else 1.0 for s, t in pairs]
    return min(r / ratios[0] for r in ratios[1:]) if ratios[0] else 1.0


def print_table(media: Path, truth: cm.Truth, rows: dict[str, dict], seconds: float,
                bare_health: punctuation.PunctuationHealth, causes: bool = False) -> None:
    speech = sum(e - s for s, e in truth.spans)
    print(f"\n== {media.name}  ({len(truth.spans)} utterances, {speech:.0f} s of speech; "
          f"archivist transcribe {seconds:.1f} s)")
    print(f"{'':<32}" + "".join(f"{f:>9}" for f in FORMATS) + f"{'target':>10}")
    for label, show, target in TABLE:
        print(f"{label:<32}" + "".join(f"{show(rows[f]):>9}" for f in FORMATS) + f"{target:>10}")
    for fmt in FORMATS:
        for error in rows[fmt]["errors"][:5]:
            print(f"  {fmt} decode: {error}")
    if causes:
        print_causes(rows, speech)
    said = rows["vtt"]["said"]
    print("punctuation: marks + capitals per 100 words, by sixth; lowest sixth / first, raw and "
          "against the truth's")
    for who, health in (("truth", said), ("captions (vtt)", rows["vtt"]["punctuation"]),
                        ("bare faster-whisper", bare_health)):
        print(f"  {who:<20}" + " ".join(f"{p.per_100:5.1f}" for p in health.parts)
              + f"   {health.worst_share:.2f}"
              + ("" if health is said else f"  {kept(said, health):.2f}"))


def words_of(text: str) -> list[str]:
    return text.split()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", action="append", choices=_corpus.SPLITS,
                        help="which part of the corpus (default: held, dev, extra)")
    parser.add_argument("--media", type=Path, action="append", help="these files instead")
    parser.add_argument("--model", help="Whisper model for both (default: the configured one)")
    parser.add_argument("--fresh", action="store_true", help="transcribe again, ignore the cache")
    parser.add_argument("--causes", action="store_true",
                        help="also say where the caption time over silence and the uncovered "
                             "speech come from")
    parser.add_argument("--render-from", metavar="KEY", action="append",
                        help="no model: render the transcripts cached by the run KEY with the "
                             "code as it is now (repeatable; the first KEY that has a file wins)")
    parser.add_argument("--no-bare", action="store_true",
                        help="do not run bare faster-whisper (its WER column is then n/a): "
                             "half the model time, for timing figures alone")
    args = parser.parse_args()
    if args.media:
        sets: dict[str, list[Path]] = {}
        for media in args.media:
            sets.setdefault(_corpus.split_of(media), []).append(media)
    else:
        sets = {s: _corpus.recordings(s) for s in (args.split or _corpus.SPLITS)}
        if not any(sets.values()):
            print(f"no corpus at {_corpus.CORPUS}: run scripts/make-corpus", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="archivist-quality-") as data:
        return report(sets, Path(data), args.model, args.fresh, args.render_from or [],
                      args.causes, args.no_bare)


def report(sets: dict[str, list[Path]], data: Path, model: str | None, fresh: bool,
           render_from: list[str] | None = None, causes: bool = False,
           no_bare: bool = False) -> int:
    """Caption and measure each file, print the tables and targets per set; 1 if any fails.

    With `render_from` (run keys) the captions are rendered again from those runs' cached
    transcripts with the code as it is now, and scored beside those runs' bare text.
    """
    # A fresh database and no local settings (ARCHIVIST_*), as a new installation has.
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIST_")}
    env["ARCHIVIST_DATA_DIR"] = str(data)
    if render_from:
        print(f"archivist code {_corpus.code_version()}; captions rendered again from the "
              f"transcripts of run(s) {', '.join(render_from)} (no model)")
    else:
        print(f"archivist code {_corpus.code_version()}; model {model or 'configured'}; "
              f"captions in {_corpus.CACHE / 'captions' / _corpus.settings_key(env, model)}")
    print(f"silence tolerance {cm.SILENCE_TOLERANCE} s either side of each utterance; truth words "
          "timed by character position inside their utterance")
    print("WER normaliser: lowercase; % -> percent; $ and thousands commas dropped; hyphens "
          "split; other punctuation removed; spelled-out numbers left as words")

    failed = 0
    for name, media_files in sets.items():
        if not media_files:
            continue
        print(f"\n######## {name}: {len(media_files)} recordings, "
              f"{sum(_corpus.duration(m) for m in media_files) / 60:.0f} min")
        results: dict[str, dict[str, dict]] = {}
        for media in media_files:
            if render_from:
                found = rerender(media, env, render_from, fresh)
                if found is None:
                    print(f"\n== {media.name}: no transcript cached under "
                          f"{', '.join(render_from)}; skipped", file=sys.stderr)
                    continue
                out, timing, bare = found
            else:
                out, timing = _corpus.transcribe(media, env, model, fresh)
                bare = ({"text": None} if no_bare
                        else _corpus.bare(media, env, model, fresh))
            truth = cm.load_truth(media)
            rows = measure(media, out, truth, bare["text"])
            shown = punctuation.health(words_of(" ".join(c.text for c in cm.read_cues(
                (out / f"{media.stem}.vtt").read_text(encoding="utf-8")))))
            said = punctuation.health(words_of(truth.text))
            rows["vtt"].update(punctuation=shown, said=said, punctuation_kept=kept(said, shown))
            results[media.name] = rows
            print_table(media, truth, rows, timing["seconds"],
                        punctuation.health(words_of(bare["text"] or "")), causes)
        failed += print_targets(name, results)
    return 1 if failed else 0


def print_summary(name: str, results: dict[str, dict[str, dict]]) -> None:
    """One line a recording: the figures with targets, worst of the three formats."""
    print(f"\n-- {name}, one line a recording (worst of scc/vtt/srt)")
    print(f"{'recording':<6}{'WER':>7}{'bare':>7}{'cps p95':>9}{'offset p50/p90':>16}"
          f"{'over silence':>14}{'covered':>9}{'punct.':>8}")
    for media, rows in results.items():
        def worst(key: str, pick=max, rows=rows) -> float:
            return pick(rows[f][key] for f in FORMATS)
        print(f"{media[:4]:<6}{100 * worst('wer'):6.1f}%{100 * rows['vtt']['bare_wer']:6.1f}%"
              f"{worst('cps_p95'):9.1f}{worst('offset_median'):9.2f}/{worst('offset_p90'):<6.2f}"
              f"{100 * worst('silence'):13.1f}%{100 * worst('covered', min):8.1f}%"
              f"{rows['vtt']['punctuation_kept']:8.2f}")


def print_targets(name: str, results: dict[str, dict[str, dict]]) -> int:
    """One line per target for a set: the worst figure, its margin; return how many failed."""
    print_summary(name, results)
    print(f"\n-- targets on {name} ({len(results)} recordings): worst file and format, margin "
          "(* each sixth's density measured against the truth's in that sixth)")
    failed = 0
    for target, figure, limit, kind, formats in TARGETS:
        values = [(figure(rows[f]), f"{m[:4]}/{f}") for m, rows in results.items()
                  for f in formats if not (isinstance(figure(rows[f]), float)
                                           and math.isnan(figure(rows[f])))]
        if not values:
            continue
        worst, where = (max if kind == "max" else min)(values)
        margin = limit - worst if kind == "max" else worst - limit
        misses = [w for v, w in values if (v > limit + 1e-9 if kind == "max" else v < limit - 1e-9)]
        failed += bool(misses)
        print(f"{'FAIL' if misses else 'PASS'}  {target:<54} worst {worst:7.2f} ({where}), "
              f"margin {margin:+.2f}" + (f"  misses: {', '.join(misses[:8])}" if misses else ""))
    return failed


if __name__ == "__main__":
    sys.exit(main())
