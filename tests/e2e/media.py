"""The sample recording the project carries, and how the end-to-end tests make media from it."""

from __future__ import annotations

import subprocess
from pathlib import Path

SAMPLE = Path(__file__).parents[2] / "archivist" / "samples" / "1001-1-Riverton Council Sample (20261103).mp4"

# name: ffmpeg output options (a 12-second excerpt in each common container)
CONTAINERS = {
    "council-mp4.mp4": ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"],
    "council-ts.ts": ["-c:v", "mpeg2video", "-c:a", "mp2", "-ar", "48000", "-ac", "2"],
    "council-mpg.mpg": ["-c:v", "mpeg2video", "-c:a", "mp2", "-f", "vob"],
    "council-mov.mov": ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"],
    "council-mkv.mkv": ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "libopus"],
    "council-wav.wav": ["-vn", "-c:a", "pcm_s16le"],
    "council-mp3.mp3": ["-vn", "-c:a", "libmp3lame"],
}


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)
