"""The live session's files when the disk refuses the HLS rendition: the captions to the
encoder and the transcript go on; only the web's segments are missing."""

from __future__ import annotations

import json
import time
from datetime import datetime, tzinfo
from pathlib import Path

import pytest

from archivist.adapters.live import files
from archivist.adapters.live.files import LiveFolder
from archivist.domain.live.rollup import Row
from archivist.domain.live.subtitles import playlist_text


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


def test_a_stalled_session_still_lists_its_segments_on_time(tmp_path: Path) -> None:
    """A decode that holds up the session's status for 10 s: the segments keep to the wall
    clock, with the rows sent before the stall; rows sent after their segment come next."""
    folder = LiveFolder(tmp_path, "Riverton")
    folder.began("udp://127.0.0.1:5999")
    session = folder.session_path()
    assert session is not None
    folder.rows([Row(1.0, 3.0, "Good evening."), Row(7.0, 9.0, "Item one.")])
    reported = time.time()
    folder.status({"stream_seconds": 11.0, "updated": reported})   # then nothing for 10 s
    listed: dict[str, float] = {}
    while time.time() < reported + 10.0:
        playlist = (session / "captions.m3u8").read_text()
        for name in ("00000.vtt", "00001.vtt"):
            if name in playlist and name not in listed:
                listed[name] = time.time() - reported
        time.sleep(0.05)
    # Due 1 s and 7 s after the status (stream 12 s and 18 s): on time, give or take a loaded machine.
    assert 1.0 <= listed["00000.vtt"] < 2.5 and 7.0 <= listed["00001.vtt"] < 8.5, listed
    assert "Good evening." in (session / "captions" / "00000.vtt").read_text()
    assert "Item one." in (session / "captions" / "00001.vtt").read_text()
    folder.rows([Row(10.0, 12.0, "Sent after the stall.")])   # its segment (6-12 s) is out
    folder.status({"stream_seconds": 21.5, "updated": time.time()})
    folder.ended()
    assert "00:00:10.000 --> 00:00:12.000\nSent after the stall." in (
        session / "captions" / "00002.vtt").read_text()
    assert "#EXT-X-ENDLIST" in (session / "captions.m3u8").read_text()


def test_a_session_restarted_after_a_kill_carries_its_captions_playlist_on(tmp_path: Path) -> None:
    """What a killed session leaves on disk: a playlist with no end, segments 0-3 listed.
    The session started after it lists its segments after those, with no discontinuity (the
    station's video has none there)."""
    folder = LiveFolder(tmp_path, "Riverton")
    killed = folder.path / "sessions" / "20260101T000000Z"
    (killed / "captions").mkdir(parents=True)
    (killed / "captions.m3u8").write_text(playlist_text(
        4, "captions/20260101T000000Z/{:05d}.vtt", 1_800_000_000.0, ended=False))
    folder.began("udp://127.0.0.1:5999")
    session = folder.session_path()
    assert session is not None and session != killed
    assert "#EXT-X-MEDIA-SEQUENCE:4\n" in (session / "captions.m3u8").read_text()
    folder.rows([Row(1.0, 3.0, "We are back.")])
    folder.status({"stream_seconds": 12.5, "updated": time.time()})
    folder.ended()
    playlist = (session / "captions.m3u8").read_text()
    assert "#EXT-X-MEDIA-SEQUENCE:4\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n" in playlist
    assert "#EXT-X-DISCONTINUITY\n" not in playlist
    assert f"captions/{session.name}/00000.vtt" in playlist


def test_a_session_restarted_within_the_same_second_gets_a_folder_of_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A session killed and started again (`Restart=on-failure`, the supervisor) within one
    second took the killed one's folder, named by the second it began: the new transcript
    went on the end of the old, and the playlist began again at segment 0 instead of carrying
    the killed one on. Each is a session of its own; the second carries the first's playlist on."""
    monkeypatch.setattr(files, "datetime", _FrozenClock)
    killed = LiveFolder(tmp_path, "Riverton")   # one process, killed: never ended
    killed.began("udp://127.0.0.1:5999")
    killed.rows([Row(1.0, 3.0, "Before the kill.")])
    killed.status({"stream_seconds": 13.0, "updated": time.time()})
    killed._hls.end()   # its writer thread, as the kill stops it; the playlist keeps no end
    playlist = (killed.path / "sessions" / "20261206T230000Z" / "captions.m3u8").read_text()
    assert "#EXT-X-ENDLIST" in playlist   # what end() writes ...
    (killed.path / "sessions" / "20261206T230000Z" / "captions.m3u8").write_text(
        playlist.replace("#EXT-X-ENDLIST\n", ""))   # ... which a kill never does
    restarted = LiveFolder(tmp_path, "Riverton")   # the next process, the same second
    restarted.began("udp://127.0.0.1:5999")
    assert restarted.session_names() == ["20261206T230000Z", "20261206T230000Z-2"]
    assert restarted.session_path() == restarted.path / "sessions" / "20261206T230000Z-2"
    first = [json.loads(line)["kind"] for line in
             (killed.path / "sessions" / "20261206T230000Z" / "transcript.jsonl").open()]
    assert first == ["began", "row"]
    listed = playlist.count("#EXTINF:")   # the killed session's segments: the new ones follow
    assert listed >= 2
    assert f"#EXT-X-MEDIA-SEQUENCE:{listed}\n" in (restarted.session_path() / "captions.m3u8").read_text()
    restarted.ended()
    for n in range(3, 12):   # and again, each after the last
        again = LiveFolder(tmp_path, "Riverton")
        again.began("udp://127.0.0.1:5999")
        again.ended()
        assert again.current == f"20261206T230000Z-{n}"
        assert again.session_names()[-1] == again.current


class _FrozenClock(datetime):
    """Every session begins in the same second."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _FrozenClock:
        return cls(2026, 12, 6, 23, 0, 0, 500_000, tzinfo=tz)
