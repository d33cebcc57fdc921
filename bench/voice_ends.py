"""How each utterance of a corpus recording ends: the sound's level around its last voiced end.

For each utterance (its last voiced stretch, from the corpus's `.json`), one line: the end's
time, the voice, its loudest 10-ms frame over the local noise floor (the 10th percentile of the
levels 3 s either side, as the word-edge fitting takes it: adapters/whisper/voicing.py), whether
the fitting's threshold there is set by the noise ("noise": FLOOR_DB over the floor is above
DROP_DB under the loudest) or by the voice's own drop ("drop"), and then the level of every
second frame from 0.1 s before the voiced end to 0.4 s after it, in dB over the floor (the 6th
column is the end). A voice fading into noise shows as a few frames under FLOOR_DB before the
end; a reverberant room's ring as frames still 4-10 dB over the floor after it. No model runs.

Usage: .venv/bin/python bench/voice_ends.py MEDIA [HOW_MANY]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from archivist.adapters.whisper import audio, voicing


def main() -> int:
    media = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else None
    data = json.loads(media.with_suffix(".json").read_text())
    with audio.spool(media) as sound:
        levels = voicing.levels(sound)
    frames = round(voicing.FLOOR_SECONDS / voicing.FRAME)
    for utterance in data["utterances"][:count]:
        start, end = utterance["voiced"][-1]
        a, b = int(start / voicing.FRAME), int(end / voicing.FRAME)
        floor = float(np.percentile(levels[max(0, a - frames):b + frames], 10))
        loudest = float(levels[a:b].max())
        bound = ("noise" if floor + voicing.FLOOR_DB > loudest - voicing.DROP_DB else "drop")
        print(f"{end:8.2f} {utterance.get('voice', '')[:14]:<14} loudest {loudest - floor:5.1f} "
              f"{bound:<5}", " ".join(f"{x - floor:3.0f}" for x in levels[b - 10:b + 40:2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
