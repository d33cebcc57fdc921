"""Speaker changes heard in the sound (adapters/whisper/speakers.py): Hotelling's T² on
made-up cepstra, and on a clip of two espeak-ng voices taking turns."""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from archivist.adapters.whisper import audio, speakers
from archivist.domain.models import Segment, Word

rng = np.random.default_rng(19)


def frames(n: int, centre: float) -> np.ndarray:
    """`n` frames of 19 cepstra scattered around `centre`, correlated as real cepstra are."""
    mixing = np.eye(19) + 0.3 * np.tri(19, k=-1)
    return centre + rng.standard_normal((n, 19)) @ mixing.T


def test_one_voice_either_side_scores_under_the_threshold_and_two_voices_over_it() -> None:
    same = speakers.hotelling(frames(300, 0.0), frames(300, 0.0))
    other = speakers.hotelling(frames(300, 0.0), frames(300, 1.5))
    assert same < speakers.THRESHOLD < other


def test_too_little_voice_on_a_side_is_not_judged() -> None:
    assert speakers.hotelling(frames(300, 0.0), frames(speakers.MIN_FRAMES - 1, 5.0)) == 0.0


def test_cepstra_give_a_level_and_19_cepstra_every_10_ms() -> None:
    t = np.arange(audio.SAMPLE_RATE) / audio.SAMPLE_RATE
    out = speakers.cepstra((0.3 * np.sin(2 * np.pi * 140 * t)).astype(np.float32))
    assert out.shape == (98, 20)
    assert -20 < out[:, 0].mean() < 60
    assert speakers.cepstra(np.zeros(100, dtype=np.float32)).shape == (0, 20)


TURNS = [   # (espeak-ng voice, what it says)
    ("en-gb+m1", "Good evening. Will the clerk please call the roll for tonight's meeting?"),
    ("en-gb+m1", "Thank you. We have a quorum, so we will move on to the consent agenda."),
    ("en-us+f2", "I move that we approve the consent agenda as it was presented to us."),
    ("en-gb+m1", "Thank you. Is there a second to the motion on the consent agenda?"),
]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_two_espeak_voices_get_chevrons_where_the_voice_changes_only(tmp_path: Path) -> None:
    pieces, segments, t = [], [], 1.0
    rate = 22050
    pieces.append(np.zeros(rate, dtype=np.int16))
    for k, (voice, text) in enumerate(TURNS):
        out = tmp_path / f"{k}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "160", "-w", str(out), text], check=True)
        with wave.open(str(out)) as w:
            rate = w.getframerate()
            said = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
        loud = np.flatnonzero(np.abs(said) > 300)
        said = said[loud[0]:loud[-1] + 1]
        seconds = len(said) / rate
        # One "word" a turn is enough here: the detector reads the sound under the words' times.
        segments.append(Segment(t, t + seconds, f" {text}", (Word(t, t + seconds, f" {text}"),)))
        pieces += [said, np.zeros(rate, dtype=np.int16)]
        t += seconds + 1.0
    clip = tmp_path / "turns.wav"
    with wave.open(str(clip), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.concatenate(pieces).tobytes())
    with audio.spool(clip) as sound:
        out = speakers.mark(segments, sound)
    assert [s.text.startswith(" >> ") for s in out] == [False, False, True, True]
