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


def test_hls_cues_after_a_source_gap_are_on_the_sources_timeline(tmp_path):
    """The session counts a gap on wall time; the stream's timestamps say how long it really
    was. Rows after it are placed by the timestamps, as the video packaged from the stream is."""
    from archivist.adapters.live.files import LiveFolder
    from archivist.domain.live.rollup import Row

    folder = LiveFolder(tmp_path, "Riverton")
    folder.began("udp://127.0.0.1:5000")

    def status(stream: float, timestamp: float | None, opened_at: float) -> None:
        folder.status({"stream_seconds": stream, "updated": 1_800_000_000.0 + stream,
                       "source_timestamp": timestamp, "source_opened_at": opened_at})

    status(1.0, 1000.0, 0.0)
    folder.rows([Row(1.0, 3.0, "Before the gap.")])
    status(6.0, None, 0.0)             # lost at 6 s: no timestamp while down
    folder.gap(6.0, 12.0, 1_800_000_012.0)
    status(12.5, 1016.0, 12.0)         # back: its sound at session 12 s carries PTS 1016 s
    folder.rows([Row(13.0, 14.0, "After the gap.")])
    status(30.0, 1016.0, 12.0)
    folder.ended()
    session = folder.session_path()
    assert session is not None
    segments = sorted((session / "captions").iterdir())
    text = [s.read_text() for s in segments]
    assert all("X-TIMESTAMP-MAP=MPEGTS:90000000," in t for t in text)
    assert "00:00:01.000 --> 00:00:03.000\nBefore the gap." in text[0]
    # 13 s on the session's clock is 17 s on the stream's: segment 2 (12-18 s).
    assert "00:00:17.000 --> 00:00:18.000\nAfter the gap." in text[2]
    assert "After the gap." not in text[1] + text[3]
    assert "00:00:13.000 --> 00:00:14.000\nAfter the gap." in (session / "captions.vtt").read_text()


def test_live_webvtt_escapes_what_would_read_as_markup(tmp_path: Path) -> None:
    """WebVTT reads `&` and `<` as markup: a row's text is written escaped, in the session's
    file and in the HLS segments alike."""
    folder = LiveFolder(tmp_path, "Riverton")
    assert folder.claim()
    folder.began("udp://127.0.0.1:5999")
    session = folder.session_path()
    assert session is not None
    folder.rows([Row(1.0, 3.5, ">> Smith & Sons bid <5% under.")])
    for second in (6.0, 12.5, 18.0):
        folder.status({"city": "Riverton", "state": "running", "stream_seconds": second,
                       "updated": 1_800_000_000.0 + second})
    folder.ended()
    escaped = "&gt;&gt; Smith &amp; Sons bid &lt;5% under."
    assert escaped in (session / "captions.vtt").read_text()
    assert escaped in (session / "captions" / "00000.vtt").read_text()
    events = [json.loads(line) for line in (session / "transcript.jsonl").read_text().splitlines()]
    assert ">> Smith & Sons bid <5% under." in [e.get("text") for e in events]   # as said
