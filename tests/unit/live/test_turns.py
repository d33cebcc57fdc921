"""Speaker turns told by time: a turn's words are those said after the middle of the pause that
began it, however the words arrive in the batches a session sends."""

from __future__ import annotations

from collections.abc import Sequence

from archivist.domain.live.turns import Turns
from archivist.domain.models import Word

RATE = 16000


class Sound:
    """A buffer of sound whose every sample says which voice it is (1 or 2)."""

    def __init__(self, voices: list[tuple[float, float, int]], end: float) -> None:
        self.voices, self.start, self.end = voices, 0.0, end

    def sound(self, start: float, end: float) -> bytes:
        voice = next((v for a, b, v in self.voices if a <= start < b), 0)
        return bytes([voice]) * max(0, int((end - start) * RATE)) * 2


class Voices:
    reach = 3.0

    def voice(self, sound: Sequence[bytes]) -> object:
        return {piece[0] for piece in sound if piece}

    def differ(self, before: object, after: object) -> bool:
        return bool(before and after and before != after)


def words(*said: tuple[str, float, float]) -> list[Word]:
    return [Word(start, end, text) for text, start, end in said]


OLD = words(("Seconded", 0.5, 1.2), ("by", 1.3, 1.5), ("Lopez.", 1.6, 2.0))
NEW = words(("All", 2.8, 3.0), ("in", 3.1, 3.2), ("favor?", 3.3, 3.8))
SOUND = Sound([(0.0, 2.4, 1), (2.4, 9.0, 2)], end=6.0)


def test_the_last_words_of_a_turn_sent_after_its_pause_go_before_the_chevrons() -> None:
    turns = Turns(Voices(), SOUND, settle_seconds=1.5)   # type: ignore[arg-type]
    turns.ended(OLD, 2.0, 2.8)     # a short pause heard: "Lopez." decoded, not yet sent
    sent = turns.unheld([OLD[-1], *NEW], final=False, tentative=())
    assert [w.word for w in turns.marked(sent, ())] == ["Lopez.", ">>", "All", "in", "favor?"]


def test_a_batch_of_the_last_turn_alone_leaves_the_new_voice_to_be_judged() -> None:
    turns = Turns(Voices(), SOUND, settle_seconds=1.5)   # type: ignore[arg-type]
    turns.ended(OLD, 2.0, 2.8)
    assert [w.word for w in turns.marked([OLD[-1]], ())] == ["Lopez."]
    assert [w.word for w in turns.marked(NEW, ())] == [">>", "All", "in", "favor?"]


def test_the_first_words_of_a_turn_wait_to_be_heard_and_the_last_ones_do_not() -> None:
    """Under 1.5 s of the new voice heard, its words wait (until the settle bound); the last
    turn's word sent with them goes at once."""
    early = Sound(SOUND.voices, end=3.9)
    turns = Turns(Voices(), early, settle_seconds=1.5)   # type: ignore[arg-type]
    turns.ended(OLD, 2.0, 2.8)
    assert [w.word for w in turns.unheld([OLD[-1], *NEW[:2]], False, ())] == ["Lopez."]
    assert turns.unheld([], final=True, tentative=()) == NEW[:2]


REPLY = words(("Seconded.", 4.6, 5.2))
BACK = words(("Thank", 6.0, 6.3), ("you.", 6.4, 6.7))
THREE = Sound([(0.0, 2.4, 1), (2.4, 5.6, 2), (5.6, 9.0, 1)], end=8.5)


def test_a_turn_that_ended_before_its_words_were_sent_is_still_judged() -> None:
    """Two short pauses heard before any word after the first is sent: each turn's first
    words are judged against the voice before them, in order."""
    turns = Turns(Voices(), THREE, settle_seconds=1.5)   # type: ignore[arg-type]
    turns.ended(OLD, 2.0, 2.8)
    turns.ended([*NEW, *REPLY], 3.8, 4.6)          # a short reply in the same voice
    turns.ended([*NEW, *REPLY], 5.2, 6.0)          # the first voice back
    sent = turns.unheld([*NEW, *REPLY, *BACK], final=True, tentative=())
    assert [w.word for w in turns.marked(sent, ())] == [
        ">>", "All", "in", "favor?", "Seconded.", ">>", "Thank", "you."]


def test_a_pause_heard_twice_begins_one_turn() -> None:
    """A pause found as a turn's and then as a row's (heard late): its new voice is marked
    once, whatever of it was sent in between."""
    turns = Turns(Voices(), SOUND, settle_seconds=1.5)   # type: ignore[arg-type]
    turns.ended(OLD, 2.0, 2.8)
    assert [w.word for w in turns.marked(NEW[:1], ())] == [">>", "All"]
    turns.ended(OLD, 2.0, 2.8)
    assert [w.word for w in turns.marked(NEW[1:], ())] == ["in", "favor?"]


def test_a_turn_whose_words_wait_to_be_heard_when_it_ends_gives_its_voice() -> None:
    """A short reply's words agreed and waiting (under 1.5 s of its voice) when the next pause
    ends its turn: the voice after that pause is compared with the reply's."""
    sound = Sound(THREE.voices, end=4.0)
    turns = Turns(Voices(), sound, settle_seconds=1.5)   # type: ignore[arg-type]
    turns.ended(OLD, 2.0, 2.8)
    assert turns.unheld(NEW, final=False, tentative=()) == []   # waiting to hear more of it
    sound.end = 6.2
    turns.ended([], 3.8, 5.6)          # neither sent nor tentative: the words wait
    sound.end = 8.5
    sent = turns.unheld(BACK, final=True, tentative=())
    assert [w.word for w in turns.marked(sent, ())] == [
        ">>", "All", "in", "favor?", ">>", "Thank", "you."]


def test_turns_with_no_words_are_not_kept_past_the_sound_held() -> None:
    """An hour of noise the detector calls speech, with pauses but no words decoded, must not
    grow what a session keeps: a turn ended before the buffer's start can get no more words."""
    sound = Sound([(0.0, 9e9, 1)], end=0.0)
    turns = Turns(Voices(), sound, settle_seconds=1.5)   # type: ignore[arg-type]
    for k in range(3600):                    # a pause every second
        sound.end = k + 1.0
        sound.start = max(0.0, sound.end - 30.0)    # the buffer holds its last 30 s at most
        turns.ended([], k + 0.2, k + 0.9)
    assert len(turns._new_turns) <= 40
