"""Caption-quality report: the captions users get, measured against the corpus ground truth.

For each corpus recording, runs `archivist transcribe FILE --out DIR --force` in a fresh process
(temporary ARCHIVIST_DATA_DIR) and a bare faster-whisper call with the same model and options
(`FasterWhisperTranscriber(...).options()`), then prints per format (scc, vtt, srt):
  * word error rate of the caption text against `.txt`, beside the bare model's (normaliser:
    see caption_metrics);
  * longest line, most lines in a caption, 95th-percentile reading rate, overlapping captions;
  * |caption start - first word spoken|, median and 90th percentile (truth words are timed by
    interpolating inside their utterance by character position);
  * share of caption time over silence (outside every utterance widened by 0.25 s) and share
    of speech time covered by some caption;
  * SCC: errors from pycaption's SCCReader and from `ffmpeg -f scc`; SCC timing figures use
    pycaption's decoded times (a caption appears at its End Of Caption).
Then one PASS/FAIL line per target of the issue.

Usage: .venv/bin/python bench/caption_quality.py [--media FILE ...] [--keep DIR] [--model M]
"""

from __future__ import annotations

import argparse
import copy
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import caption_metrics as cm

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "media"
FORMATS = ("scc", "vtt", "srt")


def corpus() -> list[Path]:
    return sorted([*CORPUS.glob("*.mp4"), *CORPUS.glob("*.ts")])


def run_pipeline(media: Path, out: Path, env: dict[str, str], model: str | None) -> float:
    """Caption `media` the way a user does; return the wall time."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", "transcribe", str(media),
                    "--out", str(out), "--force", *(["--model", model] if model else [])],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


class BareWhisper:
    """faster-whisper called directly, with the model and options the pipeline uses."""

    def __init__(self, env: dict[str, str], model: str | None) -> None:
        from faster_whisper import WhisperModel

        from archivist import containers
        from archivist.adapters.whisper import resolve_model
        from archivist.providers import settings

        config = settings.load(environ=env)   # the configuration the pipeline reads
        w = config["whisper"]
        w["model"] = model or w["model"]
        source, self.name = resolve_model(w["model"])
        self.model = WhisperModel(source, device=w["device"], compute_type=w["compute_type"],
                                  cpu_threads=w["cpu_threads"])
        # The options the container gives the pipeline's transcriber (no model is loaded here).
        self.options = containers.build(config).transcriber().options()

    def text(self, media: Path) -> str:
        # A copy: the batched pipeline edits the VAD options it is given.
        segments, _ = self.model.transcribe(str(media), **copy.deepcopy(self.options))
        return " ".join(s.text.strip() for s in segments)


def measure(media: Path, out: Path, truth: cm.Truth, bare_text: str) -> dict[str, dict]:
    """Return the figures of each format written for `media` into `out`."""
    rows: dict[str, dict] = {}
    bare_wer = cm.word_error_rate(truth.text, bare_text)
    for fmt in FORMATS:
        text = (out / f"{media.stem}.{fmt}").read_text(encoding="utf-8")
        errors: list[str] = []
        if fmt == "scc":
            caps, errors = cm.read_scc_pycaption(text)
            ffmpeg = cm.scc_ffmpeg_errors(text)
            decode = (len(errors), len(ffmpeg))
            errors += ffmpeg
        else:
            caps, decode = cm.read_cues(text), None
        row = cm.figures(caps, truth)
        row.update(wer=cm.word_error_rate(truth.text, " ".join(c.text for c in caps)),
                   bare_wer=bare_wer, decode=decode, errors=errors)
        rows[fmt] = row
    return rows


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
    ("caption time over silence", lambda r: _f(100 * r["silence"], ".1f") + "%", "< 3%"),
    ("speech covered", lambda r: _f(100 * r["covered"], ".1f") + "%", ">= 95%"),
]

# (target, test on one format's row, formats it applies to)
TARGETS = [
    ("SCC decodes with zero errors (pycaption, ffmpeg)",
     lambda r: r["decode"] == (0, 0), ("scc",)),
    ("no line over 32 characters", lambda r: r["max_line"] <= 32, FORMATS),
    ("at most 2 lines a caption", lambda r: r["max_lines"] <= 2, FORMATS),
    ("no overlapping captions", lambda r: r["overlaps"] == 0, FORMATS),
    ("95th-percentile reading rate <= 20 cps", lambda r: r["cps_p95"] <= 20.0, FORMATS),
    ("caption-start offset: median <= 0.3 s", lambda r: r["offset_median"] <= 0.3, FORMATS),
    ("caption-start offset: 90th percentile <= 0.8 s", lambda r: r["offset_p90"] <= 0.8, FORMATS),
    ("under 3% of caption time over silence", lambda r: r["silence"] < 0.03, FORMATS),
    ("at least 95% of speech covered", lambda r: r["covered"] >= 0.95, FORMATS),
    ("word error rate no worse than bare faster-whisper",
     lambda r: r["wer"] <= r["bare_wer"] + 1e-9, FORMATS),
]


def print_table(media: Path, truth: cm.Truth, rows: dict[str, dict], seconds: float) -> None:
    speech = sum(e - s for s, e in truth.spans)
    print(f"\n== {media.name}  ({len(truth.spans)} utterances, {speech:.0f} s of speech; "
          f"archivist transcribe {seconds:.1f} s)")
    print(f"{'':<32}" + "".join(f"{f:>9}" for f in FORMATS) + f"{'target':>10}")
    for label, show, target in TABLE:
        print(f"{label:<32}" + "".join(f"{show(rows[f]):>9}" for f in FORMATS) + f"{target:>10}")
    for fmt in FORMATS:
        for error in rows[fmt]["errors"][:5]:
            print(f"  {fmt} decode: {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--media", type=Path, action="append", help="default: the corpus")
    parser.add_argument("--keep", type=Path, help="write the caption files here and keep them")
    parser.add_argument("--model", help="Whisper model for both (default: the configured one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archivist-quality-") as data:
        return report(args.media or corpus(), Path(data), args.keep, args.model)


def report(media_files: list[Path], data: Path, keep: Path | None, model: str | None) -> int:
    """Caption and measure each file, print the tables and targets; 1 if any target fails."""
    # A fresh database and no local settings (ARCHIVIST_*), as a new installation has.
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIST_")}
    env["ARCHIVIST_DATA_DIR"] = str(data)
    out_root = keep or data / "out"
    bare = BareWhisper(env, model)
    print(f"model {bare.name}; options {bare.options}")
    print(f"silence tolerance {cm.SILENCE_TOLERANCE} s either side of each utterance; truth words "
          "timed by character position inside their utterance")
    print("WER normaliser: lowercase; % -> percent; $ and thousands commas dropped; hyphens "
          "split; other punctuation removed; spelled-out numbers left as words")

    results: dict[str, dict[str, dict]] = {}
    for media in media_files:
        out = out_root / media.stem
        seconds = run_pipeline(media, out, env, model)
        truth = cm.load_truth(media)
        rows = measure(media, out, truth, bare.text(media))
        results[media.name] = rows
        print_table(media, truth, rows, seconds)

    print()
    failed = 0
    for name, test, formats in TARGETS:
        misses = [f"{m[:4]}/{f}" for m, rows in results.items() for f in formats
                  if not test(rows[f])]
        failed += bool(misses)
        print(f"{'FAIL' if misses else 'PASS'}  {name}"
              + (f"  ({', '.join(misses)})" if misses else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
