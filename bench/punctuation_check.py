"""Does the report's punctuation check agree with the reference? (#18 item 5)

For every corpus recording the model frontier captioned (bench/foundation.py --models; its JSON
transcripts are read from the cache, any model), both halves:
  * the reference's verdict: some sixth of the transcript has fewer than 0.6 of the marks and
    capitals per 100 words of the same sixth of the script (words split in equal sixths);
  * the report's verdict: `punctuation.health(...).steady` (each sixth against what its own
    words would carry written out), as `archivist report` computes it;
and whether they agree. Prints each file and a count; exits 1 on any disagreement.

Usage: .venv/bin/python bench/punctuation_check.py
"""

from __future__ import annotations

import json
import sys

import _corpus
import _frontier

from archivist.domain import punctuation

REFERENCE_SHARE = 0.6


def main() -> int:
    media_of = {m.stem: (m, split) for split in ("dev", "held") for m in _corpus.recordings(split)}
    rows = []
    for path in sorted((_corpus.CACHE / "frontier").glob("*/*/*.json")):
        if path.stem not in media_of or path.name == "timing.json":
            continue
        media, split = media_of[path.stem]
        data = json.loads(path.read_text(encoding="utf-8"))
        words = [w["word"] for s in data["segments"] for w in (s.get("words") or [])]
        script = media.with_suffix(".txt").read_text(encoding="utf-8").split()
        ours, truth = punctuation.health(words), punctuation.health(script)
        if len(ours.parts) != len(truth.parts):
            continue
        ratios = [p.per_100 / t.per_100 if t.per_100 else 1.0
                  for p, t in zip(ours.parts, truth.parts, strict=True)]
        collapsed = min(ratios) < REFERENCE_SHARE
        agree = collapsed == (not ours.steady)
        rows.append(agree)
        print(f"{split:<5} {media.name[:30]:<31} {data.get('model', '?'):<18} vs script "
              f"{' '.join(f'{r:4.2f}' for r in ratios)} -> {'collapse' if collapsed else 'whole':<8}"
              f" report {' '.join(f'{s:4.2f}' for s in ours.shares)} -> "
              f"{'collapse' if not ours.steady else 'steady':<8} {'agree' if agree else 'DISAGREE'}")
        loop = _frontier.roll_call_loop(path.parent, media)
        if loop[0]:
            print(f"      roll-call loop: \"Present.\" {loop[0]} times at {loop[1]}-{loop[2]} (collapsed)")
    print(f"{sum(rows)} of {len(rows)} transcripts: the report agrees with the reference")
    return 0 if all(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
