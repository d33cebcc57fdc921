"""Memory benchmark: peak resident memory of transcribing a short and a very long recording.

Prints, side by side in one run, the peak RSS of a fresh process transcribing:
  * a 2-minute and a 3-hour recording with `archivist`'s transcriber (sound spooled to a
    temporary file, VAD and spectrogram read from it a block at a time), the target being
    within 1.5x of each other;
  * the same 2-minute recording, and a 20-minute one, with bare faster-whisper (the same model
    and options, whole file at once), and its 3-hour figure extrapolated linearly from those two
    (or measured with --bare-long, which takes as long as our 3-hour run and several GB).
The 2-minute recording is a corpus meeting's opening. The longer ones loop that opening with
8 minutes of quiet room noise after it (a recess), so that a 3-hour recording holds 36 minutes
of speech: a 3-hour run of non-stop speech takes over an hour of CPU with beam 5 on the bundled
model, too long for a two-core machine. (--speech makes them non-stop speech instead.) Media is
made with ffmpeg into ~/.cache/archivist/memory/ once and kept there (never in the project).

Usage: nice -n 10 .venv/bin/python bench/memory.py [--media FILE] [--bare-long]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "media"
DEFAULT_MEDIA = CORPUS / "1003-1-Riverton City Council (20261117).mp4"
CACHE = Path.home() / ".cache" / "archivist" / "memory"
LENGTHS = {"2 min": 120, "20 min": 1200, "3 h": 3 * 3600}

# Each run is a fresh process; it prints its peak RSS (KiB on Linux) and how many words it heard.
OURS = """
import json, resource, sys
from pathlib import Path
from archivist import containers
from archivist.providers import settings
t = containers.build(settings.load()).transcriber()
transcript = t.transcribe(Path(sys.argv[1]), lambda *_: None, lambda: False)
words = sum(len(s.words) for s in transcript.segments)
print(json.dumps({"rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "words": words}))
"""
BARE = """
import json, resource, sys
from faster_whisper import WhisperModel
from archivist import containers
from archivist.adapters.whisper.models import locate
from archivist.providers import settings
config = settings.load()
w = config["whisper"]
source = locate(w["model"], config["data_dir"], w["allow_download"]).source
model = WhisperModel(source, device=w["device"], compute_type=w["compute_type"],
                     cpu_threads=w["cpu_threads"])
opts = containers.build(config).transcriber().options()
segments, _info = model.transcribe(sys.argv[1], **opts)
words = sum(len(s.words or ()) for s in segments)
print(json.dumps({"rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "words": words}))
"""


def recording(source: Path, seconds: int, speech: bool) -> Path:
    """`source`'s first 2 minutes, looped to `seconds` (with a recess after each unless
    `speech`, see above), made once in the cache."""
    kind = "speech" if speech or seconds <= LENGTHS["2 min"] else "recess"
    out = CACHE / f"{source.stem[:4]}-{seconds}s-{kind}.m4a"
    if out.exists():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(".partial-" + out.name)
    if kind == "speech":
        unit = [str(source)]
    else:  # ten minutes: the opening, then the recess; looped below without re-encoding
        unit = CACHE / f"{source.stem[:4]}-600s-recess.m4a"
        if not unit.exists():
            _ffmpeg("-i", str(source), "-f", "lavfi", "-i",
                    "anoisesrc=color=pink:amplitude=0.003:sample_rate=16000:duration=480",
                    "-filter_complex", "[0:a]atrim=0:120,aresample=16000,"
                    "aformat=channel_layouts=mono[s];[s][1:a]concat=n=2:v=0:a=1[out]",
                    "-map", "[out]", "-c:a", "aac", "-b:a", "64k", str(unit))
        unit = [str(unit)]
    _ffmpeg("-stream_loop", "-1", "-i", *unit, "-t", str(seconds), "-vn", "-c", "copy", str(partial))
    partial.rename(out)
    return out


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def peak(code: str, media: Path) -> tuple[float, int, float]:
    """(peak RSS in MB, words heard, seconds) of one fresh process."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(media)], check=True,
                          capture_output=True, text=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures["rss_kib"] / 1024, figures["words"], time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--media", type=Path, default=DEFAULT_MEDIA)
    parser.add_argument("--bare-long", action="store_true", help="measure bare faster-whisper on 3 h too")
    parser.add_argument("--speech", action="store_true", help="long recordings of non-stop speech")
    args = parser.parse_args()
    if not args.media.exists():
        sys.exit(f"no {args.media}")
    files = {label: recording(args.media, seconds, args.speech) for label, seconds in LENGTHS.items()}

    print(f"== peak RSS transcribing {', '.join(p.name for p in files.values())} "
          f"(from {args.media.name})")
    print(f"{'':34} {'peak RSS':>10} {'words':>7} {'wall':>8}")
    rows: dict[str, float] = {}
    runs = [("archivist", "2 min", OURS), ("archivist", "3 h", OURS),
            ("bare faster-whisper", "2 min", BARE), ("bare faster-whisper", "20 min", BARE)]
    if args.bare_long:
        runs.append(("bare faster-whisper", "3 h", BARE))
    for who, label, code in runs:
        mb, words, seconds = peak(code, files[label])
        rows[f"{who} {label}"] = mb
        print(f"{who + ' ' + label:<34} {mb:8.0f} MB {words:7d} {seconds:7.0f}s", flush=True)

    ours = rows["archivist 3 h"] / rows["archivist 2 min"]
    print(f"\narchivist: 3 h / 2 min = {ours:.2f}x (target <= 1.5x)  {'MET' if ours <= 1.5 else 'NOT MET'}")
    short, mid = rows["bare faster-whisper 2 min"], rows["bare faster-whisper 20 min"]
    if "bare faster-whisper 3 h" in rows:
        long, how = rows["bare faster-whisper 3 h"], "measured"
    else:
        per_second = (mid - short) / (LENGTHS["20 min"] - LENGTHS["2 min"])
        long, how = mid + per_second * (LENGTHS["3 h"] - LENGTHS["20 min"]), "extrapolated from 2 and 20 min"
    print(f"bare faster-whisper: 3 h ~ {long:.0f} MB ({how}), {long / short:.1f}x its 2-minute peak; "
          f"{(mid - short) / 18:.0f} MB per minute of audio")


if __name__ == "__main__":
    main()
