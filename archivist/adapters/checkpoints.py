"""The CheckpointStore port on files in the data dir: one JSON file per recording, written
whole and renamed into place, with the floats exactly as decoded (so a resumed transcript's
earlier half is the very one the interrupted attempt produced)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from archivist.domain.models import Segment, Word

log = logging.getLogger("archivist.jobs")
VERSION = 1


class FolderCheckpoints:
    """Checkpoints in `folder` (made on the first save)."""

    def __init__(self, folder: str | Path) -> None:
        self._folder = Path(folder)

    def load(self, recording_id: int) -> tuple[Sequence[Segment], Mapping[str, Any]]:
        try:
            data = json.loads(self._path(recording_id).read_text(encoding="utf-8"))
            if data.get("version") != VERSION:
                return (), {}
            return tuple(Segment(s["start"], s["end"], s["text"],
                                 tuple(Word(*w) for w in s["words"]), s["avg_logprob"],
                                 s["no_speech_prob"], s["compression_ratio"])
                         for s in data["segments"]), dict(data["context"])
        except FileNotFoundError:
            return (), {}
        except (OSError, ValueError, KeyError, TypeError) as exc:   # start again, say why
            log.warning("checkpoint unreadable", extra={"recording": recording_id,
                                                        "error": str(exc)[:200]})
            return (), {}

    def save(self, recording_id: int, segments: Sequence[Segment],
             context: Mapping[str, Any]) -> None:
        data = {"version": VERSION, "context": dict(context), "segments": [
            {"start": s.start, "end": s.end, "text": s.text,
             "words": [[w.start, w.end, w.word, w.probability] for w in s.words],
             "avg_logprob": s.avg_logprob, "no_speech_prob": s.no_speech_prob,
             "compression_ratio": s.compression_ratio} for s in segments]}
        path = self._path(recording_id)
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            partial.replace(path)
        except OSError as exc:   # the job goes on; only its resume is lost
            log.warning("checkpoint not saved", extra={"recording": recording_id,
                                                       "error": exc.strerror or str(exc)})
            return
        log.info("checkpoint saved", extra={"recording": recording_id,
                                            "segments": len(segments),
                                            "until": round(segments[-1].end, 1)})

    def drop(self, recording_id: int) -> None:
        try:
            self._path(recording_id).unlink(missing_ok=True)
        except OSError as exc:
            log.warning("checkpoint not removed", extra={"recording": recording_id,
                                                         "error": exc.strerror or str(exc)})

    def _path(self, recording_id: int) -> Path:
        return self._folder / f"recording-{int(recording_id)}.json"
