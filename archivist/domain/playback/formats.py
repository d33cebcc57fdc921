"""Which files a browser plays as they are, and the media type each container is served as.

Python's own guesses are not enough: it names `.ts` a Qt translation file.
"""

from __future__ import annotations

from dataclasses import dataclass

MEDIA_TYPES = {
    "mp4": "video/mp4", "m4v": "video/mp4", "mov": "video/quicktime", "webm": "video/webm",
    "mkv": "video/x-matroska", "ts": "video/mp2t", "mts": "video/mp2t", "m2ts": "video/mp2t",
    "mpg": "video/mpeg", "mpeg": "video/mpeg", "vob": "video/mpeg", "mxf": "application/mxf",
    "avi": "video/x-msvideo", "ogv": "video/ogg", "wav": "audio/wav", "mp3": "audio/mpeg",
    "m4a": "audio/mp4", "aac": "audio/aac", "ogg": "audio/ogg", "opus": "audio/ogg",
    "flac": "audio/flac",
}
# Containers, codecs a browser (Chromium, Firefox, Safari) decodes without plug-ins.
BROWSER_CONTAINERS = frozenset({"mp4", "m4v", "mov", "webm", "mp3", "m4a", "wav", "ogg", "ogv",
                                "opus", "flac", "aac"})
BROWSER_VIDEO = frozenset({"h264", "vp8", "vp9", "av1"})
BROWSER_AUDIO = frozenset({"aac", "mp3", "opus", "vorbis", "flac", "pcm_s16le", "pcm_u8",
                           "pcm_f32le"})


def media_type(extension: str) -> str:
    """The Content-Type a recording's file is served with."""
    return MEDIA_TYPES.get(extension.lower().lstrip("."), "application/octet-stream")


@dataclass(frozen=True, slots=True)
class Streams:
    """What a probe found in a file: its video and audio codecs (empty when it has none)."""

    video: tuple[str, ...]
    audio: tuple[str, ...]


def browser_plays(extension: str, streams: Streams) -> bool:
    """True when a browser can play the file as it is, container and codecs alike."""
    if extension.lower().lstrip(".") not in BROWSER_CONTAINERS:
        return False
    if not streams.video and not streams.audio:
        return False
    return all(c in BROWSER_VIDEO for c in streams.video) and \
        all(c in BROWSER_AUDIO for c in streams.audio)
