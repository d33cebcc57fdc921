"""Speech the voice detector heard and the model wrote nothing for is noted with its times."""

from __future__ import annotations

from archivist.domain.captions.unheard import notes, unheard
from tests.fakes import spoken


def test_a_meeting_captioned_throughout_gets_no_note() -> None:
    said = spoken((1.6, "Good evening everyone."), (4.0, "I would like to call this meeting"),
                  (9.0, "to order."), (12.0, "Will the clerk please call the roll."))
    # The detector splits speech at each breath and pads each span: one stretch, all covered.
    voiced = [(1.2, 3.4), (3.8, 7.0), (8.6, 10.2), (11.5, 15.0)]
    assert unheard(voiced, said.segments) == []
    assert notes(voiced, said.segments) == ()


def test_speech_the_model_skipped_is_named_with_its_times() -> None:
    # As tiny.en with name hints on the sample remuxed to MKV: one sentence placed at 0:21,
    # the twenty seconds of speech before it (and the roll call after) never written.
    said = spoken((21.8, "Good evening everyone. I would like to call this regular meeting"))
    voiced = [(1.2, 6.0), (6.4, 12.0), (12.5, 20.5), (21.0, 26.5)]
    assert unheard(voiced, said.segments) == [(1.2, 20.8)]
    [note] = notes(voiced, said.segments)
    assert note.startswith("speech with no captions at 00:00:01–00:00:20 (20 s)")


def test_short_gaps_noise_and_empty_segments_are_left_alone() -> None:
    said = spoken((0.5, "Thank you."), (30.0, "Next item."))
    # Seven seconds of voice with no words (crosstalk, a cough, noise) are not worth a note.
    assert unheard([(10.0, 17.0)], said.segments) == []
    # A segment with no text covers nothing.
    blank = spoken((10.0, "x")).segments[0].__class__(10.0, 20.0, "  ")
    assert unheard([(10.0, 20.0)], [blank]) == [(10.0, 20.0)]
