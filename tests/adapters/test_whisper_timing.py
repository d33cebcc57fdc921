"""Word times brought back from the speech the VAD kept to the recording: a word stays inside
its stretch of speech, and a stretch decoded again ends where the first decoding goes on."""

from __future__ import annotations

from archivist.adapters.whisper.audio import SAMPLE_RATE
from archivist.adapters.whisper.decoding import _until
from archivist.adapters.whisper.speech import Span, SpeechOnly
from archivist.domain.models import Segment, Word


def test_a_word_running_past_its_stretch_ends_with_it_not_in_the_silence_taken_out() -> None:
    # Speech 1-3 s and 10-12 s of the recording: 0-2 s and 2-4 s of the speech.
    said = SpeechOnly(sound=None, spans=[Span(1 * SAMPLE_RATE, 3 * SAMPLE_RATE),   # type: ignore[arg-type]
                                         Span(10 * SAMPLE_RATE, 12 * SAMPLE_RATE)])
    start, end = 1.5, 2.4        # in the speech: its middle (1.95) is in the first stretch
    span = said.span_of((start + end) / 2)
    assert said.recording_time(end, span) == 3.4          # what faster-whisper's restore gives
    assert said.recording_time(said.within(end, span), span) == 3.0
    assert said.recording_time(said.within(start, span), span) == 2.5
    late = said.span_of(2.9)
    assert said.recording_time(said.within(1.8, late), late) == 10.0


def test_a_stretch_decoded_again_stops_where_the_first_decoding_goes_on() -> None:
    words = (Word(10.0, 10.4, " Council"), Word(10.5, 11.0, " member"), Word(12.1, 12.5, " Lopez."))
    segment = Segment(10.0, 12.5, "Council member Lopez.", words)
    assert _until(segment, 13.0) is segment
    kept = _until(segment, 12.0)
    assert kept is not None and kept.text == "Council member" and kept.end == 11.0
    assert _until(segment, 9.0) is None
