"""Music tags: choose the music detector's thresholds on the dev half, report on the held half.

For every corpus recording of a half: its sound spooled and its speech found as the transcriber
does (same VAD settings), then every half second of each stretch without speech of 4 s or more
is looked at (adapters/whisper/sounds.py) and labelled from the ground truth: music if the
recording has a music bed and the half second lies before the first word (the bed plays alone
there), otherwise not (recesses, pauses: room silence, noise, hum).

`--choose` searches thresholds on dev (no false music half-second allowed, then the most music
found); without it the configured defaults are used. Then, per recording: the music stretches
the truth has (>= 4 s before the first word) and those found, and any found elsewhere (false).

Usage: .venv/bin/python bench/sound_tags.py [--choose] [--split dev|held|both]
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import _corpus

from archivist.adapters.whisper import audio, sounds, speech
from archivist.providers import settings

MIN_SECONDS = 4.0


def looks(media: Path, vad: dict) -> tuple[list[tuple[sounds.Look, bool]], list, dict, float]:
    """(each half second without speech: its look and whether it is music), the music stretches
    found with the defaults, the truth, the first word's time."""
    from faster_whisper.vad import VadOptions

    truth = json.loads(media.with_suffix(".json").read_text())
    first = min(u["start"] for u in truth["utterances"])
    has_music = float(truth.get("settings", {}).get("music", 0)) > 0
    out = []
    with audio.spool(media) as sound:
        spans = speech.speech_spans(sound, VadOptions(**vad))
        for gap in sounds.gaps(spans, sound.samples):
            if gap.end - gap.start < MIN_SECONDS * audio.SAMPLE_RATE:
                continue
            at = gap.start
            while at + sounds.BLOCK <= gap.end:
                t = at / audio.SAMPLE_RATE
                is_music = has_music and t + 0.5 <= first
                out.append((sounds.look(sound.read(at, at + sounds.BLOCK)), is_music))
                at += sounds.BLOCK
        found = sounds.music(sound, spans, MIN_SECONDS)
    return out, found, truth, first


def choose(rows: list[tuple[sounds.Look, bool]]) -> sounds.Thresholds:
    best: tuple[tuple[int, int], sounds.Thresholds] | None = None
    for level, tonal in itertools.product((-60.0, -55.0, -50.0, -45.0, -40.0),
                                          (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6)):
        limits = sounds.Thresholds(level, tonal)
        false = sum(1 for look, m in rows if not m and look.musical(limits))
        hits = sum(1 for look, m in rows if m and look.musical(limits))
        # Fewest false half-seconds first (a lone one never makes a 4-s tag), then most found.
        score = (-false, hits)
        if best is None or score > best[0]:
            best = (score, limits)
    assert best is not None
    print(f"  best on dev: {best[0][1]} music half-seconds found, {-best[0][0]} false")
    return best[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--choose", action="store_true")
    parser.add_argument("--split", default="both")
    args = parser.parse_args()
    w = settings.load()["whisper"]
    vad = {"min_silence_duration_ms": w["vad_min_silence_ms"], "speech_pad_ms": w["vad_speech_pad_ms"]}
    splits = ("dev", "held") if args.split == "both" else (args.split,)
    for split in splits:
        rows: list[tuple[sounds.Look, bool]] = []
        print(f"== {split}")
        for media in _corpus.recordings(split):
            seen, found, truth, first = looks(media, vad)
            rows += seen
            music = float(truth["settings"].get("music", 0))
            expected = first >= MIN_SECONDS and music > 0
            right = [f for f in found if f.end <= first + 0.5]
            wrong = [f for f in found if f.end > first + 0.5]
            verdict = ("ok" if bool(right) == expected and not wrong else "WRONG")
            print(f"  {media.name[:34]:<35} music bed {music:>2.0f} s, first word {first:5.1f} s"
                  f" -> tagged {', '.join(f'{f.start:.1f}-{f.end:.1f}' for f in right) or '-'}"
                  f"{'; elsewhere ' + ', '.join(f'{f.start:.0f}-{f.end:.0f}' for f in wrong) if wrong else ''}"
                  f"  [{verdict}]", flush=True)
        music = [lk for lk, m in rows if m]
        other = [lk for lk, m in rows if not m]
        for name, group in (("music", music), ("not music", other)):
            if group:
                ordered = sorted(group, key=lambda lk: lk.tonal)
                print(f"  {name:<10} {len(group):5d} half-seconds  tonal p10/p50/p90 "
                      f"{ordered[len(group) // 10].tonal:.2f}/{ordered[len(group) // 2].tonal:.2f}/"
                      f"{ordered[9 * len(group) // 10].tonal:.2f}  level p50 "
                      f"{sorted(lk.level_db for lk in group)[len(group) // 2]:.0f} dBFS")
        if args.choose and split == "dev":
            print(f"  chosen on dev: {choose(rows)}")


if __name__ == "__main__":
    main()
