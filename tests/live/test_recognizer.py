"""The faster-whisper live recognizer on the sample meeting (the bundled model)."""

from __future__ import annotations

import difflib
import subprocess
from dataclasses import replace

import pytest

from archivist.adapters.live.recognizer import WhisperLiveRecognizer, looped_from
from archivist.adapters.live.window import windowed
from archivist.adapters.whisper.adapter import FasterWhisperTranscriber
from archivist.domain.live.agreement import plain
from archivist.domain.models import Word
from tests.e2e.media import SAMPLE

pytestmark = pytest.mark.slow
SECOND = 32000   # bytes of 16 kHz 16-bit mono


@pytest.fixture(scope="module")
def sound() -> bytes:
    return subprocess.run(["ffmpeg", "-loglevel", "error", "-i", str(SAMPLE), "-ac", "1", "-ar",
                           "16000", "-f", "s16le", "-"], capture_output=True, check=True).stdout


@pytest.fixture(scope="module")
def model():
    return FasterWhisperTranscriber("bundled").model


def test_speech_is_told_from_silence_as_sound_arrives(model, sound):
    recognizer = WhisperLiveRecognizer(model)
    recognizer.hear(b"\0" * 2 * SECOND)
    assert not recognizer.speech(1.5)
    for k in range(2, 6):   # "Good evening everyone" begins at 2 s
        recognizer.hear(sound[k * SECOND:(k + 1) * SECOND])
    assert recognizer.speech(1.5) and recognizer.end == pytest.approx(6.0)


def test_a_pause_speech_followed_is_found_in_the_buffer_after_the_last_one(model, sound):
    recognizer = WhisperLiveRecognizer(model)
    recognizer.hear(b"\0" * SECOND + sound[2 * SECOND:3 * SECOND])   # quiet, "Good evening"
    assert recognizer.pause_within(0.6, since=0.0) is None       # no speech before the quiet
    recognizer.hear(b"\0" * SECOND)
    assert recognizer.pause_within(0.6, since=0.0) is None       # nothing said after it yet
    recognizer.hear(sound[2 * SECOND:3 * SECOND])
    before, after = recognizer.pause_within(0.6, since=0.0)
    assert 1.5 <= before <= 2.1 and 2.9 <= after <= 3.2
    assert recognizer.pause_within(1.5, since=0.0) is None
    assert recognizer.pause_within(0.6, since=after) is None      # that pause was had already
    recognizer.hear(b"\0" * SECOND + sound[2 * SECOND:3 * SECOND])   # another, heard at once
    later = recognizer.pause_within(0.6, since=0.0)
    assert later is not None and later[0] > after
    assert recognizer.pauses_within(0.6, since=0.0) == [(before, after), later]   # in order
    assert recognizer.pauses_within(0.6, since=after) == [later]


def test_words_are_timed_in_the_stream_through_cuts_and_restarts(model, sound):
    recognizer = WhisperLiveRecognizer(model, vocabulary=["Anderson", "Nguyen"])
    recognizer.hear(sound[:11 * SECOND])
    words = recognizer.decode("")
    text = " ".join(w.word for w in words).lower()
    assert "good evening" in text and "call the roll" in text
    assert all(0.0 <= w.start <= w.end <= 11.0 for w in words)
    recognizer.forget(8.0)
    assert recognizer.start == pytest.approx(8.0)
    assert all(w.start >= 7.9 for w in recognizer.decode("Good evening everyone."))
    recognizer.restart(100.0)
    recognizer.hear(sound[11 * SECOND:16 * SECOND])    # "Council member Anderson. Present."
    later = recognizer.decode("")
    assert later and all(100.0 <= w.start <= 105.0 for w in later)
    assert "anderson" in " ".join(w.word for w in later).lower()


def test_no_words_are_written_where_no_one_speaks(model, sound):
    recognizer = WhisperLiveRecognizer(model)
    recognizer.hear(b"\0" * 4 * SECOND)
    # A prompt the model likes to carry on (a roll call), over silence: nothing is heard.
    assert recognizer.decode("Council member Anderson. Present. Council member Nguyen.") == []
    recognizer.hear(sound[2 * SECOND:6 * SECOND] + b"\0" * 4 * SECOND)   # then speech, then quiet
    words = recognizer.decode("Council member Anderson. Present.")
    assert words and all(w.start < 8.0 + 0.3 for w in words)
    assert "evening" in " ".join(w.word for w in words).lower()


class Looping:
    """The model, but given a prompt it loops on its last words (as tiny.en did on roll calls)."""

    def __init__(self, model) -> None:
        self.model, self.prompts = model, []

    def transcribe(self, samples, **options):
        self.prompts.append(options.get("initial_prompt"))
        segments, info = self.model.transcribe(samples, **options)
        segments = list(segments)
        if options.get("initial_prompt"):
            last = segments[-1]
            looped = list(last.words) + [replace(w, start=w.start + k, end=w.end + k)
                                         for k in (0.5, 1.0) for w in last.words[-2:]]
            segments[-1] = replace(last, words=looped)
        return segments, info


def test_a_loop_is_heard_again_without_the_prompt_and_never_sent(model, sound):
    looping = Looping(model())
    recognizer = WhisperLiveRecognizer(lambda: looping)
    recognizer.hear(sound[:11 * SECOND])
    words = recognizer.decode("Good evening everyone.")
    assert looping.prompts == ["Good evening everyone.", None]   # looped, so heard again bare
    text = " ".join(w.word for w in words).lower()
    assert "good evening" in text and "call the roll" in text
    assert looped_from(words) is None


def test_only_the_first_saying_of_a_loop_is_kept():
    said = [Word(i * 0.5, i * 0.5 + 0.4, w) for i, w in enumerate(
        "the motion carries thank you thank you. Thank you, thank you".split())]
    assert looped_from(said) == 5    # "the motion carries thank you" kept
    assert looped_from(said[:7]) is None    # said twice: people do
    assert looped_from([Word(0, 0.4, "."), Word(0.5, 0.9, "."), Word(1, 1.4, ".")]) is None
    ayes = [Word(i, i + 0.4, "Aye.") for i in range(4)]
    assert looped_from(ayes) is None                   # a voice vote
    assert looped_from([*ayes, Word(4, 4.4, "aye")]) == 1


def test_a_long_phrase_said_twice_is_a_loop_only_with_twice_words():
    said = [Word(i * 0.5, i * 0.5 + 0.4, w) for i, w in enumerate(
        "so moved. Thank you for watching, see you next time. Thank you for watching, see you "
        "next time.".split())]
    assert looped_from(said) is None                     # said only twice
    assert looped_from(said, twice_words=4) == 10        # "so moved. ... next time." kept
    short = [Word(i, i + 0.4, w) for i, w in enumerate("thank you, thank you.".split())]
    assert looped_from(short, twice_words=4) is None     # people do say that twice


class Beams:
    """The model, noting the beam of each decode."""

    def __init__(self, model) -> None:
        self.model, self.beams = model, []

    def transcribe(self, samples, **options):
        self.beams.append(options["beam_size"])
        return self.model.transcribe(samples, **options)


def test_the_decode_sent_whole_may_use_its_own_beam(model, sound):
    beams = Beams(model())
    recognizer = WhisperLiveRecognizer(lambda: beams, beam_size=1, final_beam_size=5)
    recognizer.hear(sound[:6 * SECOND])
    recognizer.decode("")
    words = recognizer.decode("", final=True)
    assert beams.beams == [1, 5]
    assert "good evening" in " ".join(w.word for w in words).lower()


def test_the_sound_of_a_stretch_is_read_back_in_stream_time_through_cuts(sound):
    """What a live session judges a voice by (live.speaker_changes): the buffer's own PCM."""
    recognizer = WhisperLiveRecognizer(lambda: None)
    recognizer.hear(sound[:6 * SECOND])
    assert recognizer.sound(2.0, 3.0) == sound[2 * SECOND:3 * SECOND]
    recognizer.forget(2.5)
    assert recognizer.sound(2.0, 3.0) == sound[int(2.5 * SECOND):3 * SECOND]   # what is held
    assert recognizer.sound(5.5, 9.0) == sound[int(5.5 * SECOND):6 * SECOND]
    assert recognizer.sound(1.0, 2.0) == b""


def test_a_short_window_encodes_only_the_sound_given(model):
    import numpy as np

    loaded = model()
    assert windowed(loaded, 30.0) is loaded                   # Whisper's whole window
    assert windowed(Beams(loaded), 5.0).__class__ is Beams    # a stand-in is left as it is
    short = windowed(loaded, 7.3)
    assert short.model is loaded.model                        # the loaded model, shared
    padded = np.zeros((80, 3000), dtype=np.float32)           # as faster-whisper pads a window
    assert list(short.encode(padded).shape)[:2] == [1, 400]   # 8 s (a step of 2): 800 frames
    # The lengths the encoder meets come in steps (each keeps buffers of its own: memory).
    lengths = {getattr(windowed(loaded, tenths / 10), "frames", 3000) for tenths in range(300)}
    assert len(lengths) <= 15
    assert list(loaded.encode(padded).shape)[:2] == [1, 1500]


def test_a_buffer_heard_in_a_short_window_gives_its_words_at_their_times(model, sound):
    whole = WhisperLiveRecognizer(model, window_seconds=30.0)
    short = WhisperLiveRecognizer(model, window_seconds=0.0)
    for recognizer in (whole, short):
        recognizer.hear(sound[:11 * SECOND])
    heard = [recognizer.decode("") for recognizer in (whole, short)]
    text = " ".join(w.word for w in heard[1]).lower()
    assert "good evening" in text and "call the roll" in text
    assert len(heard[1]) == pytest.approx(len(heard[0]), abs=2)
    said = [[plain(w.word) for w in words] for words in heard]
    same = difflib.SequenceMatcher(None, *said, autojunk=False).get_matching_blocks()
    pairs = [(heard[0][a + k], heard[1][b + k]) for a, b, size in same for k in range(size)]
    assert len(pairs) >= len(heard[0]) - 2                    # the same words ...
    # ... at the same times (but where the decodes part: the whole window's "will" at 7.2 s
    # is the short one's "Order." there, and its "Will" at 8.2 s is the whole one's "the")
    timed_alike = [abs(w.start - v.start) < 0.3 for w, v in pairs]
    assert sum(timed_alike) >= len(pairs) - 1


def test_a_batching_model_is_decoded_one_buffer_at_a_time_in_the_short_window():
    """whisper.batch_size > 0 gives the transcriber a batching pipeline; live decodes one
    buffer, on the model inside it (a pipeline would encode a whole window)."""
    import numpy as np

    pipeline = FasterWhisperTranscriber("bundled", batch_size=4).model()
    short = windowed(pipeline, 7.3)
    assert short.model is pipeline.model.model
    padded = np.zeros((80, 3000), dtype=np.float32)
    assert list(short.encode(padded).shape)[:2] == [1, 400]
    assert windowed(pipeline, 30.0) is pipeline.model          # whole window: the model itself
