"""The CheckpointStore port beside the queue: in Redis when it is the broker (every machine of
the station sees it), else in files of the data dir (the one machine). One JSON document per
recording, written whole, with the floats exactly as decoded (so a resumed transcript's earlier
half is the very one the interrupted attempt produced)."""

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


# A checkpoint nobody came back for (its recording deleted, say) is gone after this long.
_KEEP_SECONDS = 14 * 24 * 3600


class QueueCheckpoints:
    """Checkpoints in Redis (`client`), or in `folder` (made on the first save) without one."""

    def __init__(self, client: Any, folder: str | Path, queue: str) -> None:
        self._client = client
        self._folder = Path(folder)
        self._prefix = f"archivist:{queue}:checkpoint:"

    def load(self, recording_id: int) -> tuple[Sequence[Segment], Mapping[str, Any]]:
        try:
            data = json.loads(self._read(recording_id))
            if data.get("version") != VERSION:
                return (), {}
            return tuple(Segment(s["start"], s["end"], s["text"],
                                 tuple(Word(*w) for w in s["words"]), s["avg_logprob"],
                                 s["no_speech_prob"], s["compression_ratio"])
                         for s in data["segments"]), dict(data["context"])
        except FileNotFoundError:
            return (), {}
        except Exception as exc:   # unreadable, or Redis away: start again, and say why
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
        try:
            self._write(recording_id, json.dumps(data, ensure_ascii=False))
        except Exception as exc:   # the job goes on; only its resume is lost
            log.warning("checkpoint not saved", extra={"recording": recording_id,
                                                       "error": str(exc)[:200]})
            return
        log.info("checkpoint saved", extra={"recording": recording_id,
                                            "segments": len(segments),
                                            "until": round(segments[-1].end, 1)})

    def drop(self, recording_id: int) -> None:
        try:
            if self._client is not None:
                self._client.delete(self._prefix + str(int(recording_id)))
            else:
                self._path(recording_id).unlink(missing_ok=True)
        except Exception as exc:   # it is never resumed (jobs of that recording are over)
            log.warning("checkpoint not removed", extra={"recording": recording_id,
                                                         "error": str(exc)[:200]})

    def _read(self, recording_id: int) -> str:
        if self._client is None:
            return self._path(recording_id).read_text(encoding="utf-8")
        found = self._client.get(self._prefix + str(int(recording_id)))
        if found is None:
            raise FileNotFoundError(recording_id)
        return bytes(found).decode("utf-8")

    def _write(self, recording_id: int, text: str) -> None:
        if self._client is not None:
            self._client.set(self._prefix + str(int(recording_id)), text, ex=_KEEP_SECONDS)
            return
        path = self._path(recording_id)
        self._folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)

    def _path(self, recording_id: int) -> Path:
        return self._folder / f"recording-{int(recording_id)}.json"
