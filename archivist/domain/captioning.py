"""Captioning a recording: transcribe it and write the caption files beside it.

This is the work itself; which job it belongs to, and what becomes of that job, is
domain/jobs/rules.py's business.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archivist.domain import captions, transcript_json
from archivist.domain.captions import compliance
from archivist.domain.captions.guards import clean
from archivist.domain.captions.settings import CaptionSettings
from archivist.domain.errors import Cancelled, MediaError, TranscriptFormatError
from archivist.domain.models import Transcript
from archivist.domain.ports import CancelCheck, MediaLibrary, Progress, Resumable, Transcriber
from archivist.domain.sidecars import report_path, sidecar_path
from archivist.domain.spelling import AMERICAN, Spelling

log = logging.getLogger("archivist.captioning")


@dataclass(frozen=True, slots=True)
class Captioned:
    """A transcription's result: the transcript as heard (in the station's spelling), and the
    files written from it."""

    transcript: Transcript
    notes: tuple[str, ...]
    outputs: tuple[Path, ...]


_CAPTION_FORMATS = frozenset(("scc", "srt", "vtt"))


class Captioning:
    """One recording in, caption files out; or caption files again from a kept transcript."""

    def __init__(self, transcriber: Transcriber, library: MediaLibrary,
                 settings: CaptionSettings, spelling: str = AMERICAN,
                 vocabulary: Sequence[str] | None = ()) -> None:
        """`spelling`: captions.spelling; `vocabulary`: the station's (whisper.vocabulary; null
        when `vocabulary:` is left blank)."""
        self._transcriber = transcriber
        self._library = library
        self._settings = settings
        self._spelling = spelling
        self._vocabulary = tuple(vocabulary or ())

    @property
    def model_name(self) -> str:
        return self._transcriber.model_name

    def caption(self, media: Path, formats: Sequence[str], out_dir: Path | None,
                on_progress: Progress, cancelled: CancelCheck,
                vocabulary: Sequence[str] = (), checkpoint: Resumable | None = None,
                model: str = "") -> Captioned:
        """Transcribe `media` and write each format beside it (or into `out_dir`); `vocabulary`
        is its city's names and terms; `checkpoint`, what earlier attempts decoded; `model`, the
        model its city names (empty: whisper.model)."""
        given: dict[str, Any] = {}   # only what is asked for: a transcriber may not resume
        if checkpoint is not None:
            given["checkpoint"] = checkpoint
        if model:
            given["model"] = model
        heard = self._transcriber.transcribe(media, on_progress, cancelled, vocabulary, **given)
        # Here, where the words are made: the stored transcript (and so search) and every
        # caption file read as the station spells, and a correction made later stays as typed.
        transcript = Spelling(self._spelling, [*self._vocabulary, *vocabulary]).transcript(heard)
        cleaned = clean(transcript)
        if cancelled():   # the last moment to stop before anything is written
            raise Cancelled(f"{media}: cancelled")
        outputs, report = self._write(cleaned, media, formats, out_dir)
        notes = report.notes if report is not None else cleaned.notes
        return Captioned(transcript, tuple(notes), tuple(outputs))

    def write(self, transcript: Transcript, media: Path, formats: Sequence[str],
              out_dir: Path | None = None, already_clean: bool = False) -> list[Path]:
        """Write the caption files of a transcript beside `media` (atomically, each).

        With any caption format comes the compliance report (`<stem>.report.json`).
        """
        cleaned = transcript if already_clean else clean(transcript)
        return self._write(cleaned, media, formats, out_dir)[0]

    def _write(self, cleaned: Transcript, media: Path, formats: Sequence[str],
               out_dir: Path | None, source: Path | None = None
               ) -> tuple[list[Path], compliance.ComplianceReport | None]:
        """Write the files; return them and the compliance report (None without captions).

        A file that would land on `source` (the transcript being read) is not written.
        """
        texts, report = self.files(cleaned, media, formats, out_dir)
        real_source = self._library.real_path(source) if source is not None else None
        return [self._library.write_sidecar(path, text) for path, text in texts.items()
                if real_source is None or self._library.real_path(path) != real_source], report

    def files(self, cleaned: Transcript, media: Path, formats: Sequence[str],
              out_dir: Path | None = None
              ) -> tuple[dict[Path, str], compliance.ComplianceReport | None]:
        return caption_files(cleaned, media, formats, self._settings, out_dir)

    def report(self, transcript_file: Path) -> compliance.ComplianceReport:
        """The compliance report of the captions a JSON transcript makes, in both profiles.

        Raises TranscriptFormatError for a file that is not a transcript.
        """
        cleaned = clean(self._read_transcript(transcript_file))
        return compliance.measure(cleaned, captions.profile_cues(cleaned, self._settings),
                                  self._settings)

    def missing(self, media: Path, formats: Sequence[str], out_dir: Path | None = None) -> list[str]:
        """The formats that have no file beside `media` yet."""
        return [f for f in formats if not self._library.exists(sidecar_path(media, f, out_dir))]

    def render(self, transcript_file: Path, formats: Sequence[str],
               out_dir: Path | None = None) -> tuple[list[Path], list[str]]:
        """Caption files again from a JSON transcript (perhaps corrected by hand).

        Returns (files written, formats skipped with why). Raises TranscriptFormatError for
        a file that is not a transcript.
        """
        parsed = self._read_transcript(transcript_file)
        written, _ = self._write(clean(parsed), transcript_file, formats, out_dir,
                                 source=transcript_file)
        source = self._library.real_path(transcript_file)
        skipped = [f"{fmt}: would overwrite the transcript being read" for fmt in formats
                   if self._library.real_path(sidecar_path(transcript_file, fmt, out_dir)) == source]
        return written, skipped

    def _read_transcript(self, transcript_file: Path) -> Transcript:
        try:
            return transcript_json.loads(self._library.read_text(transcript_file))
        except MediaError as exc:
            raise TranscriptFormatError(f"{transcript_file}: cannot read it ({exc.reason})") from None
        except TranscriptFormatError as exc:
            raise TranscriptFormatError(f"{transcript_file}: {exc}") from None

def caption_files(cleaned: Transcript, media: Path, formats: Sequence[str],
                  settings: CaptionSettings, out_dir: Path | None = None
                  ) -> tuple[dict[Path, str], compliance.ComplianceReport | None]:
    """Each file a cleaned transcript makes (path → text, in the order to write them: the SCC
    last), and its compliance report (None without caption formats); nothing is written."""
    cues = (captions.profile_cues(cleaned, settings)
            if _CAPTION_FORMATS.intersection(formats) else {})
    rendered = captions.render_cleaned(cleaned, formats, settings, cues)
    texts = {sidecar_path(media, fmt, out_dir): text for fmt, text in rendered.items()
             if fmt != "scc"}
    report = compliance.measure(cleaned, cues, settings) if cues else None
    if report is not None:
        texts[report_path(media, out_dir)] = compliance.dumps(report)
    # The SCC comes last: its presence is what says "captioned" (scan, playout), so a write
    # that fails part-way (a full folder) must leave the rest, never an SCC without them.
    if "scc" in rendered:
        texts[sidecar_path(media, "scc", out_dir)] = rendered["scc"]
    return texts, report

