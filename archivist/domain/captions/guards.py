"""Hallucination and noise guards (first version: passes the transcript through)."""

from __future__ import annotations

from archivist.domain.models import Transcript


def clean(transcript: Transcript) -> Transcript:
    """Return `transcript` with suspect material removed and notes saying what was removed."""
    if not any(s.text.strip() for s in transcript.segments) and "no speech found" not in transcript.notes:
        from dataclasses import replace
        return replace(transcript, notes=transcript.notes + ("no speech found",))
    return transcript
