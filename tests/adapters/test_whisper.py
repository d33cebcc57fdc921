"""The transcriber on the bundled model: windows that join without losing or doubling a word,
and a city's vocabulary that gets a council member's name right."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from archivist.adapters import audio
from archivist.adapters.whisper import FasterWhisperTranscriber
from archivist.adapters.windows import windows
from archivist.domain.errors import Cancelled
from archivist.domain.models import Transcript
from tests.e2e.media import SAMPLE

CLIP = Path(__file__).parent / "media" / "oyelaran.mp3"  # scripts/make_vocabulary_clip


def _words(transcript: Transcript) -> list[str]:
    return [re.sub(r"[^\w']", "", w.word.lower()) for s in transcript.segments for w in s.words]


def _run(transcriber: FasterWhisperTranscriber, media: Path, vocabulary: tuple[str, ...] = ()) -> Transcript:
    return transcriber.transcribe(media, lambda *_: None, lambda: False, vocabulary)


@pytest.fixture(scope="module")
def whole() -> Transcript:
    """The sample meeting transcribed as one window."""
    return _run(FasterWhisperTranscriber("bundled", window_seconds=3600), SAMPLE)


def test_a_join_inside_a_sentence_loses_and_doubles_no_word(whole: Transcript) -> None:
    short = 15.0  # the sample (33 s) in windows of about 15 s: a join in the roll call
    with audio.spool(SAMPLE) as sound:
        cuts = [end / audio.SAMPLE_RATE for _, end in windows(sound, short, 30.0)][:-1]
    # A cut between two words of one sentence of the unwindowed transcript.
    inside = [cut for cut in cuts for s in whole.segments
              if s.words and s.words[0].end < cut < s.words[-1].start]
    assert inside, f"no join inside speech: cuts {cuts}"

    windowed = _run(FasterWhisperTranscriber("bundled", window_seconds=short), SAMPLE)

    near = [(cut - 3.0, cut + 3.0) for cut in inside]
    theirs = [w for s in whole.segments for w in s.words]
    ours = [w for s in windowed.segments for w in s.words]
    matcher = SequenceMatcher(a=_words(whole), b=_words(windowed), autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        # A word may be heard differently in a fresh context, never dropped or said twice.
        touched = [w.start for w in theirs[a0:a1] + ours[b0:b1]]
        if op != "equal" and any(lo <= t <= hi for t in touched for lo, hi in near):
            assert a1 - a0 == b1 - b0, f"{op} at the join: {theirs[a0:a1]} -> {ours[b0:b1]}"
    assert matcher.ratio() > 0.85  # the rest of the sample heard alike
    # Each word is timed from the recording's start, not from its window's.
    for a0, b0, size in matcher.get_matching_blocks():
        for i in range(size):
            assert ours[b0 + i].start == pytest.approx(theirs[a0 + i].start, abs=0.5)
    assert windowed.duration == pytest.approx(whole.duration)


def test_progress_reaches_the_end_and_cancel_stops_between_windows(tmp_path: Path) -> None:
    seen: list[float] = []
    transcriber = FasterWhisperTranscriber("bundled", window_seconds=15.0)
    transcriber.transcribe(SAMPLE, lambda fraction, _s: seen.append(fraction), lambda: False)
    assert seen == sorted(seen) and seen[-1] == 1.0

    with pytest.raises(Cancelled):
        transcriber.transcribe(SAMPLE, lambda *_: None, lambda: len(seen) > 0 and seen.clear() is None)


def test_a_citys_vocabulary_gets_a_name_the_model_does_not_know() -> None:
    transcriber = FasterWhisperTranscriber("bundled")

    without = " ".join(_words(_run(transcriber, CLIP)))
    told = " ".join(_words(_run(transcriber, CLIP, ("Council member Oyelaran",))))

    assert "oyelaran" not in without
    assert "oyelaran" in told
    assert "motion carries" in told


def test_the_global_vocabulary_is_used_too() -> None:
    transcriber = FasterWhisperTranscriber("bundled", vocabulary=["Oyelaran"])
    assert "oyelaran" in _words(_run(transcriber, CLIP))
