"""A damaged packet in a recording's sound costs its few milliseconds, whatever error FFmpeg's
decoder gives for it; the sound after it stays in its place; too much damage is refused."""

from __future__ import annotations

import errno
import logging
import subprocess
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from archivist.adapters.whisper import audio
from archivist.domain.errors import MediaError


def tone(folder: Path) -> Path:
    path = folder / "tone.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=10",
                    "-c:a", "aac", str(path)], check=True)
    return path


def stepped(folder: Path, seconds: int, onset: int, fmt: str) -> Path:
    """A recording of silence, then from `onset` s a tone; `fmt` matroska is written through a
    pipe, as a live stream is, so the file does not say how long it is."""
    path = folder / f"step.{'mkv' if fmt == 'matroska' else fmt}"
    command = ["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
               f"aevalsrc='if(gte(t,{onset}),sin(2*PI*440*t),0)':s=44100:d={seconds}",
               "-c:a", "aac", "-f", fmt]
    if fmt != "matroska":   # an MP4 cannot be written through a pipe
        subprocess.run([*command, str(path)], check=True)
        return path
    with path.open("wb") as out:
        subprocess.run([*command, "pipe:1"], stdout=out, check=True)
    return path


def onset(sound: audio.Sound) -> float:
    """When the tone starts in the decoded sound, in seconds."""
    samples = sound.read(0, sound.samples)
    return int(np.argmax(np.abs(samples) > 0.1)) / audio.SAMPLE_RATE


class Damaged:
    """A packet whose decoding fails as FFmpeg's AAC decoder fails on some damage: with -1,
    which is errno 1 (EPERM), 'Operation not permitted'."""

    error: Exception = av.error.PermissionError(1, "Operation not permitted", "avcodec_send_packet()")

    def __init__(self, packet: Any) -> None:
        self._packet = packet

    def __getattr__(self, name: str) -> Any:
        return getattr(self._packet, name)

    def decode(self) -> list[Any]:
        raise self.error


class OutOfMemory(Damaged):
    error = av.error.MemoryError(errno.ENOMEM, "Cannot allocate memory", "avcodec_send_packet()")


def damage(monkeypatch: pytest.MonkeyPatch, packets: Any, kind: type[Damaged] = Damaged) -> None:
    """Recordings opened from now on have these packets damaged."""
    real_open = av.open

    def opened(*args: Any, **kwargs: Any) -> Any:
        container = real_open(*args, **kwargs)
        demux = container.demux

        def damaged_demux(*streams: Any) -> Any:
            for i, packet in enumerate(demux(*streams)):
                yield kind(packet) if i in packets else packet
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


@pytest.mark.parametrize("fmt", ["mp4", "matroska"])
def test_the_sound_after_a_damaged_stretch_stays_in_its_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    recording = stepped(tmp_path, 60, 50, fmt)
    damage(monkeypatch, range(100, 140))   # 40 AAC frames, 0.9 s, before the tone at 50 s
    with audio.spool(recording) as sound:
        assert abs(onset(sound) - 50.0) < 0.05, onset(sound)
        assert abs(sound.seconds - 60.0) < 0.1


def test_damage_that_passes_is_logged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    damage(monkeypatch, range(100, 103))
    with caplog.at_level(logging.WARNING, "archivist.whisper"), audio.spool(tone(tmp_path)):
        pass
    [record] = [r for r in caplog.records if "damaged" in r.getMessage()]
    assert record.packets == 3 and 0.06 < record.seconds < 0.08   # 3 AAC frames of 23 ms


@pytest.mark.parametrize("every", [2, 10])
def test_much_damage_is_refused_when_the_file_does_not_say_its_length(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, every: int) -> None:
    recording = stepped(tmp_path, 60, 50, "matroska")
    damage(monkeypatch, range(0, 10**6, every))   # 50 % or 10 % of the packets
    with pytest.raises(MediaError) as refused:
        audio.spool(recording)
    assert refused.value.reason.startswith("damaged: "), refused.value.reason


def test_one_damaged_packet_in_a_short_recording_passes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recording = stepped(tmp_path, 1, 0, "matroska")   # 44 packets, one of them lost
    damage(monkeypatch, range(20, 21))
    with audio.spool(recording) as sound:
        assert 0.9 < sound.seconds < 1.1


@pytest.mark.parametrize("fmt", ["mp4", "matroska"])
def test_a_cut_file_whose_timestamps_do_not_start_at_zero_is_truncated(tmp_path: Path, fmt: str) -> None:
    whole = tmp_path / f"whole.{fmt}"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=60",
                    "-c:a", "aac", "-output_ts_offset", "100", "-movflags", "+faststart",
                    "-f", fmt, str(whole)], check=True)
    cut = tmp_path / f"cut.{fmt}"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) * 4 // 10])
    with pytest.raises(MediaError) as refused:
        audio.spool(cut)
    assert refused.value.reason.startswith("truncated: "), refused.value.reason


def cut_out(recording: Path, at: float, share: float) -> Path:
    """The recording with `share` of its bytes cut out at `at` of its length, as a stream
    that lost them on the network is recorded."""
    data = recording.read_bytes()
    start, length = int(len(data) * at), int(len(data) * share)
    lossy = recording.with_name("lossy" + recording.suffix)
    lossy.write_bytes(data[:start] + data[start + length:])
    return lossy


def test_sound_lost_from_a_transport_stream_is_kept_as_silence_so_what_follows_stays_in_time(
        tmp_path: Path) -> None:
    """Bytes lost from an MPEG-TS take their packets with them (the decoder never sees them);
    the timestamps jump. The sound after the loss came that much early, and so did every caption."""
    lossy = cut_out(stepped(tmp_path, 60, 50, "mpegts"), 0.3, 0.02)   # about 1.2 s at 18 s
    with audio.spool(lossy) as sound:
        assert abs(onset(sound) - 50.0) < 0.05, onset(sound)
        assert abs(sound.seconds - 60.0) < 0.1


def test_one_long_hole_in_a_transport_stream_is_captioned_with_the_hole_silent(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A stream that does not say its length, with seconds lost in one place: the hole counted
    as hundreds of missing packets and the whole recording refused."""
    lossy = cut_out(stepped(tmp_path, 60, 50, "mpegts"), 0.3, 0.15)
    with caplog.at_level(logging.WARNING, "archivist.whisper"), audio.spool(lossy) as sound:
        assert abs(onset(sound) - 50.0) < 0.05, onset(sound)
    [record] = [r for r in caplog.records if r.msg == "damaged sound replaced by silence"]
    # One cut in the bytes: the packets either side of it come out torn, a gap or three.
    assert record.gaps <= 3 and 5 < record.missing < 20, (record.gaps, record.missing)


def test_a_transport_stream_that_keeps_breaking_off_is_called_damaged(tmp_path: Path) -> None:
    lossy = stepped(tmp_path, 60, 50, "mpegts")
    for k in range(150, 10, -1):   # from the end, so each place is where it was
        lossy = cut_out(lossy, k / 151, 0.001)
    with pytest.raises(MediaError) as refused:
        audio.spool(lossy)
    assert refused.value.reason.startswith("damaged: "), refused.value.reason
    assert " in the sound (" in refused.value.reason, refused.value.reason


def test_a_sound_that_changes_shape_for_good_goes_on_after_the_change(tmp_path: Path) -> None:
    """A broadcast switching stereo to 5.1 (or 48 to 44.1 kHz) mid-stream: after the change
    every frame was refused as garbage, the rest silence or the file called truncated."""
    parts = []
    for name, pan, rate in (("stereo", "stereo|c0=c0|c1=c0", 48000),
                            ("surround", "5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0", 44100)):
        parts.append(tmp_path / f"{name}.ts")
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=6",
                        "-af", f"pan={pan}", "-ar", str(rate), "-c:a", "aac", str(parts[-1])],
                       check=True)
    listing = tmp_path / "parts.txt"
    listing.write_text("".join(f"file '{part}'\n" for part in parts))
    joined = tmp_path / "joined.ts"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "concat", "-safe", "0", "-i", str(listing),
                    "-c", "copy", "-f", "mpegts", str(joined)], check=True)
    with audio.spool(joined) as sound:
        assert abs(sound.seconds - 12.0) < 0.2, sound.seconds
        after = sound.read(7 * audio.SAMPLE_RATE, 11 * audio.SAMPLE_RATE)
        assert np.sqrt(np.mean(after ** 2)) > 0.03   # the tone, not silence


def test_a_decoder_out_of_memory_is_not_taken_for_damage(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    damage(monkeypatch, range(100, 101), OutOfMemory)
    with pytest.raises(MediaError) as refused:
        audio.spool(tone(tmp_path))
    assert refused.value.reason == "unreadable audio: Cannot allocate memory", refused.value.reason


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
