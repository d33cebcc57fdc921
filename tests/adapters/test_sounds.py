"""Music where no one speaks is found; noise, mains hum, a steady tone and silence are not
(adapters/whisper/sounds.py). Synthesized sound: plucked chords, brown noise, 60 Hz hum, sines, silence."""

from __future__ import annotations

import numpy as np
import pytest

from archivist.adapters.whisper import audio, sounds, speech
from tests.adapters.sound import as_sound

RATE = audio.SAMPLE_RATE
rng = np.random.default_rng(7)


def chords(seconds: float) -> np.ndarray:
    """Plucked triads, a new one every 2 s (C, Am, F, G), each note with three harmonics."""
    t = np.arange(int(2 * RATE)) / RATE
    notes = [(261.6, 329.6, 392.0), (220.0, 261.6, 329.6), (174.6, 220.0, 261.6), (196.0, 246.9, 293.7)]
    out = []
    for k in range(int(np.ceil(seconds / 2))):
        chord = sum(a * np.sin(2 * np.pi * f * h * t) for f in notes[k % 4]
                    for h, a in ((1, 1.0), (2, 0.5), (3, 0.25)))
        out.append(0.08 * chord * np.exp(-1.0 * t))
    return np.concatenate(out)[:int(seconds * RATE)]


def brown(seconds: float, volume: float) -> np.ndarray:
    walk = np.cumsum(rng.standard_normal(int(seconds * RATE)))
    walk -= np.convolve(walk, np.ones(4001) / 4001, mode="same")   # keep it centred
    return volume * walk / np.abs(walk).max()


def tone(seconds: float, hz: float, volume: float) -> np.ndarray:
    """A line-up tone (bars and tone) or a test signal: one sine, one level."""
    return volume * np.sin(2 * np.pi * hz * np.arange(int(seconds * RATE)) / RATE)


def hum(seconds: float, volume: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return volume * sum(np.sin(2 * np.pi * 60 * k * t) / k for k in (1, 3, 5))


@pytest.mark.parametrize("name, samples, is_music", [
    ("plucked chords", chords(8), True),
    ("chords over room noise", chords(8) + brown(8, 0.01), True),
    ("brown noise", brown(8, 0.05), False),
    ("mains hum", hum(8, 0.02), False),
    ("hum and noise", hum(8, 0.02) + brown(8, 0.02), False),
    ("silence", np.zeros(8 * RATE), False),
    ("a 1 kHz line-up tone", tone(8, 1000, 0.3), False),
    ("a 440 Hz test tone", tone(8, 440, 0.5), False),
    ("a tone over room noise", tone(8, 1000, 0.3) + brown(8, 0.01), False),
])
def test_only_music_is_music(name, samples, is_music):
    with as_sound(samples) as sound:
        found = sounds.music(sound, [], min_seconds=4)
    assert bool(found) == is_music, name
    if is_music:
        assert found[0].start == 0.0 and found[0].end == pytest.approx(8.0)


def test_music_is_looked_for_only_where_no_one_speaks():
    with as_sound(chords(12)) as sound:
        spoken = [speech.Span(6 * RATE, 12 * RATE)]   # someone talks over the second half
        found = sounds.music(sound, spoken, min_seconds=4)
        assert [(f.start, f.end) for f in found] == [(0.0, 6.0)]
        # Music shorter than the minimum between two stretches of speech: no tag.
        spoken = [speech.Span(0, 3 * RATE), speech.Span(6 * RATE, 12 * RATE)]
        assert sounds.music(sound, spoken, min_seconds=4) == []
