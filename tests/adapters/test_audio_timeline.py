"""The decoded sound is on the recording's own timeline as a player shows it: time zero is the
first packet of any stream (FFmpeg's start time, what ffprobe and a player's clock start from),
however late the file's timestamps begin, and the sound starts where the player plays it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from archivist.adapters.whisper import audio
from tests.adapters.test_audio_damage import onset

TONE_FROM_3_S = "aevalsrc='if(gte(t,3),sin(2*PI*440*t),0)':s=44100:d=10"


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


@pytest.mark.parametrize("fmt", ["matroska", "mp4", "mpegts"])
def test_an_uncut_file_whose_timestamps_start_at_100_s_is_captioned_from_its_start(
        tmp_path: Path, fmt: str) -> None:
    """An uncut Matroska file starting at 100 s was refused as 'truncated: audio stops at 10.0s
    of 110.0s': FFmpeg's Matroska muxer writes where the last frame ends as the file's Duration."""
    late = tmp_path / f"late.{fmt}"
    ffmpeg("-f", "lavfi", "-i", TONE_FROM_3_S, "-c:a", "aac", "-output_ts_offset", "100",
           "-f", fmt, str(late))
    with audio.spool(late) as sound:
        assert abs(sound.seconds - 10.0) < 0.1, sound.seconds
        assert abs(onset(sound) - 3.0) < 0.05, onset(sound)


@pytest.mark.parametrize("fmt", ["matroska", "mp4", "mpegts"])
def test_sound_that_begins_after_the_picture_stays_where_the_player_plays_it(
        tmp_path: Path, fmt: str) -> None:
    """The picture from 0 s, the sound from 2 s (its tone from 5 s on the player's clock): the
    sound was read from its own first packet, and every caption came 2 s early."""
    late = tmp_path / f"late.{fmt}"
    ffmpeg("-f", "lavfi", "-i", "color=c=blue:s=160x120:r=25:d=12", "-itsoffset", "2",
           "-f", "lavfi", "-i", TONE_FROM_3_S, "-c:v", "libx264", "-c:a", "aac",
           "-output_ts_offset", "100", "-f", fmt, str(late))
    with audio.spool(late) as sound:
        assert abs(onset(sound) - 5.0) < 0.05, onset(sound)
        assert abs(sound.seconds - 12.0) < 0.1, sound.seconds
