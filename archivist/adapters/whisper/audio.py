"""Reading a recording's sound: any common container in, 16 kHz mono samples out, a window at a time.

Every way a file can be unusable becomes a MediaError whose reason a person can act on.
PyAV is imported on first use only; the web process never loads it.
"""

from __future__ import annotations

import errno
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from archivist.adapters.whisper.damage import DamageLedger
from archivist.domain.errors import MediaError

if TYPE_CHECKING:
    import numpy as np


SAMPLE_RATE = 16000
# A recording whose sound begins more than this after its first picture: taken for a stray
# timestamp, not a lead to keep as silence (a player would show a minute of nothing).
_LONGEST_LEAD = 60.0
# Demuxers FFmpeg uses for plain text (ANSI art, lyrics, subtitles).
_TEXT_FORMATS = frozenset({"tty", "lrc", "srt", "webvtt", "ass", "microdvd", "subviewer",
                           "subviewer1", "sami", "realtext", "jacosub", "mpl2", "mpsub", "pjs",
                           "stl", "vplayer", "aqtitle", "scc"})
# Samples (at the source rate) gathered before each resampling pass.
_BLOCK = 500_000
# Packets in a row whose frames take one new shape (channels, rate) before it is taken for the
# sound's own (a broadcast switching stereo to 5.1, HE-AAC whose first frame decodes as mono);
# fewer are garbage the decoder took for frames. The ones before the change is believed are
# silence, a few tens of milliseconds.
_NEW_SHAPE = 4


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
        written = 0  # bytes, silence included
        ledger = DamageLedger(_start(stream), _frame_seconds(stream))
        ledger.lead(_lead(container, stream))
        last: Any = None  # the last frame decoded: the shape silence takes
        odd: list[tuple[str, str, int]] = []  # shapes of the packets just refused for theirs
        try:
            for packet in container.demux(stream):
                ledger.demuxed(_begins(packet))
                try:
                    frames = packet.decode()
                except (av.error.InvalidDataError, av.error.PermissionError,
                        av.error.UndefinedError) as exc:
                    # FFmpeg's AAC decoder returns -1 for some damage, which PyAV raises as
                    # errno 1, "Operation not permitted"; any other permission error is real.
                    # On a frame cut short it may return a number that names no error at all
                    # ("Error number -50531338 occurred"): its own garbage, from garbage in.
                    if isinstance(exc, av.error.PermissionError) and exc.errno != errno.EPERM:
                        raise
                    # A damaged packet costs its few milliseconds of sound, not the recording.
                    ledger.refuse(_seconds(packet))
                    continue
                shapes = {_shape(frame) for frame in frames}
                if last is not None and shapes - {_shape(last)}:
                    odd = [*odd, *shapes][-_NEW_SHAPE:]
                    if len(odd) < _NEW_SHAPE or len(set(odd)) > 1 or len(shapes) > 1:
                        # Garbage the decoder took for a frame: 5.0 channels at 7350 Hz in the
                        # middle of a mono 44.1 kHz stream. It is damage, not sound to resample.
                        ledger.refuse(_seconds(packet))
                        continue
                    # The sound changed shape for good: what came before is resampled to the
                    # end, and a new resampler takes the new shape.
                    block = _resampled(resampler, fifo.read()) if fifo.samples else b""
                    block += _resampled(resampler, None)
                    written += len(block)
                    yield block
                    resampler = av.audio.resampler.AudioResampler(
                        format="s16", layout="mono", rate=SAMPLE_RATE)
                    fifo = av.audio.fifo.AudioFifo()
                odd = []
                ledger.decoded(_seconds(packet) or sum(f.samples / f.sample_rate for f in frames))
                for frame in frames:
                    if ledger.owing:
                        ledger.settle(_silence(fifo, frame, ledger.owing))
                    frame.pts = None  # the fifo wants contiguous sound, not timestamps
                    fifo.write(frame)
                    last = frame
                if fifo.samples >= _BLOCK:
                    block = _resampled(resampler, fifo.read())
                    written += len(block)
                    yield block
                    if on_progress and expected:
                        on_progress(min(1.0, written / 2 / SAMPLE_RATE / expected))
            if ledger.owed and last is not None:  # the damage runs to the end
                ledger.settle(_silence(fifo, last, ledger.owed))
            tail = _resampled(resampler, fifo.read()) if fifo.samples else b""
            tail += _resampled(resampler, None)
            written += len(tail)
            yield tail
        except av.error.FFmpegError as exc:
            raise MediaError(path, f"unreadable audio: {_reason(exc)}") from None

    ledger.judge(path, written / 2 / SAMPLE_RATE, expected)


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


def _begins(packet: Any) -> float | None:
    """Where a packet's sound begins in the recording, in seconds (None if it does not say)."""
    if packet.pts is None or packet.time_base is None:
        return None
    return float(packet.pts * packet.time_base)


def _lead(container: Any, stream: Any) -> float:
    """How long the recording runs before its sound begins, in seconds: a player's time zero is
    the first packet of any stream (FFmpeg's start time; a picture often comes first), and the
    captions go on the timeline it shows."""
    first, sound = getattr(container, "start_time", None), _start(stream)
    if first is None or sound is None:
        return 0.0
    lead = sound - first / 1_000_000
    return lead if 0.0 < lead <= _LONGEST_LEAD else 0.0


def _shape(frame: Any) -> tuple[str, str, int]:
    """What a frame of sound is made of: sample format, channel layout, rate."""
    return frame.format.name, frame.layout.name, frame.sample_rate


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


def _declared_seconds(container: Any, stream: Any) -> float | None:
    """How long the file says its audio is, if it says."""
    duration, time_base = getattr(stream, "duration", None), getattr(stream, "time_base", None)
    if duration and time_base:
        return float(duration * time_base)
    total = getattr(container, "duration", None)  # microseconds
    if not total:
        return None
    first = getattr(container, "start_time", None) or 0
    name = getattr(getattr(container, "format", None), "name", "") or ""
    # Matroska's Duration, as FFmpeg writes it, is where the last frame ends on the file's
    # timestamps, not how long it is: a file whose timestamps start at 100 s and run 33 s says
    # 133 s. One that ends before its start is a length (another muxer): taken as it is.
    if "matroska" in name and 0 < first < total:
        total -= first
    return total / 1_000_000


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)
