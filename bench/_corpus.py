"""Where the benchmarks find their recordings, and where they keep what they measured.

The development corpus is made by scripts/make-corpus into $ARCHIVIST_CORPUS (default
~/.cache/archivist/corpus); its manifest.json says which half each recording belongs to:
`dev` (settings are chosen on it) or `held` (figures are reported on it). The three recordings
in ../shared/corpus, when present, are an `extra` set.

Speed is measured in wall seconds and in CPU seconds (user + system, every thread): on a machine
shared with other work the wall time swings with the load, the CPU time much less.

Transcripts are cached under $ARCHIVIST_BENCH_CACHE (default ~/.cache/archivist/bench), keyed by
the code and settings that made them, so scoring again costs nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("ARCHIVIST_CORPUS", Path.home() / ".cache/archivist/corpus"))
EXTRA = Path(os.environ.get("ARCHIVIST_EXTRA_CORPUS", ROOT.parent / "shared" / "corpus" / "media"))
CACHE = Path(os.environ.get("ARCHIVIST_BENCH_CACHE", Path.home() / ".cache/archivist/bench"))
SPLITS = ("held", "dev", "extra")


def recordings(split: str) -> list[Path]:
    """The recordings of one split, shortest first (an empty list when it is not made yet)."""
    if split == "extra":
        return sorted([*EXTRA.glob("*.mp4"), *EXTRA.glob("*.ts")])
    listing = CORPUS / "manifest.json"
    if not listing.exists():
        return []
    entries = [e for e in json.loads(listing.read_text()) if e["split"] == split]
    entries.sort(key=lambda e: e["duration"])
    return [CORPUS / e["media"] for e in entries if (CORPUS / e["media"]).exists()]


def split_of(media: Path) -> str:
    """Which split a recording belongs to ("held", "dev", "extra"), or "given" if none."""
    if media.resolve().parent == EXTRA.resolve():
        return "extra"
    data = json.loads(media.with_suffix(".json").read_text())
    return str(data.get("split", "given"))


def duration(media: Path) -> float:
    """The recording's length in seconds, from its ground truth."""
    return float(json.loads(media.with_suffix(".json").read_text())["duration"])


def code_version() -> str:
    """A short hash of the archivist package as it is now (committed tree and any edits)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    digest = hashlib.sha256(git("rev-parse", "HEAD:archivist").encode())
    digest.update(git("diff", "HEAD", "--", "archivist").encode())
    return digest.hexdigest()[:12]


# How many threads a child computes with: OpenBLAS (numpy's matrix products, among them the Mel
# filters' multiply, whose last float32 bit follows how its threads split the sum), OpenMP
# (CTranslate2's decoding while whisper.cpu_threads is 0, the default) and MKL. Each library
# reads its variable once, when it loads, so a setting is put in a fresh child's environment
# before it starts; a parent's own setting is never inherited by accident.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def with_threads(env: dict[str, str], threads: int | None) -> dict[str, str]:
    """`env` for a child computing with `threads` threads in every library (None: none of the
    variables set, each library's default: all cores)."""
    out = {k: v for k, v in env.items() if k not in THREAD_VARIABLES}
    if threads:
        out.update({name: str(threads) for name in THREAD_VARIABLES})
    return out


def threads_of(env: dict[str, str]) -> str:
    """The thread setting `env` gives a child ("" for the libraries' defaults)."""
    return ",".join(f"{k}={env[k]}" for k in THREAD_VARIABLES if k in env)


def key(*parts: object) -> str:
    """A short stable name for a set of settings."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:12]


# -- the two transcribers every benchmark compares, run in fresh processes and cached ------------

# Bare faster-whisper: the configured model, the options the pipeline's transcriber passes,
# and the same seed for the sampling its temperature fallback does (unseeded, WER moves by up
# to 3 points between identical runs on the hard files; seeded, a difference is the code's).
BARE = """
import ctypes, json, sys
import ctranslate2
from faster_whisper import BatchedInferencePipeline, WhisperModel
from archivist import containers
from archivist.adapters.whisper.decoding import SEED
from archivist.adapters.whisper.models import locate
ctranslate2.set_random_seed(SEED)
from archivist.providers import settings

def blas_threads():
    # The threads numpy's OpenBLAS computes with, asked of the library itself (proof that the
    # environment's setting took), or None where it cannot be asked.
    import numpy  # noqa: F401  (loads OpenBLAS)
    libs = {line.split()[-1] for line in open("/proc/self/maps") if "openblas" in line.lower()}
    for lib in libs:
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_",
                     "openblas_get_num_threads"):
            try:
                return int(getattr(ctypes.CDLL(lib), name)())
            except (AttributeError, OSError):
                continue
    return None

config = settings.load()
w = config["whisper"]
if len(sys.argv) > 2:
    w["model"] = sys.argv[2]
source = locate(w["model"], config["data_dir"], w["allow_download"]).source
model = WhisperModel(source, device=w["device"], compute_type=w["compute_type"],
                     cpu_threads=w["cpu_threads"])
opts = containers.build(config).transcriber().options()  # what the pipeline passes
if w["batch_size"] > 0:
    model = BatchedInferencePipeline(model)
segments, info = model.transcribe(sys.argv[1], **opts)
print(json.dumps({"text": " ".join(s.text.strip() for s in segments), "options": repr(opts),
                  "blas_threads": blas_threads(), "cpu_threads": w["cpu_threads"]}))
"""


def settings_key(env: dict[str, str], model: str | None) -> str:
    """The cache key of a run: the archivist code, the settings overlay and the model."""
    overlay = env.get("ARCHIVIST_CONFIG", "")
    text = Path(overlay).read_text() if overlay else ""
    threads = threads_of(env)
    return key(code_version(), text, model_used(env, model), *([threads] if threads else []))


def model_used(env: dict[str, str], model: str | None) -> str:
    """The model a run with `env` uses: `model`, else the configured one, `auto` made the model
    it picks there (which moves with the extras installed and the costs measured: a run kept by
    the setting alone was scored later as another model's)."""
    from archivist.adapters.whisper import models
    from archivist.providers import settings

    if model and model != models.AUTO:
        return model
    config = settings.load(environ=env)
    return models.resolved(model or str(config["whisper"]["model"]), config["data_dir"])


def child_cpu() -> float:
    """CPU seconds used so far by finished child processes (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def stored(path: Path, fresh: bool, measure) -> dict:
    """What `measure()` returned for this path before (measured now if never, or if asked to,
    or if it was measured before CPU time was recorded)."""
    if path.exists() and not fresh:
        before = json.loads(path.read_text())
        if "cpu" in before:
            return {**before, "cached": True}
    result = measure()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**result, "measured": time.strftime("%Y-%m-%d %H:%M")}))
    return {**result, "cached": False}


def transcribe(media: Path, env: dict[str, str], model: str | None = None,
               fresh: bool = False) -> tuple[Path, dict]:
    """Caption `media` the way a user does (`archivist transcribe`); return the folder of its
    caption files and {"seconds": wall time, "cached": bool}."""
    out = CACHE / "captions" / settings_key(env, model) / media.stem

    def run() -> dict:
        started, cpu = time.perf_counter(), child_cpu()
        subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", "transcribe",
                        str(media), "--out", str(out), "--force",
                        *(["--model", model] if model else [])],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        return {"seconds": time.perf_counter() - started, "cpu": child_cpu() - cpu}

    return out, stored(out / "timing.json", fresh, run)


def bare(media: Path, env: dict[str, str], model: str | None = None,
         fresh: bool = False) -> dict:
    """Bare faster-whisper's text for `media`: {"text", "options", "blas_threads", "seconds",
    "cached"} (run with `env`'s thread setting: see with_threads)."""
    def run() -> dict:
        started, cpu = time.perf_counter(), child_cpu()
        out = subprocess.run([sys.executable, "-c", BARE, str(media), *([model] if model else [])],
                             check=True, env=env, capture_output=True, text=True).stdout
        return {**json.loads(out.strip().splitlines()[-1]),
                "seconds": time.perf_counter() - started, "cpu": child_cpu() - cpu}

    return stored(bare_path(media, env, model), fresh, run)


def bare_path(media: Path, env: dict[str, str], model: str | None) -> Path:
    """Where bare faster-whisper's run of `media` with these settings is kept."""
    return CACHE / "bare" / bare_key(env, model) / f"{media.stem}.json"


def bare_key(env: dict[str, str], model: str | None) -> str:
    """The cache key of a bare faster-whisper run: what it depends on (the settings overlay, the
    model, the options the pipeline passes, the seed, faster-whisper's version), not the rest of
    archivist's code, so a change to the transcriber measures archivist again but not bare."""
    import faster_whisper

    from archivist import containers
    from archivist.adapters.whisper.decoding import SEED
    from archivist.providers import settings

    overlay = env.get("ARCHIVIST_CONFIG", "")
    options = containers.build(settings.load(environ=env)).transcriber().options()
    threads = threads_of(env)
    return key("bare", Path(overlay).read_text() if overlay else "", model_used(env, model), options, SEED,
               faster_whisper.__version__, BARE, *([threads] if threads else []))
