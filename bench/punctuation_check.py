"""Does the report's punctuation check agree with the reference? (#18 item 5)

For every corpus recording the model frontier captioned (bench/foundation.py --models; its JSON
transcripts are read from the cache, any model), both halves:
  * the reference's verdict: some sixth of the transcript has fewer than 0.6 of the marks and
    capitals per 100 words of the script over the same time (the utterances that overlap the
    sixth's first to last word: a model that misses a roll call's words shifts equal-word
    sixths of the two against each other, so they are matched by time);
  * the report's verdict: `punctuation.health(...).steady` (each sixth against what its own
    words would carry written out), as `archivist report` computes it;
  * the repair's trigger on the transcript as it stands: the punctuation watch
    (adapters/whisper/watch.py: every two runs of 60 words) fed its segments in order, as the
    decoding feeds it, then the judgement at the end (watch.collapsed_runs: the report's own,
    by sixths); "raises" where either would decode a stretch again;
and whether they agree. Prints each file and a count; exits 1 on any disagreement.

The `extra` set (ARCHIVIST_EXTRA_CORPUS, default ../shared/corpus/media) is checked too where
its transcripts are in the cache's frontier folder (e.g. `archivist transcribe FILE --out
~/.cache/archivist/bench/frontier/extra-tiny.en/<stem> --formats vtt,json`).

`--transcripts DIR` judges the transcripts bench/punctuation_sixths.py --dump DIR wrote
(`<stem>.<label>.<model>.json`) instead of the frontier's: a change to the judgement is then
checked without the model. With `--write-out` it takes the segments as decoded and repaired
(`<stem>.decoded.<model>.json`) instead and writes out their roll calls, votes and stops with
the code as it is now, as the transcriber does (roll calls, the word edges fitted to the voice,
stops): a change to the write-out is checked without the model too. (Which stretches were
decoded a second time followed the judge of the code that decoded them.)

Usage: [ARCHIVIST_EXTRA_CORPUS=../shared/corpus/media] .venv/bin/python bench/punctuation_check.py
       [--transcripts DIR [--write-out]]
(from a worktree, point ARCHIVIST_EXTRA_CORPUS at the shared corpus's media folder)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import _corpus
import _frontier

from archivist.adapters.whisper import audio, voicing
from archivist.adapters.whisper.watch import (
    PunctuationWatch,
    collapsed_runs,
    roll_calls_written_out,
    stops_put_back,
)
from archivist.domain import punctuation
from archivist.domain.models import Segment, Word

REFERENCE_SHARE = 0.6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=Path,
                        help="judge the transcripts punctuation_sixths.py --dump wrote here")
    parser.add_argument("--write-out", action="store_true",
                        help="write out the decoded segments there with the code as it is now")
    parser.add_argument("--dump", type=Path, help="with --write-out: each text written out here")
    args = parser.parse_args()
    media_of = {m.stem: (m, split) for split in ("dev", "held", "extra")
                for m in _corpus.recordings(split)}
    rows: list[bool] = []
    triggers: list[bool] = []
    if args.transcripts:
        kind = "*.decoded.*.json" if args.write_out else "*.json"
        found = [(p, p.name.split(".", 1)[0]) for p in sorted(args.transcripts.glob(kind))
                 if args.write_out or ".decoded." not in p.name]
    else:
        found = [(p, p.stem) for p in sorted((_corpus.CACHE / "frontier").glob("*/*/*.json"))]
    for path, stem in found:
        if stem not in media_of or path.name == "timing.json":
            continue
        media, split = media_of[stem]
        data = json.loads(path.read_text(encoding="utf-8"))
        if "segments" not in data:
            continue
        if args.write_out:
            data["segments"] = written_out(data["segments"], media)
            if args.dump:
                args.dump.mkdir(parents=True, exist_ok=True)
                (args.dump / f"{stem}.txt").write_text(
                    "".join(w["word"] for s in data["segments"] for w in s["words"]))
        timed = [w for s in data["segments"] for w in (s.get("words") or []) if w["word"].strip()]
        ours = punctuation.health([w["word"] for w in timed])
        utterances = json.loads(media.with_suffix(".json").read_text(encoding="utf-8"))["utterances"]
        size = len(timed) / len(ours.parts) if timed else 0
        ratios = []
        for k, part in enumerate(ours.parts):
            run = timed[round(k * size):round((k + 1) * size)]
            start, end = run[0]["start"], run[-1]["end"]
            said = [w for u in utterances if u["end"] > start and u["start"] < end
                    for w in u["text"].split()]
            truth = punctuation.density(said).per_100
            ratios.append(part.per_100 / truth if truth else 1.0)
        collapsed = min(ratios) < REFERENCE_SHARE
        agree = collapsed == (not ours.steady)
        raised = watch_raises(data["segments"])
        rows.append(agree)
        triggers.append(raised == collapsed)
        print(f"{split:<5} {media.name[:30]:<31} {data.get('model', '?'):<18} vs script "
              f"{' '.join(f'{r:4.2f}' for r in ratios)} -> {'collapse' if collapsed else 'whole':<8}"
              f" report {' '.join(f'{s:4.2f}' for s in ours.shares)} -> "
              f"{'collapse' if not ours.steady else 'steady':<8} {'agree' if agree else 'DISAGREE'}"
              f"; watch {'raises' if raised else 'quiet'}"
              f" {'agrees' if raised == collapsed else 'DISAGREES'}")
        loop = (0, "", "") if args.transcripts else _frontier.roll_call_loop(path.parent, media)
        if loop[0]:
            print(f"      roll-call loop: \"Present.\" {loop[0]} times at {loop[1]}-{loop[2]} (collapsed)")
    print(f"{sum(rows)} of {len(rows)} transcripts: the report agrees with the reference; "
          f"the repair's trigger on {sum(triggers)}")
    return 0 if all(rows) and all(triggers) else 1


def written_out(segments: list[dict], media: Path) -> list[dict]:
    """The decoded segments (JSON) with roll calls, votes and stops written out as the
    transcriber writes them (adapters/whisper/adapter.py: roll calls, then the word edges fitted
    to the voice of `media`, then the stops at the voice's pauses)."""
    kept = [Segment(s["start"], s["end"], s["text"], tuple(
        Word(w["start"], w["end"], w["word"], w.get("probability", 1.0))
        for w in s.get("words") or [])) for s in segments]
    with audio.spool(media) as sound:
        kept = stops_put_back(voicing.fit(roll_calls_written_out(kept), sound))
    return [{"start": s.start, "end": s.end, "text": s.text,
             "words": [{"start": w.start, "end": w.end, "word": w.word,
                        "probability": w.probability} for w in s.words]} for s in kept]


def watch_raises(segments: list[dict]) -> bool:
    """Would the repair raise a collapse on these segments (the transcript's JSON): the watch,
    fed them in order as the decoding feeds it, or the judgement at the end?"""
    heard: list[Segment] = []
    watch = PunctuationWatch()
    for s in segments:
        words = tuple(Word(w["start"], w["end"], w["word"], w.get("probability", 1.0))
                      for w in s.get("words") or [] if w["word"].strip())
        if not words:
            continue
        heard.append(Segment(s["start"], s["end"], s["text"], words))
        if watch.collapse(heard) is not None:
            return True
    return bool(collapsed_runs([w.word for s in heard for w in s.words]))


if __name__ == "__main__":
    sys.exit(main())
