"""Punctuation by sixth against the script, matched by time, with the repair's log (#18 item 5).

For each file: archivist's transcriber (with the punctuation repair) or, with `--bare`, bare
faster-whisper with the same model and options; each sixth of the transcript's words (equal
numbers of words) against the script's marks and capitals per 100 words over the same time
(the utterances that overlap the sixth's first to last word, as bench/punctuation_check.py
matches them), the report's own shares (`punctuation.health`), WER against the script and the
process's CPU seconds. Each second try of the repair is printed as it is logged (`punctuation
collapsed`: where, words and marks before and after, kept or not). Target: every sixth >= 0.6.

Usage: nice -n 10 .venv/bin/python bench/punctuation_sixths.py FILE... [--model M] [--seed N]
       [--threads N] [--bare] [--dump DIR]
`--dump DIR` writes each transcript's text (`<stem>.<label>.<model>.txt`) and its timed words
(`<stem>.<label>.<model>.json`, the frontier's JSON shape) so that bench/punctuation_check.py
--transcripts DIR can judge them again without the model; and (not `--bare`) the segments as
decoded and repaired, before the roll calls, votes and stops are written out
(`<stem>.decoded.<model>.json`), so that `punctuation_check.py --transcripts DIR --write-out`
can write them out again with the code as it is now, still without the model.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from caption_metrics import word_error_rate

from archivist import containers
from archivist.adapters.whisper import adapter, decoding
from archivist.domain import punctuation
from archivist.domain.models import Segment, Word
from archivist.providers import settings

_LOGGED = ("at", "until", "words", "punctuation_before", "punctuation_after", "kept")


class _Tries(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage() == "punctuation collapsed":
            print("   second try", {k: getattr(record, k, None) for k in _LOGGED}, flush=True)


def against_script(timed: list[Word], utterances: list[dict]) -> list[float]:
    """Each sixth's marks and capitals per 100 words as a share of the script's over its time."""
    parts = punctuation.health([w.word for w in timed]).parts
    size = len(timed) / len(parts) if timed else 0
    shares = []
    for k, part in enumerate(parts):
        run = timed[round(k * size):round((k + 1) * size)]
        start, end = run[0].start, run[-1].end
        said = [w for u in utterances if u["end"] > start and u["start"] < end
                for w in u["text"].split()]
        truth = punctuation.density(said).per_100
        shares.append(part.per_100 / truth if truth else 1.0)
    return shares


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("media", nargs="+", type=Path)
    parser.add_argument("--model", help="whisper.model")
    parser.add_argument("--seed", type=int, help="seed of the sampling fallback")
    parser.add_argument("--threads", type=int, help="whisper.cpu_threads")
    parser.add_argument("--bare", action="store_true", help="bare faster-whisper instead")
    parser.add_argument("--dump", type=Path, help="write each transcript's text into this folder")
    args = parser.parse_args()
    config = settings.load()
    if args.model:
        config["whisper"]["model"] = args.model
    if args.threads:
        config["whisper"]["cpu_threads"] = args.threads
    if args.seed is not None:
        decoding.SEED = args.seed
    logging.getLogger("archivist.whisper").addHandler(_Tries())
    logging.getLogger("archivist.whisper").setLevel(logging.INFO)
    transcriber = containers.build(config).transcriber()
    label = "bare" if args.bare else "archivist"
    decoded: list[list[Segment]] = []   # what the write-out is given, per transcription
    write_out = adapter.roll_calls_written_out

    def kept(segments: list[Segment]) -> list[Segment]:
        decoded.append(list(segments))
        return write_out(segments)

    adapter.roll_calls_written_out = kept   # type: ignore[assignment]
    for media in args.media:
        utterances = json.loads(media.with_suffix(".json").read_text(encoding="utf-8"))["utterances"]
        truth = media.with_suffix(".txt").read_text(encoding="utf-8")
        cpu = time.process_time()
        decoded.clear()
        if args.bare:
            bare, _info = transcriber.model().transcribe(str(media), **transcriber.options())
            segments = [Segment(s.start, s.end, s.text, tuple(
                Word(w.start, w.end, w.word, w.probability) for w in (s.words or ())))
                for s in bare]
        else:
            segments = list(transcriber.transcribe(media, lambda *_: None, lambda: False).segments)
        timed = [w for s in segments for w in s.words if w.word.strip()]
        cpu = time.process_time() - cpu
        shares = against_script(timed, utterances)
        report = punctuation.health([w.word for w in timed])
        print(f"{media.name[:30]:<31} {config['whisper']['model']} {label}: vs script "
              f"{' '.join(f'{s:.2f}' for s in shares)} (lowest {min(shares):.2f}) | report "
              f"{' '.join(f'{s:.2f}' for s in report.shares)} "
              f"{'steady' if report.steady else 'collapses'} | WER "
              f"{word_error_rate(truth, ' '.join(w.word for w in timed)):.1%} | CPU {cpu:.0f} s",
              flush=True)
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            model = config["whisper"]["model"]
            (args.dump / f"{media.stem}.{label}.{model}.txt").write_text(
                "".join(w.word for w in timed))
            (args.dump / f"{media.stem}.{label}.{model}.json").write_text(
                json.dumps(_shaped(model, segments)))
            if decoded:
                (args.dump / f"{media.stem}.decoded.{model}.json").write_text(
                    json.dumps({**_shaped(model, decoded[-1]), "media": str(media.resolve())}))


def _shaped(model: str, segments: list[Segment]) -> dict:
    """Segments in the frontier's JSON shape."""
    return {"model": model, "segments": [{
        "start": s.start, "end": s.end, "text": s.text,
        "words": [{"start": w.start, "end": w.end, "word": w.word,
                   "probability": w.probability} for w in s.words]} for s in segments]}


if __name__ == "__main__":
    main()
