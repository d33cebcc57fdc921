"""A transcription interrupted twice goes on from its checkpoints and gives the very captions an
uninterrupted run gives (the bundled model, on the sample played four times over: 2 min 12 s)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from archivist.adapters.checkpoints import QueueCheckpoints
from archivist.adapters.whisper.adapter import FasterWhisperTranscriber
from archivist.domain.captioning import Captioning
from archivist.domain.captions.settings import CaptionSettings
from archivist.domain.errors import Cancelled
from archivist.domain.jobs.checkpoints import Checkpoint
from archivist.domain.models import Transcript
from tests.e2e.media import SAMPLE
from tests.fakes import FolderLibrary

pytestmark = pytest.mark.slow


def four_times(tmp_path: Path) -> Path:
    target = tmp_path / "meeting.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", "3", "-i", str(SAMPLE),
                    "-vn", "-c:a", "pcm_s16le", str(target)], check=True, timeout=120)
    return target


class Stopper:
    """Asks to stop once the transcription has gone past `at` seconds (never, for None)."""

    def __init__(self, at: float | None) -> None:
        self.at, self.reached = at, 0.0

    def progress(self, _fraction: float, seconds: float) -> None:
        self.reached = max(self.reached, seconds)

    def cancelled(self) -> bool:
        return self.at is not None and self.reached >= self.at


def interrupted(transcriber: FasterWhisperTranscriber, media: Path, store: QueueCheckpoints,
                stops: list[float]) -> tuple[Transcript, list[float]]:
    """Transcribe, stopping (as SIGTERM or a lost job would) once past each of `stops`
    seconds; each attempt starts from the checkpoint the one before left."""
    resumed_at = []
    for stop in [*stops, None]:
        checkpoint = Checkpoint.resume(store, 1, every=20.0)
        resumed_at.append(checkpoint.segments[-1].end if checkpoint.segments else 0.0)
        stopper = Stopper(stop)
        try:
            return (transcriber.transcribe(media, stopper.progress, stopper.cancelled,
                                           checkpoint=checkpoint), resumed_at)
        except Cancelled:
            continue
    raise AssertionError("never finished")


def test_interrupted_twice_gives_the_same_captions_as_uninterrupted(tmp_path):
    media = four_times(tmp_path)
    transcriber = FasterWhisperTranscriber("bundled")
    whole = transcriber.transcribe(media, lambda *_: None, lambda: False)
    pieced, resumed_at = interrupted(transcriber, media, QueueCheckpoints(None, tmp_path / "cp", "test"),
                                     stops=[45.0, 95.0])
    # Each later attempt started part-way, from what the one before had kept.
    assert resumed_at[0] == 0.0 and 0 < resumed_at[1] < resumed_at[2] < whole.duration
    # Segment for segment, word for word, to the float: the same transcript...
    assert pieced == whole
    # ...so the same captions, as a station's files show them.
    library = FolderLibrary()
    captioning = Captioning(transcriber, library, CaptionSettings())
    one = captioning.write(whole, tmp_path / "one" / "m.mp4", ["scc", "srt", "vtt"])
    two = captioning.write(pieced, tmp_path / "two" / "m.mp4", ["scc", "srt", "vtt"])
    assert [p.read_bytes() for p in one] == [p.read_bytes() for p in two]
