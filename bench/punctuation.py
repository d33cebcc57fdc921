"""Punctuation drift benchmark: sentence case and punctuation to the end of each recording.

For each file, side by side in one run:
  * bare faster-whisper (the same model and options the pipeline uses): one decoding context,
    each 30 s conditioned on the text before;
  * `archivist`'s transcriber: the same decoding (it hears what bare faster-whisper hears), but
    a stretch whose punctuation collapses is decoded again, each 30 s window on its own (not
    conditioned on the text before), and the better of the two kept.
Prints punctuation marks + capitals per 100 words in each sixth of the words, as a share of
the first sixth, and the word error rate against the file's ground truth (`<media>.txt`).

`--seed N` changes the seed the decoding's sampling fallback draws from (archivist's
transcriber; default adapters/whisper/decoding.SEED), `--threads N` sets whisper.cpu_threads,
`--model M` whisper.model, and `--ours-only` leaves bare faster-whisper out: the repair must
not depend on one lucky decode.

Usage: nice -n 10 .venv/bin/python bench/punctuation.py [FILE...] [--seed N] [--threads N]
       [--model M] [--ours-only]   (default files: ../shared corpus)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from caption_metrics import word_error_rate

from archivist import containers
from archivist.domain.punctuation import health
from archivist.providers import settings

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "media"


def bare(transcriber: object, media: Path) -> list[str]:
    model = transcriber.model()  # type: ignore[attr-defined]
    segments, _info = model.transcribe(str(media), **transcriber.options())  # type: ignore[attr-defined]
    return [w.word for s in segments for w in (s.words or ())]


def ours(transcriber: object, media: Path) -> list[str]:
    transcript = transcriber.transcribe(media, lambda *_: None, lambda: False)  # type: ignore[attr-defined]
    return [w.word for s in transcript.segments for w in s.words]


def row(label: str, words: list[str], truth: str | None, seconds: float | None) -> str:
    """Density by sixth as a share of the first sixth; with a truth, also against the truth's
    own density in the same sixth (a script's sixths differ: a roll call is all capitals)."""
    found = health(words)
    first = found.parts[0].per_100 or 1.0
    shares = " ".join(f"{p.per_100 / first:5.2f}" for p in found.parts)
    line = f"  {label:<26} first {found.parts[0].per_100:5.1f}/100  by sixth: {shares}  worst {found.worst_share:4.2f}"
    if truth is not None and seconds is not None:
        expected = health(truth.split()).parts
        if len(expected) == len(found.parts):
            ratios = [p.per_100 / e.per_100 for p, e in zip(found.parts, expected, strict=True)]
            line += "  vs truth: " + " ".join(f"{r / ratios[0]:4.2f}" for r in ratios)
        line += f"  WER {word_error_rate(truth, ' '.join(words)):6.1%}  {seconds:6.1f}s"
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("media", nargs="*", type=Path)
    parser.add_argument("--dump", type=Path, help="write each transcript's text into this folder")
    parser.add_argument("--seed", type=int, help="seed of the sampling fallback (archivist's)")
    parser.add_argument("--threads", type=int, help="whisper.cpu_threads")
    parser.add_argument("--model", help="whisper.model")
    parser.add_argument("--ours-only", action="store_true", help="leave bare faster-whisper out")
    args = parser.parse_args()
    files = args.media or sorted(p for p in CORPUS.glob("*") if p.suffix in (".mp4", ".ts"))
    config = settings.load()
    if args.threads:
        config["whisper"]["cpu_threads"] = args.threads
    if args.model:
        config["whisper"]["model"] = args.model
    if args.seed is not None:
        from archivist.adapters.whisper import decoding
        decoding.SEED = args.seed
    print(f"model {config['whisper']['model']}, cpu_threads {config['whisper']['cpu_threads']}, "
          f"seed {args.seed if args.seed is not None else 'default'}")
    transcriber = containers.build(config).transcriber()
    runs = (("archivist (with repair)", ours),) if args.ours_only else (
        ("bare faster-whisper", bare), ("archivist (with repair)", ours))
    for media in files:
        truth_file = media.with_suffix(".txt")
        truth = truth_file.read_text(encoding="utf-8") if truth_file.exists() else None
        print(media.name)
        if truth is not None:
            print(row("the truth (script)", truth.split(), None, None))
        for label, run in runs:
            started = time.perf_counter()
            words = run(transcriber, media)
            print(row(label, words, truth, time.perf_counter() - started), flush=True)
            if args.dump:
                args.dump.mkdir(parents=True, exist_ok=True)
                (args.dump / f"{media.stem}.{run.__name__}.txt").write_text("".join(words))


if __name__ == "__main__":
    main()
