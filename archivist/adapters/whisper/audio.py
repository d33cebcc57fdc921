"""Reading a recording's sound: any common container in, 16 kHz mono samples out, a window at a time.

Every way a file can be unusable becomes a MediaError whose reason a person can act on.
PyAV is imported on first use only; the web process never loads it.
"""

from __future__ import annotations

import errno
import logging
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from archivist.domain.errors import MediaError

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger("archivist.whisper")

SAMPLE_RATE = 16000
# More packets than this share of those demuxed refused by the decoder: the recording is damaged,
# whether or not the file says how long it is (Matroska through a pipe, MediaRecorder webm do not).
# The share a cut-off file may lack (5 %): a stream captured over a lossy network with a few bad
# packets is still captioned, its lost sound kept as silence so what follows stays in time.
_DAMAGE_LIMIT = 0.05
# A file whose sound stops this much short of what its header promises was cut off.
_TRUNCATION_SLACK = 2.0
# Demuxers FFmpeg uses for plain text (ANSI art, lyrics, subtitles).
_TEXT_FORMATS = frozenset({"tty", "lrc", "srt", "webvtt", "ass", "microdvd", "subviewer",
                           "subviewer1", "sami", "realtext", "jacosub", "mpl2", "mpsub", "pjs",
                           "stl", "vplayer", "aqtitle", "scc"})
# Samples (at the source rate) gathered before each resampling pass.
_BLOCK = 500_000


def spool(path: Path, on_progress: Callable[[float], None] | None = None,
          folder: Path | None = None) -> Sound:
    """A recording's first audio track decoded once to 16 kHz mono in a temporary file.

    The samples go to disk as they are decoded, so memory does not grow with the recording's
    length; windows are read back from the file. Close the Sound (or use it as a context
    manager) to delete the file; the file has no name, so a crash leaves nothing behind.
    """
    spooled = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 - the Sound owns and closes it
    try:
        for block in _blocks(Path(path), on_progress):
            spooled.write(block)
    except BaseException:
        spooled.close()
        raise
    return Sound(spooled)


class Sound:
    """16 kHz mono samples kept in a file, read back a window at a time."""

    def __init__(self, spooled: BinaryIO) -> None:
        self._file = spooled
        self.samples = spooled.tell() // 2

    @property
    def seconds(self) -> float:
        return self.samples / SAMPLE_RATE

    def read(self, start: int, stop: int) -> np.ndarray:
        """Samples [start, stop) as float32 in -1..1."""
        import numpy as np

        start, stop = max(0, start), min(self.samples, stop)
        self._file.seek(start * 2)
        raw = self._file.read(max(0, stop - start) * 2)
        samples = np.frombuffer(raw, dtype=np.int16).astype(np.float32)
        samples /= 32768.0
        return samples

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Sound:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _blocks(path: Path, on_progress: Callable[[float], None] | None) -> Iterator[bytes]:
    """The sound as 16-bit 16 kHz mono blocks of bytes, checked for damage and truncation."""
    import av

    _check_file(path)
    try:
        container = av.open(str(path), mode="r", metadata_errors="ignore")
    except av.error.InvalidDataError:
        if _starts_like_mp4(path):
            raise MediaError(path, "cut off or still being written: no index (moov) found "
                                   "(an MP4/MOV whose end is missing)") from None
        raise MediaError(path, "not a media file (no known audio/video format)") from None
    except av.error.FFmpegError as exc:
        raise MediaError(path, f"cannot open as media: {_reason(exc)}") from None

    with container:
        if not container.streams.audio:
            # FFmpeg reads many text files as subtitles or lyrics (.srt, .lrc, even a .toml):
            # with neither sound nor picture it is not a recording, whatever FFmpeg made of it.
            if not container.streams.video or container.format.name in _TEXT_FORMATS:
                raise MediaError(path, "not a media file (text or data, no audio or video)")
            raise MediaError(path, "has no audio track")
        stream = container.streams.audio[0]
        expected = _declared_seconds(container, stream)
        resampler = av.audio.resampler.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        # Frames are gathered into large blocks before resampling: one resampler call per
        # ~10 s of sound instead of one per 20 ms frame is what keeps decoding cheap.
        fifo = av.audio.fifo.AudioFifo()
        written = 0  # bytes, silence for damage included
        packets = 0  # demuxed
        damaged = 0  # packets the decoder refused
        owed = 0.0  # seconds of silence standing in for refused packets, not yet written
        filled = 0.0  # seconds of silence written for refused packets
        typical = _frame_seconds(stream)  # a packet's length when it does not say
        start = _start(stream)
        reached = 0.0  # where in the recording the last packet decoded ends, in seconds
        last: Any = None  # the last frame decoded: the shape silence takes
        try:
            for packet in container.demux(stream):
                packets += 1
                if start is None and packet.pts is not None and packet.time_base is not None:
                    start = float(packet.pts * packet.time_base)
                try:
                    frames = packet.decode()
                except (av.error.InvalidDataError, av.error.PermissionError) as exc:
                    # FFmpeg's AAC decoder returns -1 for some damage, which PyAV raises as
                    # errno 1, "Operation not permitted"; any other permission error is real.
                    if isinstance(exc, av.error.PermissionError) and exc.errno != errno.EPERM:
                        raise
                    # A damaged packet costs its few milliseconds of sound, not the recording;
                    # silence stands in for it so that the sound after it stays in its place.
                    damaged += 1
                    owed += _seconds(packet) or typical
                    continue
                typical = _seconds(packet) or typical
                reached = max(reached, _end(packet) - (start or 0.0))
                for frame in frames:
                    if owed:
                        filled += _silence(fifo, frame, owed)
                        owed = 0.0
                    frame.pts = None  # the fifo wants contiguous sound, not timestamps
                    fifo.write(frame)
                    last = frame
                if fifo.samples >= _BLOCK:
                    block = _resampled(resampler, fifo.read())
                    written += len(block)
                    yield block
                    if on_progress and expected:
                        on_progress(min(1.0, written / 2 / SAMPLE_RATE / expected))
            if owed and last is not None:  # the damage runs to the end
                filled += _silence(fifo, last, owed)
            tail = _resampled(resampler, fifo.read()) if fifo.samples else b""
            tail += _resampled(resampler, None)
            written += len(tail)
            yield tail
        except av.error.FFmpegError as exc:
            raise MediaError(path, f"unreadable audio: {_reason(exc)}") from None

    seconds = written / 2 / SAMPLE_RATE
    decoded = seconds - filled
    if decoded <= 0:
        raise MediaError(path, "no audio could be decoded (damaged or empty audio track)")
    if damaged:
        log.warning("damaged sound replaced by silence", extra={
            "recording": str(path), "packets": damaged, "of_packets": packets,
            "seconds": round(filled, 2)})
    # The least sound a whole recording of its declared length gives.
    least = expected - max(_TRUNCATION_SLACK, 0.05 * expected) if expected else 0.0
    end = reached or decoded  # a damaged tail is a cut-off one: no sound goes on past it
    short = decoded < least
    if end < least or (short and not damaged):
        stops = end if end < least else decoded
        raise MediaError(path, f"truncated: audio stops at {stops:.1f}s of {expected:.1f}s")
    # One lost packet never refuses a recording: a cut file's last packet is often incomplete.
    if damaged > max(1, _DAMAGE_LIMIT * packets) or short:
        raise MediaError(path, f"damaged: {damaged} packets of sound could not be decoded "
                               f"({decoded:.1f} s of {expected or seconds:.1f} s decoded)")


def _start(stream: Any) -> float | None:
    """Where the stream's timestamps begin, in seconds, if it says."""
    if stream.start_time is None or stream.time_base is None:
        return None
    return float(stream.start_time * stream.time_base)


def _frame_seconds(stream: Any) -> float:
    """A packet's usual length in the stream, in seconds (0 if unknown)."""
    context = stream.codec_context
    size, rate = getattr(context, "frame_size", 0), getattr(context, "sample_rate", 0)
    return size / rate if size and rate else 0.0


def _seconds(packet: Any) -> float:
    """How long a packet's sound is, in seconds (0 if it does not say)."""
    if not packet.duration or packet.time_base is None:
        return 0.0
    return float(packet.duration * packet.time_base)


def _silence(fifo: Any, like: Any, seconds: float) -> float:
    """Write `seconds` of silence shaped like the frame `like` to the fifo; the seconds written."""
    import av

    samples = round(seconds * like.sample_rate)
    if samples <= 0:
        return 0.0
    silence = av.AudioFrame(format=like.format.name, layout=like.layout.name, samples=samples)
    for plane in silence.planes:
        plane.update(bytes(plane.buffer_size))
    silence.sample_rate = like.sample_rate
    fifo.write(silence)
    return samples / like.sample_rate


def _end(packet: Any) -> float:
    """Where a packet's sound ends in the recording, in seconds (0 if it does not say)."""
    if packet.pts is None or packet.time_base is None:
        return 0.0
    return float((packet.pts + (packet.duration or 0)) * packet.time_base)


def _resampled(resampler: Any, frame: Any) -> bytes:
    return b"".join(out.to_ndarray().tobytes() for out in resampler.resample(frame))


def _check_file(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise MediaError(path, "no such file") from None
    except OSError as exc:
        raise MediaError(path, f"cannot read: {exc.strerror}") from None
    if path.is_dir():
        raise MediaError(path, "is a folder, not a recording")
    if not path.is_file():  # a FIFO or a device: reading it would never end
        raise MediaError(path, "is not a regular file (a pipe or a device), not a recording")
    if size == 0:
        raise MediaError(path, "empty file (0 bytes)")


def _starts_like_mp4(path: Path) -> bool:
    """True when the file begins with an MP4/MOV file-type box (`ftyp`): a recording, even
    if FFmpeg cannot open it (its index, written last, is not there yet or was cut off)."""
    try:
        with path.open("rb") as f:
            return f.read(8)[4:8] == b"ftyp"
    except OSError:
        return False


def _declared_seconds(container: object, stream: object) -> float | None:
    """How long the file says its audio is, if it says."""
    duration, time_base = getattr(stream, "duration", None), getattr(stream, "time_base", None)
    if duration and time_base:
        return float(duration * time_base)
    total = getattr(container, "duration", None)  # microseconds
    return total / 1_000_000 if total else None


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)
