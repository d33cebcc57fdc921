"""A damaged packet in a recording's sound costs its few milliseconds, whatever error FFmpeg's
decoder gives for it."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import av
import pytest

from archivist.adapters.whisper import audio


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


def test_a_packet_the_decoder_refuses_is_skipped_not_read_as_a_permission_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = av.open

    def opened(*args: Any, **kwargs: Any) -> Any:
        container = real_open(*args, **kwargs)
        demux = container.demux

        def damaged_demux(*streams: Any) -> Any:
            for i, packet in enumerate(demux(*streams)):
                yield Damaged(packet) if i == 100 else packet
        return _With(container, damaged_demux)

    monkeypatch.setattr(av, "open", opened)
    with audio.spool(tone(tmp_path)) as sound:
        assert 9.9 < sound.seconds < 10.1   # one AAC frame (64 ms) of 10 s gone


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
