"""Speech the decoding skipped is looked for where it is (adapters/whisper/recovery.py): a gap
between words is decoded again only where the voice detector heard speech and the sound stands
out from the room; a long one is cut at its quiet moments."""

from __future__ import annotations

import numpy as np
import pytest

from archivist.adapters.whisper import audio, recovery, speech, voicing
from archivist.domain.models import Segment, Word
from tests.adapters import test_voicing
from tests.adapters.sound import as_sound
from tests.adapters.test_voicing import room

RATE = audio.SAMPLE_RATE


@pytest.fixture(autouse=True)
def _own_noise(monkeypatch: pytest.MonkeyPatch) -> None:
    """room() draws its noise from test_voicing's generator: these tests draw from their own,
    so the voicing tests hear the same noise whether these ran first or not."""
    monkeypatch.setattr(test_voicing, "rng", np.random.default_rng(7))


def words(*spans: tuple[float, float]) -> list[Segment]:
    return [Segment(a, b, " word", (Word(a, b, " word", 0.9),)) for a, b in spans]


def test_only_a_gap_someone_speaks_in_is_tried_again() -> None:
    # Words at 1-3 s, 12-14 s and 20-21 s; a voice at 6-8 s no word covers; only the room's
    # noise between.
    sound = as_sound(room(24.0, [(1.0, 3.0), (6.0, 8.0), (12.0, 14.0), (20.0, 21.0)])
                     .astype(np.float32))
    levels = voicing.levels(sound)
    said = words((1.0, 3.0), (12.0, 14.0), (20.0, 21.0))
    voiced = [(0.6, 3.4), (5.6, 8.4), (11.6, 14.4), (19.6, 21.4)]
    assert recovery.gaps(said, voiced, levels, 0.5) == [(3.0, 12.0)]
    # The voice detector heard nothing there: not tried (music, say, or a noise it knows).
    assert recovery.gaps(said, [(0.6, 3.4), (11.6, 14.4)], levels, 0.5) == []
    # Less voice than asked for: a cough.
    assert recovery.gaps(said, voiced, levels, 3.5) == []


def test_a_long_gap_is_cut_at_its_quietest_moments() -> None:
    # A roll call: a name or an answer every 1.2 s, 0.5 s of quiet between.
    spoken = [(0.5 + 1.7 * k, 1.7 + 1.7 * k) for k in range(11)]
    sound = as_sound(room(20.0, spoken).astype(np.float32))
    cuts = recovery.pieces(sound, 0.0, 19.0)
    assert cuts[0][0] == 0.0 and cuts[-1][1] == 19.0
    assert all(recovery.SHORTEST <= b - a <= recovery.LONGEST for a, b in cuts[:-1])
    for a, _b in cuts[1:]:   # each cut in a pause, not in a word
        assert not any(s < a < e for s, e in spoken)



def test_the_last_piece_is_not_a_scrap() -> None:
    # 7.05 s of voice, quiet only at 6.9-7.0 s: cut there, the last piece would last 0.1 s.
    sound = as_sound(room(7.05, [(0.0, 6.9), (7.0, 7.05)]).astype(np.float32))
    cuts = recovery.pieces(sound, 0.0, 7.05)
    assert cuts[0][0] == 0.0 and cuts[-1][1] == 7.05
    assert all(b - a >= recovery.SHORTEST for a, b in cuts)


class Deaf:
    """A recognition that hears nothing in any piece (a stretch it skips again), noting each."""

    def __init__(self) -> None:
        self.pieces: list[tuple[float, float]] = []

    def alone(self, at: float, until: float) -> list[Segment]:
        self.pieces.append((at, until))
        return []


# 30 s: a voice at 12.4-16.6 s no word covers, between words at 10-12 s and 17-19 s.
VOICED = [(0.5, 2.0), (10.0, 12.0), (12.4, 16.6), (17.0, 19.0), (28.0, 29.5)]


def test_each_piece_is_a_chance_to_stop_even_where_nothing_is_heard() -> None:
    sound = as_sound(room(30.0, VOICED).astype(np.float32))
    said = speech.SpeechOnly(sound, [speech.Span(0, sound.samples)])
    segments = words((0.5, 2.0), (10.0, 12.0), (17.0, 19.0), (28.0, 29.5))
    deaf, steps = Deaf(), []
    recovery.recovered(deaf, said, sound, segments, 0.5, lambda: steps.append(1))  # type: ignore[arg-type]
    assert len(deaf.pieces) >= 2 and len(steps) == len(deaf.pieces)

    class Stop(Exception):
        pass

    def stop() -> None:
        raise Stop

    deaf = Deaf()
    with pytest.raises(Stop):
        recovery.recovered(deaf, said, sound, segments, 0.5, stop)  # type: ignore[arg-type]
    assert deaf.pieces == []


def test_within_tries_only_the_gaps_that_reach_into_its_stretches() -> None:
    # The voice at 12.4-16.6 s is a gap; a loop said once left it (its stretch 13-15 s): it
    # is tried. Given only a stretch elsewhere (a loop at 20-25 s), nothing is.
    sound = as_sound(room(30.0, VOICED).astype(np.float32))
    said = speech.SpeechOnly(sound, [speech.Span(0, sound.samples)])
    segments = words((0.5, 2.0), (10.0, 12.0), (17.0, 19.0), (28.0, 29.5))
    deaf = Deaf()
    recovery.recovered(deaf, said, sound, segments, 0.5, within=[(13.0, 15.0)])  # type: ignore[arg-type]
    assert deaf.pieces and all(9.0 < a < b < 20.0 for a, b in deaf.pieces)
    deaf = Deaf()
    recovery.recovered(deaf, said, sound, segments, 0.5, within=[(20.0, 25.0)])  # type: ignore[arg-type]
    assert deaf.pieces == []


class Looping(Deaf):
    """A recognition that loops "Present." in the first piece it is given and hears one word
    in the middle of each other ("Lopez.", "Abdi.", ...)."""

    def alone(self, at: float, until: float) -> list[Segment]:
        first = not self.pieces
        self.pieces.append((at, until))
        if first:
            step = (until - at) / 6
            return [Segment(at, until, "Present. " * 5, tuple(
                Word(at + k * step, at + (k + 1) * step, " Present.", 0.9) for k in range(5)))]
        mid, name = (at + until) / 2, NAMES[len(self.pieces) % len(NAMES)]
        return [Segment(mid - 0.3, mid + 0.3, name, (Word(mid - 0.3, mid + 0.3, " " + name, 0.9),))]


NAMES = ["Lopez.", "Abdi.", "Becker.", "Delgado.", "Castillo.", "Anderson.", "Haugen."]


def test_a_piece_that_loops_is_left_out_but_not_the_other_pieces_of_its_gap() -> None:
    # 180 s: the model wrote words at 1-3 s and 37-39 s, a roll call between (a name or an
    # answer every 1.7 s) it looped through, said once. In pieces, the first loops; the rest
    # are heard.
    roll_call = [(4.0 + 1.7 * k, 5.2 + 1.7 * k) for k in range(19)]
    sound = as_sound(room(180.0, [(1.0, 3.0), *roll_call, (37.0, 39.0)]).astype(np.float32))
    said = speech.SpeechOnly(sound, [speech.Span(0, sound.samples)])
    segments = words((1.0, 3.0), (37.0, 39.0))
    looping = Looping()
    out = recovery.recovered(looping, said, sound, segments, 0.5, within=[(5.0, 30.0)])  # type: ignore[arg-type]
    added = [w.word.strip() for s in out for w in s.words if w.word.strip() != "word"]
    assert len(looping.pieces) >= 3
    assert "Present." not in added and len(added) >= 2 and set(added) <= set(NAMES)


def test_a_recording_mostly_skipped_is_not_decoded_again_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The same voice, but the model wrote only the first and last words: a 26-s gap, more
    # than MOST_SHARE of 30 s, is left as it is.
    sound = as_sound(room(30.0, VOICED).astype(np.float32))
    said = speech.SpeechOnly(sound, [speech.Span(0, sound.samples)])
    segments = words((0.5, 2.0), (28.0, 29.5))
    deaf = Deaf()
    assert recovery.recovered(deaf, said, sound, segments, 0.5) == segments  # type: ignore[arg-type]
    assert deaf.pieces == []
    monkeypatch.setattr(recovery, "MOST_SHARE", 1.0)   # were it allowed, it would be tried
    recovery.recovered(deaf, said, sound, segments, 0.5)  # type: ignore[arg-type]
    assert deaf.pieces
