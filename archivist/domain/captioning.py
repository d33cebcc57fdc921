"""Captioning a recording: transcribe it and write the caption files beside it.

This is the work itself; which job it belongs to, and what becomes of that job, is
domain/jobs.py's business.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from archivist.domain import captions, transcript_json
from archivist.domain.captions.guards import clean
from archivist.domain.captions.settings import CaptionSettings
from archivist.domain.errors import Cancelled, TranscriptFormatError
from archivist.domain.models import Transcript
from archivist.domain.ports import CancelCheck, MediaLibrary, Progress, Transcriber

log = logging.getLogger("archivist.captioning")


@dataclass(frozen=True, slots=True)
class Captioned:
    """A transcription's result: the transcript as heard, and the files written from it."""

    transcript: Transcript
    notes: tuple[str, ...]
    outputs: tuple[Path, ...]


def sidecar_path(media: Path, fmt: str, out_dir: Path | None = None) -> Path:
    """Where a format's file goes: beside the recording, same base name (Cablecast's rule)."""
    return (out_dir or media.parent) / (media.stem + captions.EXTENSIONS[fmt])


class Captioning:
    """One recording in, caption files out; or caption files again from a kept transcript."""

    def __init__(self, transcriber: Transcriber, library: MediaLibrary,
                 settings: CaptionSettings) -> None:
        self._transcriber = transcriber
        self._library = library
        self._settings = settings

    @property
    def model_name(self) -> str:
        return self._transcriber.model_name

    def caption(self, media: Path, formats: Sequence[str], out_dir: Path | None,
                on_progress: Progress, cancelled: CancelCheck,
                vocabulary: Sequence[str] = ()) -> Captioned:
        """Transcribe `media` and write each format beside it (or into `out_dir`); `vocabulary`
        is its city's names and terms."""
        transcript = self._transcriber.transcribe(media, on_progress, cancelled, vocabulary)
        cleaned = clean(transcript)
        if cancelled():   # the last moment to stop before anything is written
            raise Cancelled(f"{media}: cancelled")
        outputs = self.write(cleaned, media, formats, out_dir, already_clean=True)
        return Captioned(transcript, tuple(cleaned.notes), tuple(outputs))

    def write(self, transcript: Transcript, media: Path, formats: Sequence[str],
              out_dir: Path | None = None, already_clean: bool = False) -> list[Path]:
        """Write the caption files of a transcript beside `media` (atomically, each)."""
        cleaned = transcript if already_clean else clean(transcript)
        rendered = captions.render_cleaned(cleaned, formats, self._settings)
        return [self._library.write_sidecar(sidecar_path(media, fmt, out_dir), text)
                for fmt, text in rendered.items()]

    def missing(self, media: Path, formats: Sequence[str], out_dir: Path | None = None) -> list[str]:
        """The formats that have no file beside `media` yet."""
        return [f for f in formats if not sidecar_path(media, f, out_dir).exists()]

    def render(self, transcript_file: Path, formats: Sequence[str],
               out_dir: Path | None = None) -> tuple[list[Path], list[str]]:
        """Caption files again from a JSON transcript (perhaps corrected by hand).

        Returns (files written, formats skipped with why). Raises TranscriptFormatError for
        a file that is not a transcript.
        """
        try:
            parsed = transcript_json.loads(transcript_file.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise TranscriptFormatError(f"{transcript_file}: not a UTF-8 text file") from None
        except TranscriptFormatError as exc:
            raise TranscriptFormatError(f"{transcript_file}: {exc}") from None
        rendered = captions.render(parsed, formats, self._settings)
        written, skipped = [], []
        for fmt, text in rendered.items():
            target = sidecar_path(transcript_file, fmt, out_dir)
            if target.resolve() == transcript_file.resolve():
                skipped.append(f"{fmt}: would overwrite the transcript being read")
                continue
            written.append(self._library.write_sidecar(target, text))
        return written, skipped
