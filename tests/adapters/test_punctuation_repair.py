"""Where a window's punctuation collapses, that stretch is decoded again (adapters/whisper.py)."""

from __future__ import annotations

from archivist.adapters.whisper import _repaired
from archivist.domain.models import Segment, Word


def said(start: float, text: str) -> Segment:
    words = tuple(Word(start + i * 0.4, start + i * 0.4 + 0.3, " " + w) for i, w in enumerate(text.split()))
    return Segment(start, words[-1].end, text, words)


GOOD = "Thank you, Mayor. The project will replace the water main. Is there a motion?"
RUN_ON = "yes council member lopez how will residents reach their driveways during construction we will"
PUNCTUATED = "Yes, Council member Lopez. How will residents reach their driveways during construction? We will"


def test_a_collapsed_stretch_is_decoded_again_and_the_better_kept() -> None:
    window = [said(i * 6.0, GOOD) for i in range(12)] + [said(72.0 + i * 6.0, RUN_ON) for i in range(12)]
    asked: list[float] = []

    def again(at: float, prompt: str) -> list[Segment]:
        asked.append(at)
        return [said(start, GOOD if start < 72.0 else PUNCTUATED) for start in range(int(at), 144, 6)]

    repaired = _repaired([], window, again)
    assert len(asked) == 1 and 60.0 <= asked[0] <= 72.0
    assert RUN_ON not in [s.text for s in repaired] and PUNCTUATED in [s.text for s in repaired]
    assert repaired[:len([s for s in window if s.start < asked[0]])] == [s for s in window if s.start < asked[0]]
    assert repaired[-1].start == 138.0


def test_a_worse_second_try_is_dropped_and_steady_text_is_left_alone() -> None:
    window = [said(i * 6.0, GOOD) for i in range(12)] + [said(72.0 + i * 6.0, RUN_ON) for i in range(12)]
    assert _repaired([], window, lambda at, prompt: [said(at, RUN_ON.upper().lower())]) == window
    # A model stuck repeating one word is all capitals and marks: not better.
    assert _repaired([], window, lambda at, prompt: [said(at + i * 6.0, "Present. " * 12) for i in range(12)]) == window
    steady = [said(i * 6.0, GOOD) for i in range(24)]
    assert _repaired([], steady, lambda at, prompt: [][0]) == steady  # never asked
