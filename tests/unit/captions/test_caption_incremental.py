"""Saving a correction renders only what it changed (each segment's words, each run of speech's
cues and each segment's JSON are remembered); the files must be exactly those a render from
nothing writes, whatever the edit."""

from __future__ import annotations

import json
import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from archivist.domain import transcript_json
from archivist.domain.captioning import caption_files
from archivist.domain.captions import forget, scc, timecode
from archivist.domain.captions.guards import clean
from archivist.domain.captions.settings import CaptionSettings, CueRules
from archivist.domain.models import Segment, Sound, Transcript, Word

FORMATS = ["scc", "srt", "vtt", "txt", "json"]
SAID = ("the council will now consider item 12 motion to approve Okafor Villanueva café "
        "señor “quoted” it’s — and, of. a Mr. Lopez $20 ,000 7 % one -hour ♪ approve? yes! "
        "supercalifragilisticexpialidociousnessandmore 10:30 a.m.").split()
PROFILES = (CaptionSettings(),
            CaptionSettings(broadcast=CueRules(max_chars=28, max_lines=3), scc_row=14,
                            web=CueRules(max_chars=42, max_lines=1, max_cps=17)))


def meeting(seed: int, lines: int) -> Transcript:
    """A meeting of `lines` lines of random words, pauses short and long, some music."""
    rng = random.Random(seed)
    segments, sounds, t = [], [], 1.0
    for _ in range(lines):
        words = []
        for _ in range(rng.randint(1, 14)):
            piece = rng.choice(SAID)
            glued = piece[0] in ",%-" and words
            length = rng.choice((0.05, 0.25, 0.3, 0.6, 2.5))
            words.append(Word(round(t, 3), round(t + length, 3),
                              piece if glued else " " + piece, round(rng.random(), 4)))
            t += length + rng.choice((0.0, 0.05, 0.3))
        segments.append(Segment(words[0].start, round(t, 3), "".join(w.word for w in words),
                                tuple(words)))
        gap = rng.choice((0.2, 0.6, 1.2, 3.0, 14.0))
        if gap > 10:
            sounds.append(Sound(round(t + 0.5, 3), round(t + gap - 0.5, 3)))
        t += gap
    return Transcript(tuple(segments), duration=round(t + 2, 3), sounds=tuple(sounds))


def corrected(transcript: Transcript, rng: random.Random, edits: int) -> Transcript:
    """`transcript` with lines retyped, extended, shortened, moved, split off or removed."""
    segments = list(transcript.segments)
    for _ in range(edits):
        k = rng.randrange(len(segments))
        s = segments[k]
        how = rng.choice(("name", "longer", "shorter", "nudge", "no words", "drop", "split"))
        if how == "name":
            segments[k] = Segment(s.start, s.end, s.text.replace(s.text.split()[0], "Pruitt", 1),
                                  s.words)
        elif how == "longer":
            segments[k] = Segment(s.start, s.end, s.text + " Okafor", s.words)
        elif how == "shorter" and len(s.words) > 1:
            segments[k] = Segment(s.start, s.words[-2].end, "".join(w.word for w in s.words[:-1]),
                                  s.words[:-1])
        elif how == "nudge":
            shift = rng.choice((-0.1, 0.1))
            words = tuple(Word(round(w.start + shift, 3), round(w.end + shift, 3), w.word,
                               w.probability) for w in s.words)
            segments[k] = Segment(round(s.start + shift, 3), round(s.end + shift, 3), s.text, words)
        elif how == "no words":
            segments[k] = Segment(s.start, s.end, s.text)
        elif how == "drop" and len(segments) > 1:
            del segments[k]
        elif how == "split" and len(s.words) > 1:
            cut = len(s.words) // 2
            first, second = s.words[:cut], s.words[cut:]
            segments[k:k + 1] = [Segment(s.start, first[-1].end, "".join(w.word for w in first), first),
                                 Segment(second[0].start, s.end, "".join(w.word for w in second),
                                         second)]
    return Transcript(tuple(segments), transcript.duration, sounds=transcript.sounds)


def files(transcript: Transcript, profile: CaptionSettings) -> dict[str, str]:
    texts, _ = caption_files(clean(transcript), Path("/mnt/council.mp4"), FORMATS, profile)
    return {path.name: text for path, text in texts.items()}


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), lines=st.integers(1, 40), edits=st.integers(1, 6),
       profile=st.sampled_from(PROFILES))
def test_a_correction_writes_the_files_a_render_from_nothing_writes(seed, lines, edits,
                                                                     profile) -> None:
    before = meeting(seed, lines)
    after = corrected(before, random.Random(seed), edits)
    files(before, profile)           # what the revision before left remembered
    again = files(after, profile)
    forget()
    assert again == files(after, profile)
    assert again.keys() == {"council.scc", "council.srt", "council.vtt", "council.txt",
                            "council.json", "council.report.json"}


def test_the_same_words_at_other_times_get_their_own_cues() -> None:
    # Remembered by value: a line moved by a tenth of a second is a different line.
    line = meeting(3, 1)
    moved = corrected(line, random.Random(0), 0)
    shifted = Transcript(tuple(Segment(s.start + 30, s.end + 30, s.text,
                                       tuple(Word(w.start + 30, w.end + 30, w.word) for w in s.words))
                               for s in moved.segments), line.duration + 30)
    first, second = files(line, PROFILES[0]), files(shifted, PROFILES[0])
    assert first["council.srt"] != second["council.srt"]
    forget()
    assert files(shifted, PROFILES[0]) == second


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.lists(st.sampled_from(SAID), min_size=1, max_size=6), min_size=1,
                      max_size=4),
       row=st.integers(4, 15))
def test_the_time_to_send_a_caption_counts_every_frame_it_takes(lines, row) -> None:
    shown = tuple(" ".join(words)[:32] for words in lines)
    units = scc.caption_units(shown, row)
    assert scc.load_seconds(shown, row) == timecode.seconds_at(sum(len(u) for u in units) + 2)


NUMBERS = st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.integers(-1000, 10**6),
                    st.just(-0.0), st.just(0.0))


@st.composite
def transcripts(draw) -> Transcript:
    word = st.builds(Word, NUMBERS, NUMBERS, st.text(max_size=8), NUMBERS)
    segment = st.builds(Segment, NUMBERS, NUMBERS,
                        st.one_of(st.text(max_size=20), st.just('\n "segments": [],\n')),
                        st.lists(word, max_size=4).map(tuple), NUMBERS, NUMBERS, NUMBERS)
    segments = draw(st.lists(segment, max_size=6))
    # The same segment again with its numbers as ints or floats: equal, but written apart.
    twins = [Segment(int(s.start), int(s.end), s.text, s.words) for s in segments[:2]
             if abs(s.start) < 1e6 and abs(s.end) < 1e6]
    twins += [Segment(float(t.start), float(t.end), t.text, t.words) for t in twins]
    return Transcript(tuple(segments + twins), draw(NUMBERS),
                      notes=tuple(draw(st.lists(st.text(max_size=20), max_size=2))),
                      sounds=tuple(draw(st.lists(st.builds(Sound, NUMBERS, NUMBERS), max_size=2))))


@settings(max_examples=300, deadline=None)
@given(transcript=transcripts())
def test_the_json_is_what_json_writes(transcript) -> None:
    expected = json.dumps(transcript_json.to_dict(transcript), ensure_ascii=False, indent=1) + "\n"
    assert transcript_json.dumps(transcript) == expected
    assert transcript_json.dumps(transcript) == expected   # again, from what was remembered


@settings(max_examples=200, deadline=None)
@given(transcript=transcripts())
def test_reading_stored_json_gives_what_building_it_gives(transcript) -> None:
    stored = transcript_json.dumps(transcript)
    try:
        long_way = transcript_json.to_dict(transcript_json.loads(stored))
    except Exception as exc:   # a transcript that is not valid is refused the same way
        try:
            transcript_json.read(stored)
        except Exception as again:
            assert type(again) is type(exc) and str(again) == str(exc)
            return
        raise AssertionError("read() took a transcript loads() refuses") from exc
    quick = transcript_json.read(stored)
    assert quick == long_way
    assert json.dumps(quick, sort_keys=True) == json.dumps(long_way, sort_keys=True)


def test_figures_at_their_edges_read_back_the_same_both_ways() -> None:
    # Found by the property above: a compression ratio of 0 came back 1.0 one way and 0.0 the
    # other; a log-probability a hair under zero was stored as -0.0; an integer ratio as 1.
    words = (Word(0.0, 0.5, " Present.", 0.9),)
    for segment in (Segment(0.0, 0.5, " Present.", words, compression_ratio=0.0),
                    Segment(0.0, 0.5, " Present.", words, avg_logprob=-0.00001),
                    Segment(0, 1, " Present.", words, compression_ratio=1)):
        stored = transcript_json.dumps(Transcript((segment,), 1.0))
        long_way = transcript_json.to_dict(transcript_json.loads(stored))
        quick = transcript_json.read(stored)
        assert json.dumps(quick, sort_keys=True) == json.dumps(long_way, sort_keys=True)
        assert "-0.0" not in stored
