"""Run by `archivist models --probe`, one process per model: transcribe a recording with the
model after --model (else the configured whisper.model) and print what it cost (JSON) on
standard output."""

from __future__ import annotations

import json
import resource
import sys
import time


def main(argv: list[str]) -> int:
    from pathlib import Path

    from archivist import containers
    from archivist.providers import settings

    media = Path(argv[0])
    config_path = argv[argv.index("--config") + 1] if "--config" in argv else None
    config = settings.load(config_path)
    if "--model" in argv:
        config["whisper"]["model"] = argv[argv.index("--model") + 1]
    transcriber = containers.build(config).transcriber()
    transcriber.load()  # load first: the figure is recognition, not reading the model
    cpu, wall = time.process_time(), time.monotonic()
    transcript = transcriber.transcribe(media, lambda *_: None, lambda: False)
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    minutes = max(transcript.duration, 1e-9) / 60
    print(json.dumps({"cpu_s_per_audio_min": round(cpu / minutes, 2),
                      "realtime": round(transcript.duration / max(wall, 1e-9), 1),
                      "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
