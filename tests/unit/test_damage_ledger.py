"""The damage ledger on its own: packets in (their times, refused or decoded), silence owed
and the verdict out, with no file and no decoder."""

from __future__ import annotations

import logging

import pytest

from archivist.adapters.whisper.damage import DamageLedger
from archivist.domain.errors import MediaError

FRAME = 0.02   # seconds: every packet in these tests


def played(ledger: DamageLedger, starts: list[float], refused: frozenset[int] = frozenset()) -> float:
    """Feed packets beginning at `starts` (those at the indices `refused` refused by the
    decoder), writing the silence owed as it comes due; the seconds of sound written."""
    written = 0.0
    for k, start in enumerate(starts):
        ledger.demuxed(start)
        if k in refused:
            ledger.refuse(FRAME)
            continue
        ledger.decoded(FRAME)
        if ledger.owing:
            written += ledger.owing
            ledger.settle(ledger.owing)
        written += FRAME
    if ledger.owed:
        written += ledger.owed
        ledger.settle(ledger.owed)
    return written


def steady(count: int, start: float = 0.0) -> list[float]:
    return [start + k * FRAME for k in range(count)]


def test_a_whole_recording_passes_with_nothing_owed() -> None:
    ledger = DamageLedger(0.0, FRAME)
    seconds = played(ledger, steady(500))
    assert seconds == pytest.approx(10.0)
    ledger.judge("a.mp4", seconds, 10.0)
    assert (ledger.refused, ledger.gaps, ledger.filled) == (0, [], 0.0)


def test_refused_packets_are_owed_as_silence_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    ledger = DamageLedger(0.0, FRAME)
    seconds = played(ledger, steady(500), refused=frozenset({100, 101, 102}))
    assert seconds == pytest.approx(10.0) and ledger.filled == pytest.approx(0.06)
    with caplog.at_level(logging.WARNING, "archivist.whisper"):
        ledger.judge("a.mp4", seconds, 10.0)
    [record] = caplog.records
    assert (record.packets, record.of_packets, record.seconds) == (3, 500, 0.06)


def test_a_jump_in_the_timestamps_is_sound_lost_and_owed_as_silence() -> None:
    ledger = DamageLedger(100.0, FRAME)
    starts = steady(200, 100.0) + steady(290, 104.2)   # 0.2 s (10 packets) lost at 104 s
    seconds = played(ledger, starts)
    [(at, lost)] = ledger.gaps
    assert (at, lost) == (pytest.approx(4.0), pytest.approx(0.2))
    assert ledger.filled == pytest.approx(0.2)
    assert seconds == pytest.approx(9.8 + 0.2)
    ledger.judge("a.ts", seconds, 10.0)


def test_timestamps_rounded_to_their_time_base_are_no_loss() -> None:
    ledger = DamageLedger(0.0, FRAME)
    played(ledger, [k * FRAME + (0.001 if k % 2 else 0.0) for k in range(500)])
    assert ledger.gaps == [] and ledger.filled == 0.0


def test_a_clock_that_jumps_by_hours_is_no_loss() -> None:
    ledger = DamageLedger(0.0, FRAME)
    played(ledger, steady(250) + steady(250, 7200.0))
    assert ledger.gaps == [] and ledger.filled == 0.0


def test_packets_of_unknown_length_are_never_taken_for_gaps() -> None:
    ledger = DamageLedger(0.0)
    for start in steady(100):
        ledger.demuxed(start)
        ledger.decoded(0.0)
    assert ledger.gaps == [] and ledger.owed == 0.0


def test_a_lead_is_silence_before_the_sound_and_not_damage() -> None:
    ledger = DamageLedger(2.0, FRAME)
    ledger.lead(2.0)
    seconds = played(ledger, steady(500, 2.0))
    assert seconds == pytest.approx(12.0) and ledger.padded == 2.0 and ledger.filled == 0.0
    ledger.judge("a.mkv", seconds, 10.0)


def test_past_five_percent_of_packets_damaged_is_refused() -> None:
    ledger = DamageLedger(0.0, FRAME)
    seconds = played(ledger, steady(500), refused=frozenset(range(0, 500, 10)))
    with pytest.raises(MediaError, match=r"damaged: 50 packets of sound could not be decoded "
                                         r"\(9\.0 s of 10\.0 s decoded\)"):
        ledger.judge("a.mkv", seconds, None)


def test_one_damaged_packet_never_refuses_a_short_recording() -> None:
    ledger = DamageLedger(0.0, FRAME)
    ledger.judge("a.mkv", played(ledger, steady(10), refused=frozenset({5})), None)


def test_lost_and_refused_packets_are_both_named() -> None:
    ledger = DamageLedger(0.0, FRAME)
    seconds = played(ledger, steady(200) + steady(200, 6.0), refused=frozenset(range(0, 400, 16)))
    with pytest.raises(MediaError) as refused:
        ledger.judge("a.ts", seconds, None)
    assert refused.value.reason == ("damaged: 1 gap in the sound (2.0 s missing, lost or cut out) "
                                    "and 25 packets of sound could not be decoded "
                                    "(7.5 s of 10.0 s decoded)")


@pytest.mark.parametrize("hole", [300.0, 599.0])
@pytest.mark.parametrize("expected", [None, 3600.0])
def test_an_hour_with_one_hole_is_captioned_and_the_hole_logged(
        hole: float, expected: float | None, caplog: pytest.LogCaptureFixture) -> None:
    # An MPEG-TS does not say how long it is: the hole's seconds are no packets refused.
    ledger = DamageLedger(0.0, FRAME)
    count = round((3600.0 - hole) / FRAME)
    starts = steady(count // 2) + steady(count - count // 2, (count // 2) * FRAME + hole)
    seconds = played(ledger, starts)
    assert seconds == pytest.approx(3600.0)
    with caplog.at_level(logging.WARNING, "archivist.whisper"):
        ledger.judge("a.ts", seconds, expected)
    [record] = caplog.records
    assert (record.gaps, record.missing) == (1, hole)
    assert record.where == f"{hole:.1f} s at {(count // 2) * FRAME:.1f} s"


def test_a_stream_that_keeps_breaking_off_is_damaged() -> None:
    ledger = DamageLedger(0.0, FRAME)
    starts = [k * 0.3 + j * FRAME for k in range(300) for j in range(10)]  # 0.1 s lost each 0.3 s
    with pytest.raises(MediaError, match=r"damaged: 299 gaps in the sound \(29\.9 s missing"):
        ledger.judge("a.ts", played(ledger, starts), None)


def test_sound_that_stops_short_of_the_declared_length_is_truncated() -> None:
    ledger = DamageLedger(0.0, FRAME)
    with pytest.raises(MediaError, match=r"truncated: audio stops at 4\.0s of 10\.0s"):
        ledger.judge("a.mp4", played(ledger, steady(200)), 10.0)


def test_a_damaged_tail_is_a_cut_off_one() -> None:
    ledger = DamageLedger(0.0, FRAME)
    seconds = played(ledger, steady(500), refused=frozenset(range(200, 500)))
    with pytest.raises(MediaError, match=r"truncated: audio stops at 4\.0s of 10\.0s"):
        ledger.judge("a.mp4", seconds, 10.0)


def test_nothing_decoded_is_said_so() -> None:
    ledger = DamageLedger(0.0, FRAME)
    with pytest.raises(MediaError, match="no audio could be decoded"):
        ledger.judge("a.mp4", 0.0, 10.0)
