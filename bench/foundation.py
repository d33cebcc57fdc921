"""Foundation benchmark: import cost of the entrypoints, and the main job against bare faster-whisper.

Prints, side by side in one run:
  * cold import time of the web entrypoint (with create_app()) and of the worker entrypoint,
    each against importing their unavoidable dependencies alone;
  * wall time of `archivist transcribe` on a corpus recording against a bare faster-whisper
    call with the same model and settings (both in fresh processes, alternated).

Usage: .venv/bin/python bench/foundation.py [--media FILE] [--runs N] [--import-runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "media"
DEFAULT_MEDIA = CORPUS / "1003-1-Riverton City Council (20261117).mp4"

IMPORTS = {
    "web entrypoint + create_app()":
        "import archivist.entrypoints.web as w; w.create_app()",
    "  baseline: flask, dependency_injector, yaml":
        "import flask, dependency_injector.containers, dependency_injector.providers, "
        "dependency_injector.wiring, yaml",
    "worker entrypoint":
        "import archivist.entrypoints.worker",
    "  baseline: celery, dependency_injector, yaml":
        "import celery, dependency_injector.containers, dependency_injector.providers, yaml",
}

BARE = """
import sys, time
from faster_whisper import BatchedInferencePipeline, WhisperModel
from archivist import containers
from archivist.adapters.whisper import resolve_model
from archivist.providers import settings
config = settings.load()
w = config["whisper"]
source, _ = resolve_model(w["model"])
model = WhisperModel(source, device=w["device"], compute_type=w["compute_type"],
                     cpu_threads=w["cpu_threads"])
opts = containers.build(config).transcriber().options()  # what the pipeline passes
if w["batch_size"] > 0:
    model = BatchedInferencePipeline(model)
segments, info = model.transcribe(sys.argv[1], **opts)
print(sum(len(s.words) for s in segments), "words")
"""


def timed(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def import_seconds(code: str, env: dict[str, str]) -> float:
    """Time of the import statement itself inside a fresh interpreter."""
    probe = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", probe], check=True, env=env,
                         capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--media", type=Path, default=DEFAULT_MEDIA)
    parser.add_argument("--runs", type=int, default=2, help="runs of each transcription")
    parser.add_argument("--import-runs", type=int, default=15)
    args = parser.parse_args()

    # Everything the runs write (database, queue, captions) goes here, and goes when we finish.
    with tempfile.TemporaryDirectory(prefix="archivist-bench-") as data:
        run(args, data)


def run(args: argparse.Namespace, data: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIST_")}
    env["ARCHIVIST_DATA_DIR"] = data

    print(f"== cold import, median of {args.import_runs} fresh interpreters")
    results = {name: [] for name in IMPORTS}
    for _ in range(args.import_runs):  # interleaved, so machine noise hits all alike
        for name, code in IMPORTS.items():
            results[name].append(import_seconds(code, env))
    medians = {name: statistics.median(v) for name, v in results.items()}
    names = list(IMPORTS)
    for subject, baseline in ((names[0], names[1]), (names[2], names[3])):
        ratio = medians[subject] / medians[baseline]
        print(f"{subject:<48} {medians[subject] * 1000:8.1f} ms   {ratio:5.2f}x baseline")
        print(f"{baseline:<48} {medians[baseline] * 1000:8.1f} ms")

    if args.runs < 1:
        return
    if not args.media.exists():
        print(f"(no {args.media}: transcription benchmark skipped)")
        return
    print(f"\n== transcription of {args.media.name}, {args.runs} run(s) each, alternated")
    ours, bare = [], []
    for i in range(args.runs):
        out = Path(data) / f"out{i}"
        bare.append(timed(BARE.replace("sys.argv[1]", repr(str(args.media))), env))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", "transcribe",
                        str(args.media), "--out", str(out), "--force"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        ours.append(time.perf_counter() - start)
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"{'archivist transcribe (all 5 formats, DB, hash)':<48} {o:8.1f} s    {o / b:5.2f}x baseline")
    print(f"{'  baseline: bare faster-whisper, same settings':<48} {b:8.1f} s")
    print(f"runs: ours {', '.join(f'{x:.1f}' for x in ours)}; bare {', '.join(f'{x:.1f}' for x in bare)}")


if __name__ == "__main__":
    main()
