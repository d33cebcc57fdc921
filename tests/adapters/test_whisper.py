"""The transcriber on the bundled model: it hears what bare faster-whisper hears, reading its
sound and spectrogram a block at a time, and a city's vocabulary gets a council member's name
right."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import pytest

from archivist.adapters.whisper import audio, speech, voicing
from archivist.adapters.whisper.adapter import FasterWhisperTranscriber
from archivist.adapters.whisper.decoding import Recognition
from archivist.adapters.whisper.features import Spectrogram
from archivist.domain.errors import Cancelled
from archivist.domain.models import Transcript
from tests.e2e.media import SAMPLE

pytestmark = pytest.mark.slow   # runs the bundled model

CLIP = Path(__file__).parent / "media" / "oyelaran.mp3"  # scripts/make_vocabulary_clip


def _words(transcript: Transcript) -> list[str]:
    return [re.sub(r"[^\w']", "", w.word.lower()) for s in transcript.segments for w in s.words]


def _run(transcriber: FasterWhisperTranscriber, media: Path, vocabulary: tuple[str, ...] = ()) -> Transcript:
    return transcriber.transcribe(media, lambda *_: None, lambda: False, vocabulary)


class Tiled:
    """The sample's sound said eleven times over (six minutes): more than one VAD batch
    (320 s) and many spectrogram blocks (30 s), with joins inside sentences."""

    def __init__(self) -> None:
        with audio.spool(SAMPLE) as sound:
            self.data = np.tile(sound.read(0, sound.samples), 11)
        self.samples = len(self.data)

    def read(self, start: int, stop: int) -> np.ndarray:
        return self.data[max(0, start):max(0, stop)]


@pytest.fixture(scope="module")
def tiled() -> Tiled:
    return Tiled()


def test_speech_is_found_where_faster_whisper_finds_it(tiled: Tiled) -> None:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=500, speech_pad_ms=400)
    theirs = get_speech_timestamps(tiled.data, options)  # the whole recording in memory
    ours = speech.speech_spans(tiled, options)           # read a batch at a time
    assert [(s.start, s.end) for s in ours] == [(t["start"], t["end"]) for t in theirs]
    assert len(ours) > 11


def test_the_spectrogram_is_faster_whispers_block_by_block(tiled: Tiled) -> None:
    from faster_whisper.feature_extractor import FeatureExtractor
    from faster_whisper.vad import VadOptions

    spans = speech.speech_spans(tiled, VadOptions(min_silence_duration_ms=500, speech_pad_ms=400))
    said = speech.SpeechOnly(tiled, spans)
    whole = np.concatenate([tiled.data[s.start:s.end] for s in spans])
    assert np.array_equal(said.read(0, said.samples), whole)

    extractor = FeatureExtractor()
    theirs = extractor(whole)
    ours = Spectrogram(said, extractor)
    assert ours.shape == theirs.shape
    frames = theirs.shape[1]
    # The decoder's windows: from the start, across block joins, odd places, the very end.
    for first in (0, 2990, 5999, 6000, 12345, frames // 2, frames - 3000, frames - 7):
        window = slice(first, min(first + 3000, frames))
        # Equal but for the last bit of some values: the Mel filters' product, computed here a
        # block at a time, rounds by the block's width (OpenBLAS's sgemm, numpy 2.4), and tiny.en
        # decodes some windows differently on that bit (README, Benchmarks: bare parity).
        assert np.abs(ours[:, window] - theirs[:, window]).max() <= 2.5e-7, first


def test_speech_times_map_back_to_the_recording() -> None:
    spans = [speech.Span(16000, 48000), speech.Span(80000, 96000)]
    said = speech.SpeechOnly(Tiled.__new__(Tiled), spans)
    assert said.samples == 48000
    assert said.recording_time(0.5) == 1.5            # inside the first stretch
    assert said.recording_time(2.5) == 5.5            # inside the second: 3 s of silence cut
    assert said.speech_time(5.5) == 2.5               # and back
    assert said.speech_time(4.0) == 2.0               # in the silence: where the next begins
    assert said.speech_time(9.0) == 3.0               # past the end: the speech's end
    assert said.voiced() == [(1.0, 3.0), (5.0, 6.0)]


def test_the_decoding_options_are_bare_faster_whispers() -> None:
    """The loop we drive decodes with the options the installed faster-whisper builds from the
    same settings (temperatures, suppressed tokens, prompt, thresholds, hotwords)."""
    transcriber = FasterWhisperTranscriber("bundled", punctuation_repair=False,
                                           recover_skipped=False)
    _raw, info = transcriber.model().transcribe(str(SAMPLE), **transcriber.options())
    with audio.spool(SAMPLE) as sound:
        said = speech.SpeechOnly(sound, [speech.Span(0, sound.samples)])
        recognition = Recognition(transcriber.model(), said,
                                  {**transcriber.options(), "hotwords": None},
                                  lambda segment: None, lambda fraction: None)
    assert recognition._options == info.transcription_options


def test_recognition_hears_what_bare_faster_whisper_hears() -> None:
    """With the repair and the recovery off, the words are faster-whisper's own, exactly, and so
    are their times, but for the edges of words that face a pause: those are moved to where the
    word's own voice is (adapters/whisper/voicing.py), inward, or a word's end out by at most
    REACH before a long pause.

    Exact on the sample, not on every recording: the spectrogram is faster-whisper's but for a
    last bit here and there (see the test above), and on longer files tiny.en decodes some
    windows differently on it (dev 2101, README)."""
    transcriber = FasterWhisperTranscriber("bundled", punctuation_repair=False,
                                           recover_skipped=False)
    ours = _run(transcriber, SAMPLE)
    raw, _info = transcriber.model().transcribe(str(SAMPLE), **transcriber.options())
    theirs = [(float(w.start), float(w.end), w.word) for s in raw for w in s.words]
    mine = [(w.start, w.end, w.word) for s in ours.segments for w in s.words]
    assert [w for _, _, w in mine] == [w for _, _, w in theirs]
    for (start, end, _), (bare_start, bare_end, _) in zip(mine, theirs):
        assert bare_start - 1e-6 <= start <= end <= bare_end + voicing.REACH + 1e-6
    # Inside a run of speech nothing moves: most words keep both of Whisper's times.
    assert sum(m[:2] == t[:2] for m, t in zip(mine, theirs)) > len(theirs) / 2
    # Plain floats, as the report and the JSON transcript need (numpy's float32 is not one).
    assert {type(x) for s in ours.segments for w in s.words for x in (w.start, w.end, w.probability)} == {float}
    assert len(theirs) > 40


def test_progress_reaches_the_end_and_cancel_stops_recognition() -> None:
    seen: list[float] = []
    transcriber = FasterWhisperTranscriber("bundled")
    transcriber.transcribe(SAMPLE, lambda fraction, _s: seen.append(fraction), lambda: False)
    assert seen == sorted(seen) and seen[-1] == 1.0

    with pytest.raises(Cancelled):
        transcriber.transcribe(SAMPLE, lambda *_: None, lambda: len(seen) > 0 and seen.clear() is None)


def test_batched_inference_is_fed_in_pieces_timed_from_the_recordings_start() -> None:
    whole = _run(FasterWhisperTranscriber("bundled", batch_size=4, window_seconds=3600), SAMPLE)
    pieces = _run(FasterWhisperTranscriber("bundled", batch_size=4, window_seconds=10), SAMPLE)
    assert _words(pieces) and SequenceMatcher(a=_words(whole), b=_words(pieces)).ratio() > 0.8
    starts = [w.start for s in pieces.segments for w in s.words]
    assert starts == sorted(starts) and starts[-1] > 20


def test_a_citys_vocabulary_gets_a_name_the_model_does_not_know() -> None:
    transcriber = FasterWhisperTranscriber("bundled")

    without = " ".join(_words(_run(transcriber, CLIP)))
    transcript = _run(transcriber, CLIP, ("Council member Oyelaran",))
    told = " ".join(_words(transcript))

    assert "oyelaran" not in without
    assert "oyelaran" in told
    assert "motion carries" in told
    # written as the station typed it, wherever the model wrote it in lowercase
    assert "Oyelaran" in {w.word.strip(" ,.?!") for s in transcript.segments for w in s.words}


def test_the_global_vocabulary_is_used_too() -> None:
    transcriber = FasterWhisperTranscriber("bundled", vocabulary=["Oyelaran"])
    assert "oyelaran" in _words(_run(transcriber, CLIP))


def test_a_music_bed_before_the_meeting_is_found_and_the_speech_still_heard(tmp_path: Path) -> None:
    """Eight seconds of plucked chords, then the sample meeting: the music is in the transcript's
    sounds (so the captions tag it), and nothing is found over the meeting itself."""
    import wave

    from tests.adapters.test_sounds import chords

    with audio.spool(SAMPLE) as sound:
        meeting = sound.read(0, sound.samples)
    media = tmp_path / "prelude.wav"
    with wave.open(str(media), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(audio.SAMPLE_RATE)
        out.writeframes((np.concatenate([chords(8), meeting]) * 32767).astype("<i2").tobytes())
    transcript = _run(FasterWhisperTranscriber("bundled"), media)
    assert [(s.kind, s.start) for s in transcript.sounds] == [("music", 0.0)]
    assert 6.0 <= transcript.sounds[0].end <= 8.5
    assert len(_words(transcript)) > 40 and transcript.words[0].start >= transcript.sounds[0].end


def test_a_recording_gives_the_same_captions_whatever_the_process_transcribed_before(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Whisper's fallback samples where it decodes badly: here every window (temperature 1
    # only), its first decoding, punctuation repair and recovery alike. A worker keeps its
    # model loaded from one job to the next; sampling went on from wherever the jobs before
    # had left CTranslate2's generators (seeded once per decoding thread), so the same
    # recording came back as other words.
    transcriber = FasterWhisperTranscriber("bundled")
    options = transcriber.options
    monkeypatch.setattr(transcriber, "options", lambda: {**options(), "temperature": [1.0]})
    first = _run(transcriber, SAMPLE)
    _run(transcriber, CLIP)
    again = _run(transcriber, SAMPLE)
    assert [s.text for s in again.segments] == [s.text for s in first.segments]
    # ... and they are this recording's words (which words a seeded sample writes depends on
    # the CPU's float paths: "regular meeting" on one machine, "aguiler meeting" on another).
    said = " ".join(s.text for s in first.segments).lower()
    assert sum(phrase in said for phrase in ("good evening", "meeting", "clerk", "quorum")) >= 3
