"""Render the development corpus listed in manifest.yml: synthetic meetings with ground truth.

For each meeting, into the corpus folder (default ~/.cache/archivist/corpus):
    <id>-1-<Town> <Body> (<date>).<mp4|ts>   the recording (320x180 still picture, 29.97 fps)
    ... .txt    the spoken words, one utterance a line (reference for word error rate)
    ... .json   {"media", "duration", "split", "settings", "utterances": [{"start", "end",
                "speaker", "voice", "speed", "text"}]} with times in seconds from the media start
and, for the whole corpus, `manifest.json` (every file, its split and settings) and `README`.
A meeting whose three files exist is left alone (`--force` renders it again).

Everything is drawn from the meeting's seed; sox runs in repeatable mode (-R), ffmpeg bit-exact,
so the same tools make the same files on another machine.

Needs espeak-ng, sox and ffmpeg (scripts/make-corpus installs them on Debian).
Usage: python3 scripts/corpus/make_corpus.py [OUT] [--only ID ...] [--force]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import voices
from meeting_text import Meeting

RATE = 16000
HERE = Path(__file__).resolve().parent
TOWNS = ["Riverton", "Millbrook", "Cedar Falls", "Lake Harbor", "Northfield", "Oak Ridge",
         "Pine City", "Fairview"]


def run(*cmd: str) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def seconds_of(path: Path) -> float:
    out = subprocess.run(["soxi", "-D", str(path)], check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def media_name(spec: dict) -> str:
    rng = random.Random(spec["seed"] * 7919)
    town = rng.choice(TOWNS)
    date = f"2026{rng.randint(9, 11):02d}{rng.randint(1, 28):02d}"
    return f"{spec['id']}-1-{town} {spec['body'].title()} ({date})"


class Recording:
    """Speech laid end to end with room silence between, and where each utterance falls."""

    def __init__(self, tmp: Path, seed: int = 0, mixed: bool = False) -> None:
        self.tmp, self.parts, self.truth, self.t = tmp, [], [], 0.0
        self.seed, self.mixed = seed, mixed

    def silence(self, seconds: float) -> None:
        p = self.tmp / f"p{len(self.parts)}.wav"
        run("sox", "-R", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(p),
            "trim", "0", f"{seconds:.3f}")
        self.parts.append(p)
        self.t += seconds

    def say(self, speaker, text: str, loudness: float) -> None:
        raw = self.tmp / f"r{len(self.parts)}.wav"
        engine = voices.engine_for(self.seed, speaker.name, self.mixed)
        voices.speak(engine, speaker.voice, speaker.speed, text, raw, self.tmp)
        seg = self.tmp / f"s{len(self.parts)}.wav"
        # Trim the engine's own leading and trailing silence so the truth times are tight.
        run("sox", "-R", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(seg),
            "silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse",
            "vol", f"{loudness:.2f}")
        raw.unlink()
        d = seconds_of(seg)
        self.parts.append(seg)
        self.truth.append({"start": round(self.t, 3), "end": round(self.t + d, 3),
                           "speaker": f"{speaker.role} {speaker.name}",
                           "voice": speaker.voice if engine == "espeak" else engine,
                           "speed": speaker.speed, "text": text,
                           # Where the clean voice sounds (before room, noise and music).
                           "voiced": voices.voiced(seg, self.t)})
        self.t += d

    def write(self, path: Path) -> None:
        listing = self.tmp / "list.txt"
        listing.write_text("".join(f"file '{p}'\n" for p in self.parts))
        run("ffmpeg", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", str(listing),
            "-c", "copy", str(path))


def script(spec: dict, rng: random.Random, meeting: Meeting, rec: Recording, music: float) -> None:
    """Speak the meeting until it has run `minutes`, with recesses spread through it."""
    target = spec["minutes"] * 60.0
    recesses = [target * (k + 1) / (spec["recess"] + 1) for k in range(spec["recess"])]
    rec.silence(max(2.0, music * 0.3))   # music alone before the chair speaks
    items, number = meeting.opening(), 1
    while True:
        for item in items:
            if item[0] == "pause":
                rec.silence(item[1])
                continue
            rec.say(item[1], item[2], loudness=rng.uniform(0.55, 1.0))
            rec.silence(rng.choice([0.4, 0.6, 0.8, 1.0, 1.3, 1.8]))
        if items and items[-1][0] == "say" and "adjourned" in items[-1][2]:
            return
        if recesses and rec.t >= recesses[0]:
            recesses.pop(0)
            items = meeting.recess(rng.randint(2, 4))
        elif rec.t >= target - 25:
            items = meeting.closing()
        else:
            number += 1
            items = meeting.item(number)


def render(spec: dict, out: Path) -> dict:
    name = media_name(spec)
    media = out / f"{name}.{spec['format']}"
    rng = random.Random(spec["seed"])
    meeting = Meeting(spec["body"], spec["pace"], random.Random(spec["seed"] + 1000))
    with tempfile.TemporaryDirectory(prefix="archivist-corpus-") as tmp_name:
        tmp = Path(tmp_name)
        rec = Recording(tmp, spec["seed"], spec.get("voices", "espeak") == "mixed")
        script(spec, rng, meeting, rec, float(spec["music"]))
        speech = tmp / "speech.wav"
        rec.write(speech)
        length = f"{rec.t:.3f}"
        if spec.get("reverb"):   # a reverberant room (sox's reverberance, 0-100)
            wet = tmp / "speech-room.wav"
            run("sox", "-R", str(speech), str(wet), "reverb", str(spec["reverb"]))
            speech = wet
        layers = [speech]
        if spec["noise"]:
            noise = tmp / "noise.wav"
            run("sox", "-R", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(noise),
                "synth", length, "brownnoise", "vol", str(spec["noise"]))
            layers.append(noise)
        if spec["hum"]:
            hum = tmp / "hum.wav"   # mains hum: 60 Hz with its odd harmonics
            run("sox", "-R", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(hum),
                "synth", length, "square", "60", "lowpass", "400", "vol", str(spec["hum"] * 4))
            layers.append(hum)
        if spec["music"]:
            bed = tmp / "music.wav"   # a slow chord loop that fades out under the opening words
            m = float(spec["music"])
            chords = [("C4", "E4", "G4"), ("A3", "C4", "E4"), ("F3", "A3", "C4"), ("G3", "B3", "D4")]
            pieces = []
            for k in range(int(m // 2) + 1):
                c = chords[k % len(chords)]
                p = tmp / f"chord{k}.wav"
                run("sox", "-R", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(p),
                    "synth", "2", "pluck", c[0], "pluck", c[1], "pluck", c[2], "remix", "-",
                    "vol", "0.5")
                pieces.append(str(p))
            run("sox", "-R", *pieces, str(bed), "trim", "0", f"{m:.3f}", "fade", "t", "1",
                f"{m:.3f}", f"{m * 0.4:.3f}", "vol", "0.35")
            layers.append(bed)
        mixed = tmp / "mixed.wav"
        if len(layers) > 1:
            mix = [a for layer in layers for a in ("-v", "1", str(layer))]
            run("sox", "-R", "-m", *mix, str(mixed), "trim", "0", length)
        else:
            mixed = speech
        video = ["-f", "lavfi", "-i", f"color=c=navy:s=320x180:r=30000/1001:d={length}"]
        if spec["format"] == "mp4":
            codecs = ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "stillimage", "-crf",
                      "40", "-c:a", "aac", "-b:a", "48k", "-ar", "48000", "-movflags", "+faststart"]
        else:
            codecs = ["-c:v", "mpeg2video", "-q:v", "20", "-c:a", "mp2", "-b:a", "128k",
                      "-ar", "48000", "-ac", "2"]
        run("ffmpeg", "-y", "-loglevel", "error", *video, "-i", str(mixed), "-shortest",
            "-map_metadata", "-1", "-fflags", "+bitexact", "-flags", "+bitexact", *codecs,
            str(media))
    settings = {**{k: spec[k] for k in ("body", "minutes", "noise", "hum", "music", "pace",
                                        "recess", "format", "seed")},
                "voices": spec.get("voices", "espeak"), "reverb": spec.get("reverb", 0)}
    media.with_suffix(".txt").write_text("".join(u["text"] + "\n" for u in rec.truth),
                                         encoding="utf-8")
    media.with_suffix(".json").write_text(json.dumps(
        {"media": media.name, "duration": round(rec.t, 3), "split": spec["split"],
         "settings": settings, "utterances": rec.truth}, indent=1), encoding="utf-8")
    return {"media": media.name, "split": spec["split"], "duration": round(rec.t, 1),
            "utterances": len(rec.truth), **settings}


README = """Archivist development corpus (made by scripts/make-corpus; do not edit, regenerate)

Synthetic public meetings: espeak-ng voices at several speeds, room silence, recesses, and where
the settings say so brown background noise, mains hum and a music bed under the opening.
Beside each recording: .txt (the words, one utterance a line) and .json (each utterance with its
start and end seconds in the media, its speaker, voice and speed).

split dev:  choose settings on these.   split held: report on these (held back).

{table}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("ARCHIVIST_CORPUS", str(Path.home() / ".cache/archivist/corpus"))
    parser.add_argument("out", nargs="?", type=Path, default=Path(default))
    parser.add_argument("--only", type=int, action="append", help="render only these ids")
    parser.add_argument("--force", action="store_true", help="render even if present")
    args = parser.parse_args()
    specs = yaml.safe_load((HERE / "manifest.yml").read_text())["meetings"]
    args.out.mkdir(parents=True, exist_ok=True)
    listing = args.out / "manifest.json"
    entries = {e["id"]: e for e in json.loads(listing.read_text())} if listing.exists() else {}
    for spec in specs:
        if args.only and spec["id"] not in args.only:
            continue
        media = args.out / f"{media_name(spec)}.{spec['format']}"
        done = all(media.with_suffix(s).exists() for s in (media.suffix, ".txt", ".json"))
        if done and not args.force and spec["id"] in entries:
            print(f"{media.name}: present", file=sys.stderr)
            continue
        started = time.perf_counter()
        entries[spec["id"]] = {"id": spec["id"], **render(spec, args.out)}
        e = entries[spec["id"]]
        print(f"{e['media']}: {e['duration'] / 60:.1f} min, {e['utterances']} utterances, "
              f"{spec['split']} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        ordered = [entries[s["id"]] for s in specs if s["id"] in entries]
        listing.write_text(json.dumps(ordered, indent=1))
        table = "\n".join(
            f"{e['split']:<5} {e['duration'] / 60:5.1f} min  noise {e['noise']:<5} hum "
            f"{e['hum']:<5} music {e['music']:>2} s  {e['pace']:<6} recesses {e['recess']}  "
            f"{e['media']}" for e in ordered)
        (args.out / "README").write_text(README.format(table=table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
