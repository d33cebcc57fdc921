"""What the same captions every time cost: each transcription decodes on the model's CTranslate2
part loaded anew (adapters/whisper/adapter.py, FasterWhisperTranscriber.fresh).

Prints, for one model: the CPU and wall seconds of loading that part (ten loads, median and
range), then, in one process, the bundled sample (A), the vocabulary clip (B) and A again, each
with its wall seconds and the process's peak resident memory so far, and whether A's two
transcripts say the same. Run it in a fresh process per model.

Usage: nice -n 19 .venv/bin/python bench/same_captions.py [--model tiny.en|base] [--data-dir D]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archivist.adapters.whisper import models  # noqa: E402
from archivist.adapters.whisper.adapter import FasterWhisperTranscriber  # noqa: E402
from tests.e2e.media import SAMPLE  # noqa: E402

CLIP = ROOT / "tests" / "adapters" / "media" / "oyelaran.mp3"


def _peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> None:
    import ctranslate2

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--data-dir", default="~/.local/share/archivist",
                        help="where the packaged base is joined (whisper's data_dir)")
    args = parser.parse_args()
    transcriber = FasterWhisperTranscriber(args.model, data_dir=args.data_dir)
    source = models.locate(args.model, args.data_dir, False).source
    wall, cpu = [], []
    for _ in range(10):
        started, used = time.perf_counter(), time.process_time()
        loaded = ctranslate2.models.Whisper(source, device="cpu", compute_type="int8")
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
        del loaded
    print(f"{args.model}: decoder load CPU s median {statistics.median(cpu):.2f} "
          f"({min(cpu):.2f}-{max(cpu):.2f}), wall s median {statistics.median(wall):.2f} "
          f"({min(wall):.2f}-{max(wall):.2f}); peak {_peak_mb()} MB")
    transcriber.load()
    texts = []
    for name, media in (("A", SAMPLE), ("B", CLIP), ("A", SAMPLE)):
        started = time.perf_counter()
        transcript = transcriber.transcribe(media, lambda *_: None, lambda: False)
        texts.append([s.text for s in transcript.segments])
        print(f"  {name} ({transcript.duration:.0f} s of sound): "
              f"{time.perf_counter() - started:.1f} s wall, peak {_peak_mb()} MB", flush=True)
    print(f"  A's two transcripts the same: {texts[0] == texts[2]}")


if __name__ == "__main__":
    main()
