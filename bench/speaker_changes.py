"""Speaker changes (`>>`): precision and recall of the detector against the corpus truth.

The truth: each utterance of a corpus `.json` has a `voice`; a change of voice between one
utterance and the next is a speaker change. The detector (adapters/whisper/speakers.py) is run
on the recording's spooled sound, at the pauses between

- `--words truth` (default): the truth's own voiced stretches, as if each were a word timed
  exactly (the detector alone, no transcription needed); a pause is labelled a change when the
  voice after it differs from the voice before;
- `--words DIR`: the words of the transcripts in DIR (`<stem>.json`, as `archivist transcribe
  --out DIR/<stem>` writes them, or DIR/<stem>/<stem>.json), as the pipeline sees them; a change
  found counts as right when it falls between the two utterances of a true change (0.3 s
  slack), each true change once.

Recall is over every true change of the file, including those at pauses too short to be judged.
`shared` counts the wrong marks that fall where the speaker changes but the voice does not (the
corpus gives a few speakers one voice; a `>>` there is right for a viewer, wrong by the voice).
`--sweep` prints precision and recall of the whole split for a range of thresholds (choose on
dev, never on held).

Usage: .venv/bin/python bench/speaker_changes.py [--split dev|held|extra|all] [--words truth|DIR]
                                                 [--threshold T] [--pause S] [--sweep]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import _corpus

from archivist.adapters.whisper import audio, speakers
from archivist.domain import transcript_json
from archivist.domain.models import Word

SLACK = 0.3
SWEEP = (100, 150, 175, 200, 225, 250, 275, 300, 350, 400, 500)


def utterances(media: Path) -> list[dict]:
    return json.loads(media.with_suffix(".json").read_text())["utterances"]


def truth_words(said: list[dict]) -> tuple[list[Word], list[str]]:
    """Each voiced stretch as a word, and the voice saying it."""
    words, voices = [], []
    for u in said:
        for a, b in u.get("voiced") or [[u["start"], u["end"]]]:
            words.append(Word(a, b, " x"))
            voices.append(u["voice"])
    return words, voices


def transcript_words(folder: Path, media: Path) -> list[Word] | None:
    for path in (folder / f"{media.stem}.json", folder / media.stem / f"{media.stem}.json"):
        if path.exists():
            return transcript_json.loads(path.read_text()).words
    return None


def judged(media: Path, words_from: str, pause: float
           ) -> tuple[list[tuple[float, bool, bool]], int] | None:
    """(T², is it a true change, is it a change of speaker sharing a voice) at each pause
    judged, and the file's true changes."""
    said = utterances(media)
    changes = [(a["end"] - SLACK, b["start"] + SLACK) for a, b in zip(said, said[1:])
               if a["voice"] != b["voice"]]
    shared = [(a["end"] - SLACK, b["start"] + SLACK) for a, b in zip(said, said[1:])
              if a["voice"] == b["voice"] and a.get("speaker") != b.get("speaker")]

    def sharing(t: float) -> bool:
        return any(a <= t <= b for a, b in shared)
    if words_from == "truth":
        words, voices = truth_words(said)
        starts = {w.start: k for k, w in enumerate(words)}
    else:
        found = transcript_words(Path(words_from), media)
        if found is None:
            return None
        words = [w for w in found if w.word.strip()]
    with audio.spool(media) as sound:
        scored = speakers.scores(words, sound, pause)
    if words_from == "truth":
        return ([(s, voices[starts[t]] != voices[starts[t] - 1], sharing(t)) for t, s in scored],
                len(changes))
    out = []
    open_changes = list(changes)
    for t, s in sorted(scored, key=lambda p: -p[1]):   # the surest take a change first
        hit = next((c for c in open_changes if c[0] <= t <= c[1]), None)
        if hit is not None:
            open_changes.remove(hit)
        out.append((s, hit is not None, hit is None and sharing(t)))
    return out, len(changes)


def figures(rows: list[tuple[float, bool, bool]], changes: int, threshold: float) -> str:
    said = [(right, shared) for s, right, shared in rows if s >= threshold]
    right = sum(r for r, _ in said)
    shared = sum(sh for r, sh in said if not r)
    precision = f"{right / len(said):.2f}" if said else "  - "
    recall = f"{right / changes:.2f}" if changes else "  - "
    return (f"changes {changes:3d}  judged {len(rows):3d}  marked {len(said):3d}  right {right:3d}"
            f"  precision {precision}  recall {recall}  shared {shared}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--words", default="truth")
    parser.add_argument("--threshold", type=float, default=speakers.THRESHOLD)
    parser.add_argument("--pause", type=float, default=speakers.PAUSE)
    parser.add_argument("--sweep", action="store_true")
    args = parser.parse_args()
    splits = {"all": ("dev", "extra", "held"), "dev": ("dev", "extra")}.get(args.split, (args.split,))
    print(f"words: {args.words}; pause >= {args.pause} s; threshold {args.threshold:g}")
    for split in splits:
        print(f"== {split}")
        every: list[tuple[float, bool, bool]] = []
        total = 0
        for media in _corpus.recordings(split):
            measured = judged(media, args.words, args.pause)
            if measured is None:
                print(f"  {media.name[:34]:<35} no transcript in {args.words}")
                continue
            rows, changes = measured
            every += rows
            total += changes
            print(f"  {media.name[:34]:<35} {figures(rows, changes, args.threshold)}", flush=True)
        print(f"  {'all':<35} {figures(every, total, args.threshold)}")
        if args.sweep:
            for threshold in SWEEP:
                print(f"    threshold {threshold:4d}: {figures(every, total, threshold)}")


if __name__ == "__main__":
    main()
