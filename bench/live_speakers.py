"""Live speaker changes (`>>`): precision and recall of the live decision beside the offline one.

A live session decides on a change when the first words after a pause are sent: it has heard
only the first second or two of the new voice, not the 3 s the offline detector reads after
the pause. This replays both at the corpus truth's own voiced stretches (each taken as a word,
as bench/speaker_changes.py `--words truth` does; no model, no decode): the voice before each
pause of 0.6 s or more is its last 3 s of words either way; the voice after it is its first
3 s (offline) or its first `--after` seconds (live, several to choose from). A pause is a true
change when the utterance's voice after it differs from the one before. Choose on dev, report
held once.

Usage: nice -n 19 .venv/bin/python bench/live_speakers.py [--split dev|held] [--after 1 1.5 2]
"""

from __future__ import annotations

import argparse

import _corpus
from speaker_changes import truth_words, utterances

from archivist.adapters.whisper import audio, speakers

SWEEP = (100, 150, 200, 250, 300, 350, 400)


def figures(rows: list[tuple[float, bool]], changes: int, threshold: float) -> str:
    said = [right for score, right in rows if score >= threshold]
    precision = f"{sum(said) / len(said):.2f}" if said else "  - "
    recall = f"{sum(said) / changes:.2f}" if changes else "  - "
    return f"marked {len(said):4d}  right {sum(said):4d}  precision {precision}  recall {recall}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "held"))
    parser.add_argument("--after", type=float, nargs="+", default=[1.0, 1.5, 2.0])
    args = parser.parse_args()
    reaches = [speakers.REACH, *args.after]
    rows: dict[float, list[tuple[float, bool]]] = {r: [] for r in reaches}
    changes = 0
    for media in _corpus.recordings(args.split):
        said = utterances(media)
        changes += sum(a["voice"] != b["voice"] for a, b in zip(said, said[1:]))
        words, voices = truth_words(said)
        starts = {w.start: k for k, w in enumerate(words)}
        with audio.spool(media) as sound:
            for reach in reaches:
                rows[reach] += [(score, voices[starts[t]] != voices[starts[t] - 1])
                                for t, score in speakers.scores(words, sound, after=reach)]
        print(f"  {media.name[:40]}", flush=True)
    print(f"== {args.split}: {changes} true changes, {len(rows[speakers.REACH])} pauses judged")
    for reach in reaches:
        name = "offline (3 s after)" if reach == speakers.REACH else f"live ({reach:g} s after)"
        print(f"  {name}")
        for threshold in SWEEP:
            print(f"    T² >= {threshold:3d}: {figures(rows[reach], changes, threshold)}")


if __name__ == "__main__":
    main()
