"""The live HLS subtitle rendition: which rows each segment holds, and when it is written."""

from __future__ import annotations

from archivist.domain.live.subtitles import (
    HOLD,
    SEGMENT,
    Cue,
    Segmenter,
    StreamEstimate,
    continued_from,
    mpegts,
    playlist_text,
)


def test_a_segment_is_written_once_the_stream_is_hold_seconds_past_it():
    cut = Segmenter()
    cut.add([Cue(1.0, 2.0, "a")])
    assert cut.due(SEGMENT + HOLD - 0.1) == []
    assert cut.due(SEGMENT + HOLD) == [[Cue(1.0, 2.0, "a")]]
    assert cut.due(SEGMENT + HOLD) == []   # never twice


def test_every_row_is_in_each_segment_it_is_shown_in_and_none_is_lost():
    cut = Segmenter()
    cut.add([Cue(5.0, 13.0, "long"), Cue(14.0, 15.0, "later")])
    first, second, third = cut.due(3 * SEGMENT + HOLD)
    assert first == [Cue(5.0, 13.0, "long")] and second == [Cue(5.0, 13.0, "long")]
    assert third == [Cue(5.0, 13.0, "long"), Cue(14.0, 15.0, "later")]
    cut.add([Cue(2.0, 3.0, "late")])   # sent after its segment was written
    assert cut.due(0.0, final=True) == [[Cue(2.0, 3.0, "late")]]


def test_a_row_sent_after_its_segment_is_in_the_next_segment_with_its_own_times():
    cut = Segmenter()
    assert cut.due(SEGMENT + HOLD) == [[]]        # segment 0 (0-6 s) written, empty
    cut.add([Cue(4.0, 5.0, "stalled"), Cue(5.0, 9.0, "spans")])
    assert cut.due(2 * SEGMENT + HOLD) == [[Cue(4.0, 5.0, "stalled"), Cue(5.0, 9.0, "spans")]]
    assert cut.due(0.0, final=True) == []         # each once: nothing left over


def test_the_stream_time_is_estimated_from_the_last_report_and_the_time_since():
    estimate = StreamEstimate()
    assert estimate.seconds(100.0) == 0.0         # nothing known before the first report
    estimate.heard(10.0, at=100.0)
    assert estimate.seconds(100.0) == 10.0
    assert estimate.seconds(110.0) == 20.0        # a stalled session: the stream goes on
    assert estimate.seconds(99.0) == 20.0         # never back


def test_the_estimate_is_never_past_the_last_report_and_the_time_since_nor_goes_back():
    estimate = StreamEstimate()
    estimate.heard(10.0, at=100.0)
    estimate.heard(12.0, at=101.0)                # a report late by its own clock
    assert estimate.seconds(101.0) == 12.0
    assert estimate.seconds(103.5) == 14.5
    estimate.heard(13.0, at=104.0)                # behind the 15.0 the old report would give
    assert estimate.seconds(104.0) == 14.5        # held, not taken back
    assert estimate.seconds(106.0) == 15.0        # ... until the stream catches up


def test_the_end_writes_every_segment_up_to_the_stream_and_the_last_row():
    cut = Segmenter()
    cut.add([Cue(13.0, 20.0, "last")])
    assert [len(cues) for cues in cut.due(14.0, final=True)] == [0, 0, 1, 1]


def test_the_source_clock_is_33_bit_mpegts():
    assert mpegts(None) == 0 and mpegts(11.4) == 1_026_000
    assert mpegts(2 ** 33 / 90_000 + 1.0) == 90_000   # wrapped


def test_a_live_playlist_slides_and_an_ended_one_says_so():
    text = playlist_text(150, "s/{:05d}.vtt", None, ended=False)
    assert "#EXT-X-MEDIA-SEQUENCE:50\n" in text and "s/00050.vtt" in text
    assert "s/00049.vtt" not in text and "ENDLIST" not in text and "PROGRAM-DATE-TIME" not in text
    assert playlist_text(0, "s/{:05d}.vtt", 0.0, ended=True).endswith("#EXT-X-ENDLIST\n")


def sequences(text: str) -> list[tuple[int, int, str]]:
    """(media sequence, discontinuity sequence, URI) of each segment a playlist lists."""
    tags = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    sequence = int(tags["#EXT-X-MEDIA-SEQUENCE"]) - 1
    discontinuity = int(tags.get("#EXT-X-DISCONTINUITY-SEQUENCE", "0"))
    out = []
    for line in text.splitlines():
        discontinuity += line == "#EXT-X-DISCONTINUITY"
        if line and not line.startswith("#"):
            sequence += 1
            out.append((sequence, discontinuity, line))
    return out


def test_a_killed_sessions_playlist_is_carried_on_by_the_next_never_going_back():
    killed = playlist_text(130, "a/{:05d}.vtt", 0.0, ended=False)   # segments 30-129 listed
    after = continued_from(killed)
    assert after is not None
    empty = playlist_text(0, "b/{:05d}.vtt", None, ended=False, after=after)
    assert "#EXT-X-MEDIA-SEQUENCE:130\n" in empty
    first = playlist_text(2, "b/{:05d}.vtt", 0.0, ended=False, after=after)
    assert sequences(first) == [(130, 0, "b/00000.vtt"), (131, 0, "b/00001.vtt")]
    # Killed again: the third session carries on the second.
    again = continued_from(first)
    assert again is not None
    third = playlist_text(1, "c/{:05d}.vtt", 0.0, ended=False, after=again)
    assert sequences(third) == [(132, 0, "c/00000.vtt")]
    # One left by a version that marked the restart: its number is carried on, never back.
    marked = first.replace("#EXTINF", "#EXT-X-DISCONTINUITY\n#EXTINF", 1)
    assert sequences(playlist_text(1, "c/{:05d}.vtt", 0.0, ended=False,
                                   after=continued_from(marked))) == [(132, 1, "c/00000.vtt")]
    # A session that ended is not carried on: players stopped following it.
    assert continued_from(playlist_text(5, "a/{:05d}.vtt", 0.0, ended=True)) is None


def test_after_a_gap_cue_times_follow_the_sources_timestamps_not_the_sessions_clock():
    from archivist.domain.live.subtitles import SourceClock

    clock = SourceClock()
    clock.anchor(0.0, 1000.0)                      # the first sound carries PTS 1000 s
    assert clock.seconds(5.0) == 5.0 and clock.mpegts == 90_000_000
    # The source was lost at 6 s: the session counted 6 s of quiet (wall time), but the
    # stream's clock ran 10 s (the encoder paused, or the network held packets).
    clock.anchor(12.0, 1016.0)
    assert clock.seconds(13.0) == 17.0
    # An encoder restarted from PTS 0 after a gap: its clock went back; the session's is kept.
    clock.anchor(30.0, 2.0)
    assert clock.seconds(31.0) == 35.0
    # A clock that wrapped (33 bits at 90 kHz) runs on past it.
    wrapped = SourceClock()
    wrapped.anchor(0.0, 95_440.0)
    wrapped.anchor(10.0, 95_452.0 - 2 ** 33 / 90_000)
    assert round(wrapped.seconds(11.0), 3) == 13.0


def test_a_source_without_timestamps_keeps_the_sessions_clock():
    from archivist.domain.live.subtitles import SourceClock

    clock = SourceClock()
    clock.anchor(0.0, None)
    clock.anchor(12.0, None)
    assert clock.seconds(13.0) == 13.0 and clock.mpegts == 0


def test_a_restarted_sessions_segments_keep_the_discontinuity_number_of_the_killed_ones():
    """RFC 8216 6.2.4: matching content in a variant's renditions MUST have matching
    discontinuity sequence numbers. The station's video runs on through a restart of the
    session (no discontinuity there), and the new session's cues stay on the source's clock
    (its X-TIMESTAMP-MAP), so its segments carry on the killed one's number, unmarked. Marked,
    hls.js places no cue of theirs: it waits for video of that number ("Missing initPTS")."""
    killed = playlist_text(130, "a/{:05d}.vtt", 0.0, ended=False)
    after = continued_from(killed)
    assert after is not None
    first = playlist_text(2, "b/{:05d}.vtt", 0.0, ended=False, after=after)
    assert "#EXT-X-DISCONTINUITY\n" not in first
    assert sequences(first) == [(130, 0, "b/00000.vtt"), (131, 0, "b/00001.vtt")]
    slid = playlist_text(150, "b/{:05d}.vtt", 0.0, ended=False, after=after)
    assert sequences(slid)[0] == (180, 0, "b/00050.vtt")
