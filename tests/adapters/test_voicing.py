"""Word edges fitted to the voice (adapters/whisper/voicing.py): a word Whisper runs on into a
pause ends where the voice does, though the room rings on and noise goes on; a word it starts
early in the silence starts where the voice does; and the captions a viewer sees then leave
the screen in the pause instead of staying up through it. Synthesized sound: voiced bursts
(a 140 Hz voice with its harmonics), a reverberant tail, brown room noise."""

from __future__ import annotations

import numpy as np

from archivist.adapters.whisper import audio, voicing
from archivist.domain.captions import web_cues
from archivist.domain.captions.settings import CaptionSettings
from archivist.domain.models import Segment, Transcript, Word
from tests.adapters.sound import as_sound

RATE = audio.SAMPLE_RATE
rng = np.random.default_rng(11)


def room(seconds: float, voiced: list[tuple[float, float]], ring: float = 0.0,
         noise: float = 0.003) -> np.ndarray:
    """A recording `seconds` long, a voice sounding over `voiced`, the room ringing on after
    each for `ring` seconds (60 dB down by then), under brown noise."""
    t = np.arange(int(seconds * RATE)) / RATE
    out = np.zeros_like(t)
    for start, end in voiced:
        inside = (t >= start) & (t < end)
        out[inside] += 0.3 * sum(np.sin(2 * np.pi * 140 * h * t[inside]) / h for h in (1, 2, 3))
        if ring:
            after = (t >= end) & (t < end + ring)
            decay = 10 ** (-3 * (t[after] - end) / ring)   # -60 dB over `ring`
            out[after] += 0.3 * decay * rng.standard_normal(after.sum())
    walk = np.cumsum(rng.standard_normal(t.size))
    walk -= np.convolve(walk, np.ones(4001) / 4001, mode="same")
    return out + noise * walk / np.abs(walk).max()


def words_of(segment: Segment) -> list[tuple[str, float, float]]:
    return [(w.word.strip(), w.start, w.end) for w in segment.words]


def test_a_word_run_on_into_the_rooms_ring_ends_where_the_voice_does() -> None:
    # "Thank you." said 1.0-1.6 s; the room rings 0.8 s more; Whisper ends "you." at 2.3 s.
    sound = as_sound(room(5, [(1.0, 1.3), (1.33, 1.6)], ring=0.8))
    said = Segment(1.0, 2.3, "Thank you.", (Word(1.0, 1.3, " Thank"), Word(1.3, 2.3, " you.")))
    [fitted] = voicing.fit([said], sound)
    (_, _, _), (_, start, end) = words_of(fitted)
    assert start == 1.3
    assert 1.6 <= end <= 1.85


def test_a_word_started_early_in_the_silence_starts_where_the_voice_does() -> None:
    # Speech from 2.0 s after a pause; Whisper starts "Second." at 1.6 s.
    sound = as_sound(room(4, [(2.0, 2.5)]))
    said = Segment(1.6, 2.5, "Second.", (Word(1.6, 2.5, " Second."),))
    [fitted] = voicing.fit([said], sound)
    [(_, start, end)] = words_of(fitted)
    assert 1.98 <= start <= 2.05
    assert 2.48 <= end <= 2.5


def test_words_inside_running_speech_and_a_word_nothing_stands_out_in_keep_their_times() -> None:
    # One voice 1.0-2.5 s, three words with no pause between them; then a "word" over silence
    # (a model's guess where no one speaks): nothing to fit it to, so it stays about where it was.
    sound = as_sound(room(6, [(1.0, 2.5)]))
    running = Segment(1.0, 2.5, "we have quorum", (Word(1.0, 1.4, " we"), Word(1.4, 1.9, " have"),
                                                   Word(1.9, 2.5, " quorum")))
    guess = Segment(4.0, 4.6, "you", (Word(4.0, 4.6, " you"),))
    first, second = voicing.fit([running, guess], sound)
    assert words_of(first)[1] == ("have", 1.4, 1.9)
    [(_, start, end)] = words_of(second)
    assert abs(start - 4.0) <= 0.05 and abs(end - 4.6) <= 0.05


def test_edges_only_move_inward_and_never_past_the_middle_of_the_word() -> None:
    # Whisper gave "present" 1.0-1.2 s, but the voice goes on to 1.5 s, and the next word
    # is 0.4 s on: the word keeps its times, none stretched out into sound that may be the
    # next word's.
    sound = as_sound(room(3, [(0.9, 1.5)]))
    said = Segment(1.0, 1.9, "present council",
                   (Word(1.0, 1.2, " present"), Word(1.6, 1.9, " council")))
    [fitted] = voicing.fit([said], sound)
    assert words_of(fitted)[0][1:] == (1.0, 1.2)


def test_before_a_long_pause_a_word_ends_where_its_voice_does() -> None:
    # Slow speech: Whisper ended "present" at 1.2 s, its voice goes on unbroken to 1.5 s,
    # and nothing is said after it: the word (and its caption) ends at 1.5 s, not in the
    # middle of it; never further than REACH, and not into the room's noise after it.
    sound = as_sound(room(3, [(0.9, 1.5)]))
    said = Segment(1.0, 1.2, "present", (Word(1.0, 1.2, " present"),))
    [fitted] = voicing.fit([said], sound)
    [(_, start, end)] = words_of(fitted)
    assert start == 1.0 and abs(end - 1.5) <= 0.02
    long = as_sound(room(3, [(0.9, 2.5)]))
    [(_, _, end)] = words_of(voicing.fit([said], long)[0])
    assert end == round(1.2 + voicing.REACH, 3)


def test_before_a_long_pause_a_word_ended_at_the_stop_before_its_last_syllable_ends_with_it() -> None:
    # "contract." said slowly: "con" 0.9-1.3 s, the closure of "t" (no voice) 1.3-1.4 s, then
    # "-tract" 1.4-1.7 s. Whisper ends the word in the closure, at 1.38 s, and nothing is said
    # after it: the word (and its caption) ends with "-tract", not before it.
    sound = as_sound(room(4, [(0.9, 1.3), (1.4, 1.7)], noise=0.02))
    said = Segment(1.0, 1.38, "contract.", (Word(1.0, 1.38, " contract."),))
    [(_, start, end)] = words_of(voicing.fit([said], sound)[0])
    assert start == 1.0 and abs(end - 1.7) <= 0.02


def test_before_a_long_pause_a_word_ends_where_its_voice_fades_into_the_noise() -> None:
    # A slow "weeks." in a noisy room: said 1.0-1.5 s, 24 dB over a steady hiss, then its last
    # sound trails off 6 dB over it until 1.75 s. Whisper ends the word at 1.5 s and nothing is
    # said after it: the word (and its caption) ends as the trail does, not before it, and not
    # later, into the hiss.
    t = np.arange(4 * RATE) / RATE
    hiss = 0.01 * np.random.default_rng(5).standard_normal(t.size)
    voice = np.sin(2 * np.pi * 140 * t) * np.sqrt(2) * 0.01
    gain = np.where((t >= 1.0) & (t < 1.5), 10 ** (24 / 20), 0.0)
    gain = np.where((t >= 1.5) & (t < 1.75), 10 ** (6 / 20), gain)
    said = Segment(1.0, 1.5, "weeks.", (Word(1.0, 1.5, " weeks."),))
    [(_, start, end)] = words_of(voicing.fit([said], as_sound(hiss + gain * voice))[0])
    assert start == 1.0 and 1.7 <= end <= 1.8


def test_a_voice_heard_again_only_after_a_longer_silence_is_not_taken_into_the_word() -> None:
    # The same word, but the voice comes back 0.3 s after Whisper's end (someone the model
    # did not write, or the room's noise): too far to be the word's own last syllable, so the
    # word keeps its voice's end.
    sound = as_sound(room(4, [(0.9, 1.3), (1.68, 2.0)], noise=0.02))
    said = Segment(1.0, 1.38, "contract.", (Word(1.0, 1.38, " contract."),))
    [(_, _, end)] = words_of(voicing.fit([said], sound)[0])
    assert 1.28 <= end <= 1.32


def test_a_voice_that_goes_on_after_the_dip_is_not_taken_into_the_word() -> None:
    # "yes." said 1.0-1.4 s, Whisper ends it at 1.3 s; 0.1 s later a second voice the model did
    # not write (an interjection, crosstalk) speaks from 1.5 s to 3.0 s, as loud: it goes on
    # past any last syllable, so the word ends with its own voice, not in the other one.
    t = np.arange(5 * RATE) / RATE
    other = np.where((t >= 1.5) & (t < 3.0), 0.3 * np.sin(2 * np.pi * 220 * t), 0.0)
    sound = as_sound(room(5, [(1.0, 1.4), (3.5, 4.0)]) + other)
    said = [Segment(1.0, 1.3, "yes.", (Word(1.0, 1.3, " yes."),)),
            Segment(3.5, 4.0, "Okay", (Word(3.5, 4.0, " Okay"),))]
    [(_, start, end)] = words_of(voicing.fit(said, sound)[0])
    assert start == 1.0 and 1.35 <= end <= 1.45


def test_a_segment_ends_no_earlier_than_its_last_word_once_fitted() -> None:
    # The word's end moved out past the segment's: the segment ends there too (review's
    # retiming finds a segment by its end).
    said = Segment(1.0, 1.2, "present", (Word(1.0, 1.2, " present"),))
    [fitted] = voicing.fit([said], as_sound(room(3, [(0.9, 1.5)])))
    assert fitted.end == fitted.words[-1].end > 1.2


def test_a_caption_leaves_the_screen_in_the_pause_after_its_words_not_at_the_next_speaker() -> None:
    # Two speakers with a 1.2 s pause between them in a ringing room. Whisper runs the first
    # speaker's last word 0.7 s into the pause and starts the second's 0.4 s early: unfitted,
    # one caption stays up through the whole pause. Fitted, the first caption is off well
    # before the second speaker starts, and the second comes up as its words are said.
    voiced = [(1.0, 1.35), (1.35, 1.6), (1.6, 2.0), (3.2, 3.5), (3.5, 3.9), (3.9, 4.4)]
    sound = as_sound(room(6, voiced, ring=0.6))
    words = (Word(1.0, 1.35, " The"), Word(1.35, 1.6, " motion"), Word(1.6, 2.7, " carries."),
             Word(2.8, 3.5, " Thank"), Word(3.5, 3.9, " you"), Word(3.9, 4.4, " all."))
    said = Transcript(segments=(Segment(1.0, 4.4, "The motion carries. Thank you all.", words),),
                      duration=6.0)
    as_said = web_cues(said, CaptionSettings())
    assert len(as_said) == 1     # unfitted: one caption over the pause
    fitted = Transcript(segments=tuple(voicing.fit(said.segments, sound)), duration=6.0)
    first, second = web_cues(fitted, CaptionSettings())
    assert first.text == "The motion carries." and second.text == "Thank you all."
    assert first.end <= 2.0 + 0.3            # off within a few tenths of the voice stopping
    assert 3.2 - 0.2 <= second.start <= 3.2  # up as the second speaker starts
