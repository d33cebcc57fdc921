"""A damaged packet in a recording's sound costs its few milliseconds, whatever error FFmpeg's
decoder gives for it."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import av
import pytest

from archivist.adapters.whisper import audio
from archivist.domain.errors import MediaError


def tone(folder: Path) -> Path:
    path = folder / "tone.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=10",
                    "-c:a", "aac", str(path)], check=True)
    return path


class Damaged:
    """A packet whose decoding fails as FFmpeg's AAC decoder fails on some damage: with -1,
    which is errno 1 (EPERM), 'Operation not permitted'."""

    def __init__(self, packet: Any) -> None:
        self._packet = packet

    def decode(self) -> list[Any]:
        raise av.error.PermissionError(1, "Operation not permitted", "avcodec_send_packet()")


def damage(monkeypatch: pytest.MonkeyPatch, packets: range) -> None:
    """Recordings opened from now on have these packets damaged."""
    real_open = av.open

    def opened(*args: Any, **kwargs: Any) -> Any:
        container = real_open(*args, **kwargs)
        demux = container.demux

        def damaged_demux(*streams: Any) -> Any:
            for i, packet in enumerate(demux(*streams)):
                yield Damaged(packet) if i in packets else packet
        return _With(container, damaged_demux)

    monkeypatch.setattr(av, "open", opened)


def test_a_packet_the_decoder_refuses_is_skipped_not_read_as_a_permission_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    damage(monkeypatch, range(100, 101))
    with audio.spool(tone(tmp_path)) as sound:
        assert 9.9 < sound.seconds < 10.1   # one AAC frame (23 ms) of 10 s gone


def test_a_long_damaged_stretch_is_called_damage_not_truncation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    damage(monkeypatch, range(100, 300))   # 200 AAC frames of 23 ms: 4.6 s in the middle of 10
    with pytest.raises(MediaError) as refused:
        audio.spool(tone(tmp_path))
    assert refused.value.reason.startswith("damaged: 200 packets of sound could not be decoded "
                                           "(5.4 s of 10.0 s decoded)"), refused.value.reason


class _With:
    """The container, its demux replaced."""

    def __init__(self, container: Any, demux: Any) -> None:
        self._container, self.demux = container, demux

    def __getattr__(self, name: str) -> Any:
        return getattr(self._container, name)

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self._container.close()


def test_an_mp4_cut_before_its_index_is_called_cut_off_not_not_media(tmp_path: Path) -> None:
    """The first part of an MP4 whose index (moov) is written last (a recording still being
    written, or a copy cut short) is a recording, not 'not a media file'."""
    whole = tone(tmp_path).read_bytes()
    assert whole.find(b"moov") > len(whole) // 2       # the index is at the end, as recorders do
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole[:len(whole) // 3])
    with pytest.raises(MediaError, match=r"cut off or still being written: no index \(moov\)"):
        audio.spool(cut)
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x01not a recording at all" * 1000)
    with pytest.raises(MediaError, match="not a media file"):
        audio.spool(junk)
