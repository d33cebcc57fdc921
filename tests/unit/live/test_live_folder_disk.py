"""The live session's files when the disk refuses the HLS rendition: the captions to the
encoder and the transcript go on; only the web's segments are missing."""

from __future__ import annotations

import json
from pathlib import Path

from archivist.adapters.live.files import LiveFolder
from archivist.domain.live.rollup import Row


def test_hls_segments_the_disk_refuses_cost_the_session_nothing(tmp_path: Path) -> None:
    folder = LiveFolder(tmp_path, "Riverton")
    assert folder.claim()
    folder.began("udp://127.0.0.1:5999")
    session = folder.session_path()
    assert session is not None
    (session / "captions" / "00000.vtt").mkdir()   # the first segment cannot be written
    folder.rows([Row(1.0, 3.5, "Good evening everyone.")])
    for second in (6.0, 12.5, 18.0):
        folder.status({"city": "Riverton", "state": "running", "stream_seconds": second,
                       "updated": 1_800_000_000.0 + second})
    folder.ended()
    events = [json.loads(line) for line in (session / "transcript.jsonl").read_text().splitlines()]
    assert [e["kind"] for e in events][-1] == "ended"
    assert "Good evening everyone." in (session / "captions.vtt").read_text()
    assert json.loads((folder.path / "status.json").read_text())["stream_seconds"] == 18.0
